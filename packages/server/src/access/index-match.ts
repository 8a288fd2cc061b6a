// Conditions on what a row's search index holds, for the access rules that narrow by content (a
// fine-grained scope's query, a Consent provision's codes). The index describes a resource's current
// version only, so each condition also requires the row to be that version: an older version in
// history never passes on what a later one contains. SQL text only.
import { type Sql, and, or, raw, sql } from '../db/sql.ts';
import { tokenValue } from '../search/values.ts';

/** Row `a` (of resource or resource_history) is its resource's current version. */
const current = (a: string) =>
  sql`EXISTS (SELECT 1 FROM resource idx_c WHERE idx_c.type = ${raw(a)}.type AND idx_c.id = ${raw(a)}.id
     AND idx_c.version = ${raw(a)}.version)`;

/** Row `a` has, under the token parameter `param`, one of `values` (`system|code`, `code`, …). */
export function hasToken(a: string, param: string, values: readonly string[]): Sql {
  const col = (column: string) => raw(`idx_t.${column}`);
  return and([
    sql`EXISTS (SELECT 1 FROM idx_token idx_t WHERE idx_t.type = ${raw(a)}.type AND idx_t.id = ${raw(a)}.id
       AND idx_t.param = ${param} AND ${or(values.map((v) => tokenValue(col, v)))})`,
    current(a),
  ]);
}

/** Row `a` has, under any token parameter, one of the `system|code` tokens of the SQL array `codes`. */
export function hasAnyCode(a: string, codes: Sql): Sql {
  return and([
    sql`EXISTS (SELECT 1 FROM idx_token idx_t WHERE idx_t.type = ${raw(a)}.type AND idx_t.id = ${raw(a)}.id
       AND idx_t.system || '|' || idx_t.code = ANY(${codes}))`,
    current(a),
  ]);
}
