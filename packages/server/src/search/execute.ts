// Runs a parsed search against the store: one keyset-paged query with the criteria and the
// visible-resource condition, a count when asked, and the `_include`/`_revinclude` resources.
// Returns rows and cursors; shaping the Bundle is the caller's.
import type { Queryable } from '../db/database.ts';
import { type Sql, and, join, raw, sql } from '../db/sql.ts';
import type { AccessContext, AccessPolicy } from '../store/model.ts';
import { compileFilters, stringCandidates, stringDriver } from './compile.ts';
import {
  type Cursor,
  cursorCondition,
  decodeCursor,
  encodeCursor,
  orderBy,
  sortExpression,
  sortSignature,
} from './cursor.ts';
import { type IncludeResult, readIncludes } from './include.ts';
import type { Filter, SearchRequest } from './model.ts';
import { type Visibility, visibility } from './visibility.ts';

export interface SearchRow {
  type: string;
  id: string;
  version: number;
  last_updated: Date;
  content: string;
  /** The Patient ids whose compartment holds the resource (for the audit trail). */
  compartment: string[];
}

export interface SearchResult {
  rows: SearchRow[];
  included: IncludeResult;
  /** Cursors of the next and previous pages, when there are such pages. */
  next: string | undefined;
  previous: string | undefined;
  total: number | undefined;
}

export interface SearchScope {
  db: Queryable;
  policy: AccessPolicy;
  ctx: AccessContext;
  baseUrl: string;
}

type PageRow = SearchRow & Record<`c${number}`, string | null>;

/**
 * The WHERE condition of the search over alias `r` (type, criteria, visibility); `except` leaves
 * out a criterion the page query already guarantees (its driver).
 */
export function searchCondition(
  request: SearchRequest,
  visible: Visibility,
  baseUrl: string,
  except?: Filter,
): Sql {
  return and([
    sql`r.type = ${request.type}`,
    visible('r'),
    compileFilters(
      request.criteria.filter((f) => f !== except),
      'r',
      { visible, baseUrl },
    ),
  ]);
}

/** The criterion that drives the page query, when one can (default sort by id only). */
export const pageDriver = (request: SearchRequest) =>
  request.sort.length === 0 ? stringDriver(request.criteria) : undefined;

/**
 * Above this many candidate ids the driver is not selective: the planner's own plan is better.
 * Measured at 1 M resources (docs/BENCHMARKS.md, "Search"): the driver costs ~3 ms per 1,000
 * candidates, the plain plan 10–38 ms depending on how densely matches fall in id order; they cross
 * between 4,300 ("minh": driver 15 ms, plain 35) and 5,100 candidates.
 */
const DRIVER_LIMIT = 4500;

/**
 * The page query (also what the benchmark EXPLAINs). With a driver (a selective name criterion, up
 * to DRIVER_LIMIT candidate ids), the candidates are walked in page order and joined to their
 * resources only until the page is full — `withoutDriver` (searchCondition's `except`) is the
 * condition they still have to meet. With more candidates (a common prefix such as "nguy"), the
 * plain query runs instead, where PostgreSQL walks resources in id order and stops early. Both
 * branches are in one statement; a one-time filter runs only one of them.
 */
export function pageQuery(
  request: SearchRequest,
  where: Sql,
  cursor: Cursor | undefined,
  withoutDriver: Sql = where,
): Sql {
  const keys = request.sort.map((key, i) => {
    const expr = sortExpression(key, 'r');
    return sql`${expr} AS ${raw(`k${i}`)}, (${expr})::text AS ${raw(`c${i}`)}`;
  });
  const columns = join(
    [raw('r.type, r.id, r.version, r.last_updated, r.content, r.compartment'), ...keys],
    ', ',
  );
  const after = cursor ? cursorCondition(request.sort, 'r', cursor) : raw('TRUE');
  const order = orderBy(request.sort, 'r', cursor?.back ?? false);
  const driver = pageDriver(request);
  const plain = sql`SELECT ${columns} FROM resource r WHERE ${where} AND ${after}
    ORDER BY ${order} LIMIT ${request.count + 1}`;
  if (!driver) return plain;
  const direction = raw(cursor?.back ? 'DESC' : 'ASC');
  return sql`WITH cand AS MATERIALIZED (${stringCandidates(driver, request.type)} LIMIT ${DRIVER_LIMIT + 1}),
      few AS MATERIALIZED (SELECT count(*) <= ${DRIVER_LIMIT} AS yes FROM cand)
    SELECT * FROM (
      (SELECT ${columns}
         FROM (SELECT DISTINCT c.id FROM cand c ORDER BY c.id ${direction}) k
         JOIN resource r ON r.type = ${request.type} AND r.id = k.id
        WHERE (SELECT yes FROM few) AND ${withoutDriver} AND ${after} ORDER BY ${order} LIMIT ${request.count + 1})
      UNION ALL
      (SELECT ${columns} FROM resource r
        WHERE NOT (SELECT yes FROM few) AND ${where} AND ${after} ORDER BY ${order} LIMIT ${request.count + 1})
    ) r ORDER BY ${order}`;
}

