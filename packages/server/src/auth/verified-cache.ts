// Remembers access tokens whose signature and claims were verified, so a client's repeated
// requests with the same token skip the signature check (the ECDSA verification is most of the
// cost of authenticating). Keyed by the exact token string and audience; an entry lasts no longer
// than its token; the oldest entries go first when full. It never caches a failure and never
// stands in for the revocation check.
import { CLOCK_TOLERANCE_SECONDS, type VerifiedToken } from './tokens.ts';

export interface VerifiedCache {
  get(key: string, nowSeconds?: number): VerifiedToken | undefined;
  set(key: string, verified: VerifiedToken): void;
}

export function createVerifiedCache(max = 10_000): VerifiedCache {
  const entries = new Map<string, VerifiedToken>();
  return {
    get(key, nowSeconds = Date.now() / 1000) {
      const hit = entries.get(key);
      if (hit && hit.principal.expiresAt + CLOCK_TOLERANCE_SECONDS <= nowSeconds) {
        entries.delete(key);
        return undefined;
      }
      return hit;
    },
    set(key, verified) {
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(key, verified);
    },
  };
}
