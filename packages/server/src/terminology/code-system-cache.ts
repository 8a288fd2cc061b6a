// An in-process cache of code system headers (tx_code_system rows) by URL and version, so $lookup,
// $validate-code and $expand do not read them on every request. An entry lives TTL_MS: a version
// loaded by another process (the import command) answers within that time; an import in this
// process empties the cache at once. Keyed by database handle, so transactions (other handles)
// always read their own snapshot. Holds no concepts and decides nothing.
import type { Queryable } from '../db/database.ts';
import type { CodeSystemRow } from './model.ts';

const TTL_MS = 2000;

interface Entry {
  row: CodeSystemRow | undefined;
  at: number;
  generation: number;
}

const caches = new WeakMap<Queryable, Map<string, Entry>>();
let generation = 0;

/** Forgets every cached header (after an import, in any database of this process). */
export function forgetCodeSystems(): void {
  generation++;
}

/** The cached header for (url, version), or what `load` reads (cached, absent ones too). */
export async function cachedCodeSystem(
  db: Queryable,
  url: string,
  version: string | undefined,
  load: () => Promise<CodeSystemRow | undefined>,
): Promise<CodeSystemRow | undefined> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${url}|${version ?? ''}|${version === undefined ? 'latest' : ''}`;
  const now = performance.now();
  const hit = cache.get(key);
  if (hit && hit.generation === generation && now - hit.at < TTL_MS) return hit.row;
  const started = generation;
  const row = await load();
  cache.set(key, { row, at: now, generation: started });
  return row;
}
