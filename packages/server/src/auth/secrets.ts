// Random secrets handed to clients and browsers (codes, refresh tokens, client secrets, sign-in
// handles) and the hashes they are stored under. These secrets carry 256 bits of entropy, so a
// plain SHA-256 is a sufficient hash at rest; passwords use passwords.ts instead.
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const newSecret = (): string => randomBytes(32).toString('base64url');

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** A six-digit one-time code. */
export const newOneTimeCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0');

export const hmac = (key: string, text: string): string =>
  createHmac('sha256', key).update(text).digest('base64url');

/** Constant-time equality of two strings (false when the lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
