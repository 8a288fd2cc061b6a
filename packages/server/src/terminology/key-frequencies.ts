// How common each word-prefix key is in a code system version (tx_word_key_freq, kept by an import
// in ./bulk-load.ts), cached in this process, and the type-ahead plan they suggest for a filter. The
// frequencies only choose how matches are found, never which: a stale entry costs time, not
// correctness, so entries live a minute (an import in this process empties the cache at once).
import type { Queryable } from '../db/database.ts';
import { handleCache } from './handle-cache.ts';

/** Fractions of a version's concepts having each listed key; `other` bounds every key not listed. */
export interface KeyFrequencies {
  listed: Map<number, number>;
  other: number;
}

const cache = handleCache<number, KeyFrequencies | undefined>(60_000);

/** Forgets every cached frequency (after an import in this process). */
export const forgetKeyFrequencies = (): void => cache.forget();

/** A version's key frequencies; undefined when none were kept (imported before they were). */
export const keyFrequencies = (db: Queryable, cs: number): Promise<KeyFrequencies | undefined> =>
  cache.get(db, cs, async () => {
    const rows = await db.query<{ key: number; freq: number }>(
      'SELECT key, freq FROM tx_word_key_freq WHERE cs = $1',
      [cs],
    );
    const listed = new Map(rows.map((r) => [Number(r.key), r.freq]));
    const other = listed.get(0);
    listed.delete(0);
    return other === undefined ? undefined : { listed, other };
  });

/**
 * A filter key's frequency over several versions: the highest (a key not known in one of them
 * counts as in every concept).
 */
export function keyFrequency(versions: readonly (KeyFrequencies | undefined)[], key: number): number {
  let f = 0;
  for (const v of versions) f = Math.max(f, v === undefined ? 1 : (v.listed.get(key) ?? v.other));
  return f;
}
