// A fixed-window request counter per key (client IP) for the authentication endpoints. In memory
// and per process: it slows guessing from one address; account lockout (accounts.ts) is what
// survives restarts and spans processes. Pure apart from the clock passed in.
export interface RateLimiter {
  /** Counts a request; returns the seconds to wait when the key is over its limit, else 0. */
  hit(key: string, now?: number): number;
}

export function createRateLimiter(max: number, windowMs: number): RateLimiter {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return {
    hit(key, now = Date.now()) {
      if (now - windowStart >= windowMs) {
        windowStart = now;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count > max ? Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) : 0;
    },
  };
}
