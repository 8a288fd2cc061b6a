// PKCE (RFC 7636) with S256 only: whether a code_verifier hashes to the stored code_challenge.
import { createHash } from 'node:crypto';
import { safeEqual } from './secrets.ts';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export function pkceMatches(verifier: string | undefined, challenge: string): boolean {
  if (!verifier || !VERIFIER.test(verifier)) return false;
  return safeEqual(createHash('sha256').update(verifier).digest('base64url'), challenge);
}
