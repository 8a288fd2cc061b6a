// The read condition of fine-grained SMART scopes (`patient/Observation.rs?category=…|laboratory`):
// a row of a type the token reads only through queries must match one of them, judged on the search
// index of the resource's current version (access/index-match.ts). SQL text only: which scopes a
// token holds is decided by scopes.ts.
import { type Sql, and, or, raw, sql } from '../db/sql.ts';
import { hasToken } from './index-match.ts';
import type { ScopeFilter } from './scopes.ts';

/** Row `a` is of one of the types and matches one of that type's queries. */
export function filteredRead(a: string, byType: ReadonlyMap<string, ScopeFilter[][]>): Sql[] {
  return [...byType].map(([type, queries]) =>
    and([
      sql`${raw(a)}.type = ${type}`,
      or(queries.map((q) => and(q.map((f) => hasToken(a, f.param, f.values))))),
    ]),
  );
}
