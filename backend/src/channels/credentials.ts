import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Channel credentials at rest: AES-256-GCM with CREDENTIALS_KEY, stored as
 * "v1.<iv>.<tag>.<ciphertext>" (base64url).
 *
 * Key rotation: the key given here may list several keys, comma-separated, newest first
 * (config appends CREDENTIALS_KEY_PREVIOUS to CREDENTIALS_KEY). New ciphertext always uses
 * the first; reading tries each in turn. Rotate by setting CREDENTIALS_KEY=<new> and
 * CREDENTIALS_KEY_PREVIOUS=<old>, running `npm run rotate-credentials-key` (re-encrypts every
 * channel with the new key), then unsetting CREDENTIALS_KEY_PREVIOUS.
 */
const credentialsSchema = z.record(z.string(), z.string());
export type Credentials = z.infer<typeof credentialsSchema>;

export class CredentialsKeyMissing extends Error {
  constructor() {
    super('CREDENTIALS_KEY is not set: channel credentials cannot be encrypted or read');
  }
}

function keyList(key: string | undefined): Buffer[] {
  const keys = (key ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (keys.length === 0) throw new CredentialsKeyMissing();
  return keys.map((part) => Buffer.from(part, 'base64'));
}

function keyBytes(key: string | undefined): Buffer {
  return keyList(key)[0] as Buffer;
}

export function encryptCredentials(credentials: Credentials, key: string | undefined): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decryptCredentials(sealed: string | undefined, key: string | undefined): Credentials {
  if (!sealed) return {};
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('unreadable channel credentials');
  for (const candidate of keyList(key)) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', candidate, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      return credentialsSchema.parse(JSON.parse(plain));
    } catch {
      // Not this key (the GCM tag does not match): try the next one.
    }
  }
  throw new Error('channel credentials cannot be read with any CREDENTIALS_KEY given');
}
