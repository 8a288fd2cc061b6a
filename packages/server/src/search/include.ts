// `_include` and `_revinclude`: the resources a page's matches reference, or that reference them,
// read in one query per include parameter and round (`:iterate` repeats on what was included, at
// most MAX_ROUNDS rounds), each through the visible-resource condition. Bounded: at most
// MAX_INCLUDED resources per page; `truncated` says when more would have come.
import type { Queryable } from '../db/database.ts';
import { type Sql, and, raw, sql } from '../db/sql.ts';
import type { Include, SearchRequest } from './model.ts';
import type { SearchRow } from './execute.ts';
import type { Visibility } from './visibility.ts';

export const MAX_INCLUDED = 1000;
const MAX_ROUNDS = 4;

export interface IncludeResult {
  rows: SearchRow[];
  truncated: boolean;
}

const COLUMNS = raw('r.type, r.id, r.version, r.last_updated, r.content, r.compartment');

/** The reference rows `x` of `include` leaving one of `from` (type, id pairs). */
function referenceRows(include: Include, from: SearchRow[], side: 'source' | 'target'): Sql {
  const types = from.map((r) => r.type);
  const ids = from.map((r) => r.id);
  const pairs = sql`SELECT * FROM unnest(${types}::text[], ${ids}::text[])`;
  const conditions = [
    side === 'source'
      ? sql`x.id = ANY(${ids}::text[]) AND (x.type, x.id) IN (${pairs})`
      : sql`x.target_id = ANY(${ids}::text[]) AND (x.target_type, x.target_id) IN (${pairs})`,
  ];
  if (include.source !== '*') conditions.push(sql`x.type = ${include.source}`);
  if (include.param !== '*') conditions.push(sql`x.param = ${include.param}`);
  if (include.target !== undefined) conditions.push(sql`x.target_type = ${include.target}`);
  return and(conditions);
}

function includeQuery(
  visible: Visibility,
  include: Include,
  from: SearchRow[],
  reverse: boolean,
  limit: number,
): Sql {
  const link = reverse
    ? sql`(r.type, r.id) IN (SELECT x.type, x.id FROM idx_reference x WHERE ${referenceRows(include, from, 'target')})`
    : sql`(r.type, r.id) IN (SELECT x.target_type, x.target_id FROM idx_reference x WHERE ${referenceRows(include, from, 'source')})`;
  return sql`SELECT ${COLUMNS} FROM resource r WHERE ${link} AND ${visible('r')} ORDER BY r.type, r.id LIMIT ${limit}`;
}

export async function readIncludes(
  db: Queryable,
  visible: Visibility,
  request: SearchRequest,
  matches: SearchRow[],
): Promise<IncludeResult> {
  const key = (r: SearchRow) => `${r.type}/${r.id}`;
  const seen = new Set(matches.map(key));
  const included: SearchRow[] = [];
  let truncated = false;
  const all = [
    ...request.include.map((include) => ({ include, reverse: false })),
    ...request.revinclude.map((include) => ({ include, reverse: true })),
  ];
  let frontier = matches;
  for (let round = 0; round < MAX_ROUNDS && frontier.length > 0 && !truncated; round++) {
    const found: SearchRow[] = [];
    for (const { include, reverse } of all) {
      if (round > 0 && !include.iterate) continue;
      const from =
        reverse || include.source === '*' ? frontier : frontier.filter((r) => r.type === include.source);
      if (from.length === 0) continue;
      const room = MAX_INCLUDED - included.length - found.length;
      const { text, params } = includeQuery(visible, include, from, reverse, room + 1).render();
      for (const row of await db.query<SearchRow>(text, params)) {
        if (seen.has(key(row))) continue;
        if (included.length + found.length >= MAX_INCLUDED) {
          truncated = true;
          break;
        }
        seen.add(key(row));
        found.push(row);
      }
    }
    included.push(...found);
    frontier = found;
  }
  return { rows: included, truncated };
}
