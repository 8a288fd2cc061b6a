// Runs a parsed search against the store: one keyset-paged query with the criteria and the access
// policy's conditions, plus a count when asked. Returns rows; shaping the Bundle is the caller's.
import type { Queryable } from '../db/database.ts';
import { type Sql, and, raw, sql } from '../db/sql.ts';
import type { AccessContext, AccessPolicy } from '../store/model.ts';
import { compileCriteria } from './compile.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { SearchRequest } from './model.ts';

export interface SearchRow {
  type: string;
  id: string;
  version: number;
  last_updated: Date;
  content: string;
}

export interface SearchResult {
  rows: SearchRow[];
  /** Cursor for the next page, when there is one. */
  next: string | undefined;
  total: number | undefined;
}

function cursorCondition(request: SearchRequest): Sql {
  if (!request.cursor) return raw('TRUE');
  const key = decodeCursor(request.cursor);
  const [first] = request.sort;
  const op = raw(first?.descending ? '<' : '>');
  if (first?.param === '_lastUpdated') {
    return sql`(r.last_updated, r.id) ${op} (${key.lastUpdated ?? null}::timestamptz, ${key.id})`;
  }
  return sql`r.id ${op} ${key.id}`;
}

function orderBy(request: SearchRequest): Sql {
  const [first] = request.sort;
  const dir = first?.descending ? 'DESC' : 'ASC';
  return raw(first?.param === '_lastUpdated' ? `r.last_updated ${dir}, r.id ${dir}` : `r.id ${dir}`);
}

export async function executeSearch(
  db: Queryable,
  policy: AccessPolicy,
  ctx: AccessContext,
  request: SearchRequest,
): Promise<SearchResult> {
  const where = and([
    sql`r.type = ${request.type}`,
    raw('NOT r.deleted'),
    compileCriteria(request.criteria),
    ...policy.readConditions(ctx, 'r'),
  ]);
  const total = request.total === 'accurate' || request.summaryCount ? await count(db, where) : undefined;
  if (request.summaryCount || request.count === 0) return { rows: [], next: undefined, total };
  const page = sql`SELECT r.type, r.id, r.version, r.last_updated, r.content FROM resource r
    WHERE ${where} AND ${cursorCondition(request)} ORDER BY ${orderBy(request)} LIMIT ${request.count + 1}`;
  const { text, params } = page.render();
  const rows = await db.query<SearchRow>(text, params);
  const more = rows.length > request.count;
  if (more) rows.pop();
  const last = rows.at(-1);
  const next =
    more && last
      ? encodeCursor({
          id: last.id,
          ...(request.sort[0]?.param === '_lastUpdated'
            ? { lastUpdated: last.last_updated.toISOString() }
            : {}),
        })
      : undefined;
  return { rows, next, total };
}

async function count(db: Queryable, where: Sql): Promise<number> {
  const { text, params } = sql`SELECT count(*) AS n FROM resource r WHERE ${where}`.render();
  const [row] = await db.query<{ n: number | string }>(text, params);
  return Number(row?.n ?? 0);
}

/** Ids of resources matching a conditional operation's criteria (at most `limit`). */
export async function matchIds(
  db: Queryable,
  policy: AccessPolicy,
  ctx: AccessContext,
  request: SearchRequest,
  limit: number,
): Promise<string[]> {
  const result = await executeSearch(db, policy, ctx, {
    ...request,
    count: limit,
    cursor: undefined,
    total: 'none',
  });
  return result.rows.map((r) => r.id);
}
