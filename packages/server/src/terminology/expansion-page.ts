// The SQL that picks one page of an expansion. Without a filter: the value set's concepts in
// source order, with the exact total. With a type-ahead filter: ranked (exact code, code prefix,
// the words as a phrase, other matches; then non-abstract, weight, shorter display, code), and the
// matches are collected only up to CAP, so a filter's cost does not grow with the size of the code
// system. Up to CAP matches the page and total are exact. Beyond, for a value set drawn from one
// code system, the page is ranked among that system's code-prefix matches and the matches met while
// walking its concepts in use-frequency order (the total is then unknown); otherwise, or when the
// walk finds too few, every match is ranked. Builds SQL only; FHIR output is ./operations.ts's.
import type { Queryable } from '../db/database.ts';
import { CONCEPT_COLUMNS, SqlParams, filterCondition } from './concept-store.ts';
import { type ResolvedCompose, composeCondition } from './compose.ts';
import { likeEscape, type ParsedFilter } from './keys.ts';

/** Matches collected before a filter counts as common. */
const CAP = 1000;
/** Deepest page (offset + count) served by the use-frequency walk. */
const WALK_PAGE = 200;
/** Most concepts one walk reads. */
const WALK_MAX = 20_000;

export interface PageRequest {
  compose: ResolvedCompose;
  /** Further SQL conditions on alias c (activeOnly, excludeNotForUI). */
  conditions: string[];
  filter?: ParsedFilter;
  count: number;
  offset: number;
}

export interface PageRow extends Record<string, unknown> {
  url: string;
  version: string;
  language: string | null;
}

const RANK_ORDER = 'r, a, w DESC, l, code';

/** The page's wide columns, joined once the page's (cs, code) keys are chosen. */
const pageRows = (extra: string) => `
  SELECT ${CONCEPT_COLUMNS}, s.url, s.version, s.resource::jsonb ->> 'language' AS language, ${extra}
  FROM page JOIN tx_concept c ON c.cs = page.cs AND c.code = page.code JOIN tx_code_system s ON s.id = c.cs
  ORDER BY page.n`;

function where(req: PageRequest, p: SqlParams, probe: boolean): { where: string; rank: string } {
  const conds = [composeCondition(req.compose, p), ...req.conditions];
  if (!req.filter) return { where: conds.join(' AND '), rank: '0' };
  const f = filterCondition(req.filter, p, probe);
  return { where: [...conds, f.where].join(' AND '), rank: f.rank };
}

/** Every match ranked (or, without a filter, in source order), with the exact total. */
async function exactPage(db: Queryable, req: PageRequest): Promise<{ rows: PageRow[]; total: number }> {
  const p = new SqlParams();
  const w = where(req, p, true);
  const order = req.filter
    ? `${w.rank}, c.abstract, c.weight DESC, length(c.display), c.code`
    : 'c.cs, c.ord';
  const rows = await db.query<PageRow & { total: number }>(
    `WITH page AS (
       SELECT c.cs, c.code, row_number() OVER (ORDER BY ${order}) AS n, count(*) OVER () AS total
       FROM tx_concept c WHERE ${w.where} ORDER BY ${order} LIMIT ${p.add(req.count)} OFFSET ${p.add(req.offset)})
     ${pageRows('page.total')}`,
    p.values,
  );
  if (rows.length > 0 || (req.offset === 0 && req.count > 0))
    return { rows, total: Number(rows[0]?.total ?? 0) };
  const [r] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tx_concept c WHERE ${w.where}`,
    p.values.slice(0, -2),
  );
  return { rows, total: r?.n ?? 0 };
}

const narrow = (rank: string) =>
  `c.cs, c.code, ${rank} AS r, c.abstract AS a, c.weight AS w, length(c.display) AS l`;

/** The first CAP + 1 matches ranked; total exact when at most CAP matched. */
async function cappedPage(
  db: Queryable,
  req: PageRequest,
): Promise<{ rows: PageRow[]; matched: number } | undefined> {
  const p = new SqlParams();
  const w = where(req, p, true);
  const rows = await db.query<PageRow & { matched: number }>(
    `WITH m AS MATERIALIZED (SELECT ${narrow(w.rank)} FROM tx_concept c WHERE ${w.where} LIMIT ${CAP + 1}),
     page AS (SELECT cs, code, row_number() OVER (ORDER BY ${RANK_ORDER}) AS n FROM m
       ORDER BY ${RANK_ORDER} LIMIT ${p.add(req.count)} OFFSET ${p.add(req.offset)})
     ${pageRows('(SELECT count(*) FROM m) AS matched')}`,
    p.values,
  );
  if (rows.length === 0) return undefined;
  return { rows, matched: Number(rows[0]!.matched) };
}

/** The one code system a compose draws from (no nested value sets), if there is exactly one. */
function singleCodeSystem(compose: ResolvedCompose): { id: number; conceptCount: number } | undefined {
  const first = compose.includes[0]?.cs;
  if (!first) return undefined;
  const single = compose.includes.every((i) => i.cs?.id === first.id && i.valueSets.length === 0);
  return single ? first : undefined;
}

/** A common filter's page from the code-prefix matches and a walk in use-frequency order. */
async function walkedPage(
  db: Queryable,
  req: PageRequest & { filter: ParsedFilter },
  cs: { id: number; conceptCount: number },
): Promise<PageRow[] | undefined> {
  const need = req.offset + req.count;
  const walk = Math.min(WALK_MAX, cs.conceptCount, Math.ceil((8 * need * cs.conceptCount) / CAP));
  const p = new SqlParams();
  const w = where(req, p, false);
  const prefix = p.add(`${likeEscape(req.filter.code)}%`);
  const rows = await db.query<PageRow>(
    `WITH walked AS (SELECT * FROM tx_concept c WHERE c.cs = ${cs.id}
         ORDER BY c.abstract, c.weight DESC, length(c.display), c.code LIMIT ${walk}),
       coded AS (SELECT * FROM tx_concept c WHERE c.cs = ${cs.id} AND c.code_key LIKE ${prefix} LIMIT ${WALK_PAGE}),
       m AS (SELECT ${narrow(w.rank)} FROM walked c WHERE ${w.where}
             UNION SELECT ${narrow(w.rank)} FROM coded c WHERE ${w.where}),
       page AS (SELECT cs, code, row_number() OVER (ORDER BY ${RANK_ORDER}) AS n FROM m
         ORDER BY ${RANK_ORDER} LIMIT ${p.add(req.count)} OFFSET ${p.add(req.offset)})
     ${pageRows('NULL AS none')}`,
    p.values,
  );
  return rows.length === req.count ? rows : undefined;
}

/** One page of an expansion; `total` is undefined when a common filter's matches were not counted. */
export async function expansionPage(
  db: Queryable,
  req: PageRequest,
): Promise<{ rows: PageRow[]; total: number | undefined }> {
  if (!req.filter || req.count === 0) return exactPage(db, req);
  const capped = await cappedPage(db, req);
  if (capped && capped.matched <= CAP) return { rows: capped.rows, total: capped.matched };
  const cs = singleCodeSystem(req.compose);
  if (capped && cs && req.offset + req.count <= WALK_PAGE) {
    const rows = await walkedPage(db, { ...req, filter: req.filter }, cs);
    if (rows) return { rows, total: undefined };
  }
  return exactPage(db, req);
}
