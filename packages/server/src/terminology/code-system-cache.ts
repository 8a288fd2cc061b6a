// An in-process cache of code system headers (tx_code_system rows) by URL and version, so $lookup,
// $validate-code and $expand do not read them on every request. An entry lives 2 s: a version
// loaded by another process (the import command) answers within that time; an import in this
// process empties the cache at once. Keyed by database handle, so transactions (other handles)
// always read their own snapshot. Holds no concepts and decides nothing.
import type { Queryable } from '../db/database.ts';
import { handleCache } from './handle-cache.ts';
import type { CodeSystemRow } from './model.ts';

const headers = handleCache<string, CodeSystemRow | undefined>(2000);

/** Forgets every cached header (after an import, in any database of this process). */
export const forgetCodeSystems = (): void => headers.forget();

/** The cached header for (url, version), or what `load` reads (cached, absent ones too). */
export const cachedCodeSystem = (
  db: Queryable,
  url: string,
  version: string | undefined,
  load: () => Promise<CodeSystemRow | undefined>,
): Promise<CodeSystemRow | undefined> =>
  headers.get(db, `${url}|${version ?? ''}|${version === undefined ? 'latest' : ''}`, load);
