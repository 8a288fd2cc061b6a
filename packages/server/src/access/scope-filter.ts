// The read condition of fine-grained SMART scopes (`patient/Observation.rs?category=…|laboratory`):
// a row of a type the token reads only through queries must match one of them, judged on the search
// index of the resource's current version — so an older version in history reads only while it is
// the current one. SQL text only: which scopes a token holds is decided by scopes.ts.
import { type Sql, and, or, raw, sql } from '../db/sql.ts';
import { tokenValue } from '../search/values.ts';
import type { ScopeFilter } from './scopes.ts';

function matches(a: string, f: ScopeFilter): Sql {
  const col = (column: string) => raw(`scope_x.${column}`);
  return sql`EXISTS (SELECT 1 FROM idx_token scope_x WHERE scope_x.type = ${raw(a)}.type AND scope_x.id = ${raw(a)}.id
     AND scope_x.param = ${f.param} AND ${or(f.values.map((v) => tokenValue(col, v)))})`;
}

/** Row `a` is of one of the types and matches one of that type's queries. */
export function filteredRead(a: string, byType: ReadonlyMap<string, ScopeFilter[][]>): Sql[] {
  const current = sql`EXISTS (SELECT 1 FROM resource scope_c WHERE scope_c.type = ${raw(a)}.type AND scope_c.id = ${raw(a)}.id
     AND scope_c.version = ${raw(a)}.version)`;
  return [...byType].map(([type, queries]) =>
    and([sql`${raw(a)}.type = ${type}`, current, or(queries.map((q) => and(q.map((f) => matches(a, f)))))]),
  );
}
