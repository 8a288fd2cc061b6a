// A small in-process cache of values read from the database, per database handle (so a transaction,
// another handle, always reads its own snapshot) and per key. An entry lives `ttlMs`, so what another
// process wrote shows within that time; `forget()` (after an import in this process) empties it at
// once, and a value read while a forget happened is not kept as current. Absent values are cached
// too. Holds no I/O of its own: `load` reads.
import type { Queryable } from '../db/database.ts';

interface Entry<V> {
  value: V;
  at: number;
  generation: number;
}

export interface HandleCache<K, V> {
  get(db: Queryable, key: K, load: () => Promise<V>): Promise<V>;
  forget(): void;
}

export function handleCache<K, V>(ttlMs: number): HandleCache<K, V> {
  const caches = new WeakMap<Queryable, Map<K, Entry<V>>>();
  let generation = 0;
  return {
    async get(db, key, load) {
      let cache = caches.get(db);
      if (!cache) caches.set(db, (cache = new Map()));
      const now = performance.now();
      const hit = cache.get(key);
      if (hit && hit.generation === generation && now - hit.at < ttlMs) return hit.value;
      const started = generation;
      const value = await load();
      cache.set(key, { value, at: now, generation: started });
      return value;
    },
    forget() {
      generation++;
    },
  };
}
