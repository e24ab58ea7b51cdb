import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256(key: string, payload: Buffer | string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', key).update(payload).digest(encoding);
}

/** Constant-time comparison of a received signature with the expected one. */
export function signaturesMatch(received: string | undefined, expected: string): boolean {
  if (!received) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