async function run<T>(db: Queryable, query: Sql): Promise<T[]> {
  const { text, params } = query.render();
  return db.query<T>(text, params);
}

export async function executeSearch(scope: SearchScope, request: SearchRequest): Promise<SearchResult> {
  const visible = visibility(scope.policy, scope.ctx);
  const where = searchCondition(request, visible, scope.baseUrl);
  const cursor = request.cursor ? decodeCursor(request.cursor, request.sort) : undefined;
  const counted = request.total !== 'none' || request.summary === 'count';
  const total = counted ? await count(scope.db, where, request.total === 'estimate') : undefined;
  const none: IncludeResult = { rows: [], truncated: false };
  if (request.summary === 'count' || request.count === 0) {
    return { rows: [], included: none, next: undefined, previous: undefined, total };
  }
  const driver = pageDriver(request);
  const withoutDriver = driver ? searchCondition(request, visible, scope.baseUrl, driver) : where;
  const rows = await run<PageRow>(scope.db, pageQuery(request, where, cursor, withoutDriver));
  const more = rows.length > request.count;
  if (more) rows.pop();
  if (cursor?.back) rows.reverse();
  const boundary = (row: PageRow | undefined, back: boolean) =>
    row &&
    encodeCursor({
      values: request.sort.map((_, i) => row[`c${i}`] ?? null),
      id: row.id,
      back,
      sort: sortSignature(request.sort),
    });
  // Going forward, a previous page exists when we came from a cursor; going back, a next one does.
  const hasNext = cursor?.back ? true : more;
  const hasPrevious = cursor ? (cursor.back ? more : true) : false;
  const included = await readIncludes(scope.db, visible, request, rows);
  return {
    rows: rows.map(({ type, id, version, last_updated, content, compartment }) => ({
      type,
      id,
      version,
      last_updated,
      content,
      compartment,
    })),
    included,
    next: hasNext ? boundary(rows.at(-1), false) : undefined,
    previous: hasPrevious ? boundary(rows[0], true) : undefined,
    total,
  };
}

/** The number of matches; with `estimate`, the planner's estimate when it is large. */
async function count(db: Queryable, where: Sql, estimate: boolean): Promise<number> {
  if (estimate) {
    const [plan] = await run<{ 'QUERY PLAN': unknown }>(
      db,
      sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM resource r WHERE ${where}`,
    );
    const parsed =
      typeof plan?.['QUERY PLAN'] === 'string' ? JSON.parse(plan['QUERY PLAN']) : plan?.['QUERY PLAN'];
    const rows = Number((parsed as { Plan: { 'Plan Rows': number } }[])[0]?.Plan['Plan Rows']);
    if (rows > ESTIMATE_ABOVE) return rows;
  }
  const [row] = await run<{ n: number | string }>(
    db,
    sql`SELECT count(*) AS n FROM resource r WHERE ${where}`,
  );
  return Number(row?.n ?? 0);
}

/** Below this many estimated matches `_total=estimate` counts exactly (it is cheap). */
const ESTIMATE_ABOVE = 10_000;

/** Ids of resources matching a conditional operation's criteria (at most `limit`). */
export async function matchIds(
  db: Queryable,
  policy: AccessPolicy,
  ctx: AccessContext,
  request: SearchRequest,
  limit: number,
  baseUrl = '',
): Promise<string[]> {
  const result = await executeSearch(
    { db, policy, ctx, baseUrl },
    {
      ...request,
      count: limit,
      cursor: undefined,
      total: 'none',
      summary: 'false',
      include: [],
      revinclude: [],
    },
  );
  return result.rows.map((r) => r.id);
}
