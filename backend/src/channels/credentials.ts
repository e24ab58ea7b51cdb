import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Channel credentials at rest: AES-256-GCM with CREDENTIALS_KEY, stored as
 * "v1.<iv>.<tag>.<ciphertext>" (base64url). The version prefix leaves room for
 * key rotation: decrypt with the old key, encrypt with the new one.
 */
const credentialsSchema = z.record(z.string(), z.string());
export type Credentials = z.infer<typeof credentialsSchema>;

export class CredentialsKeyMissing extends Error {
  constructor() {
    super('CREDENTIALS_KEY is not set: channel credentials cannot be encrypted or read');
  }
}

function keyBytes(key: string | undefined): Buffer {
  if (!key) throw new CredentialsKeyMissing();
  return Buffer.from(key, 'base64');
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
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  return credentialsSchema.parse(JSON.parse(plain));
}
