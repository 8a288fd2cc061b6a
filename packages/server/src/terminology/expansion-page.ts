// The SQL that picks one page of an expansion. Without a filter: the value set's concepts in
// source order, with the exact total. With a type-ahead filter: ranked (exact code, code prefix,
// the words as a phrase, other matches; then non-abstract, weight, shorter display, code), and the
// matches are collected only up to CAP, so a filter's cost does not grow with the size of the code
// system. Up to CAP matches the page and total are exact. Beyond, the page is ranked among the
// code-prefix matches and the first CAP + 1 word matches, which are the most used ones because
// each code system's concepts are stored in that order (./bulk-load.ts); the total is then not
// given. How the matches are found depends on how common the filter's words are
// (./key-frequencies.ts), never which ones are. Builds SQL only; the FHIR answer is ./operations.ts's.
import type { Queryable } from '../db/database.ts';
import { CONCEPT_COLUMNS, SqlParams, filterCondition } from './concept-store.ts';
import { type ResolvedCompose, composeCondition } from './compose.ts';
import { keyFrequencies, keyFrequency } from './key-frequencies.ts';
import { likeEscape, type ParsedFilter } from './keys.ts';

/** Matches collected before a filter counts as common. */
const CAP = 100;
/** Most used concepts read before the word-key index is probed. */
const HEAD = 1000;
/**
 * How common the filter's rarest key must be for the head to be read first: among a rarer
 * filter's matches the HEAD most used concepts seldom hold CAP, and reading them only adds to the
 * probe.
 */
const HEAD_MIN_FREQ = 0.1;
/**
 * Keys a rare filter's probe asks the index for: its rarest ones. The rest are left to the LIKE
 * checks — merging the long posting lists of common words costs more than checking the rows they
 * would remove, while with only one key a word combination much rarer than its rarest word (the
 * syllables of a Vietnamese word always go together, others do not) leaves too many rows to check.
 */
const PROBE_KEYS = 2;
/** The columns filters and compose conditions read (not the wide designation and word keys). */
const HEAD_COLUMNS =
  'c.cs, c.code, c.code_key, c.display, c.search, c.parents, c.ancestors, c.ord, c.weight, c.abstract, c.inactive, c.properties';

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

/** The code system versions a compose reads (includes, nested value sets included). */
function composeSystems(compose: ResolvedCompose, out = new Set<number>()): Set<number> {
  for (const inc of compose.includes) {
    if (inc.cs) out.add(inc.cs.id);
    for (const vs of inc.valueSets) composeSystems(vs, out);
  }
  return out;
}

/**
 * The page's wide columns, joined once the page's (cs, code) keys are chosen; on one version's
 * partition when the compose reads one (planning the join over every partition costs more).
 */
const pageRows = (req: PageRequest, extra: string) => {
  const systems = [...composeSystems(req.compose)];
  const one = systems.length === 1 ? ` AND c.cs = ${systems[0]!}` : '';
  return `
  SELECT ${CONCEPT_COLUMNS}, s.url, s.version, s.resource::jsonb ->> 'language' AS language, ${extra}
  FROM page JOIN tx_concept c ON c.cs = page.cs AND c.code = page.code${one} JOIN tx_code_system s ON s.id = c.cs
  ORDER BY page.n`;
};

/** Every match ranked (or, without a filter, in source order), with the exact total. */
async function exactPage(db: Queryable, req: PageRequest): Promise<{ rows: PageRow[]; total: number }> {
  const p = new SqlParams();
  const conds = [composeCondition(req.compose, p), ...req.conditions];
  const f = req.filter && filterCondition(req.filter, p);
  if (f) conds.push(f.where);
  const where = conds.join(' AND ');
  const order = f ? `${f.rank}, c.abstract, c.weight DESC, length(c.display), c.code` : 'c.cs, c.ord';
  const rows = await db.query<PageRow & { total: number }>(
    `WITH page AS (
       SELECT c.cs, c.code, row_number() OVER (ORDER BY ${order}) AS n, count(*) OVER () AS total
       FROM tx_concept c WHERE ${where} ORDER BY ${order} LIMIT ${p.add(req.count)} OFFSET ${p.add(req.offset)})
     ${pageRows(req, 'page.total')}`,
    p.values,
  );
  if (rows.length > 0 || (req.offset === 0 && req.count > 0))
    return { rows, total: Number(rows[0]?.total ?? 0) };
  const [r] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tx_concept c WHERE ${where}`,
    p.values.slice(0, -2),
  );
  return { rows, total: r?.n ?? 0 };
}

const RANK_ORDER = 'r, a, w DESC, l, code';

/**
 * How a filter's matches are found. A common filter (every key in HEAD_MIN_FREQ of the concepts or
 * more; or frequencies not known) reads the HEAD most used concepts first and probes the index with
 * all its keys only when they hold too few matches. A rarer one (or one with a digit: a code or a
 * strength) goes straight to the index, probing its PROBE_KEYS rarest keys.
 */
async function choosePlan(
  db: Queryable,
  req: PageRequest & { filter: ParsedFilter },
): Promise<{ head: boolean; keys: number[] }> {
  const { keys } = req.filter;
  const digit = /[0-9]/.test(req.filter.code);
  const versions = await Promise.all([...composeSystems(req.compose)].map((cs) => keyFrequencies(db, cs)));
  const ranked = keys.map((key) => ({ key, f: keyFrequency(versions, key) })).sort((a, b) => a.f - b.f);
  const rarest = ranked[0]?.f ?? 1;
  if (rarest >= HEAD_MIN_FREQ && !digit) return { head: true, keys };
  return { head: false, keys: ranked.slice(0, PROBE_KEYS).map((k) => k.key) };
}

/**
 * The page among the code-prefix matches and the first CAP + 1 word matches, and how many
 * matches that made (more than CAP: a common filter, the rest not looked at). For a common filter
 * the first HEAD concepts (the most used) are read first; only when they hold too few matches does
 * the word-key index find the rest — for a very common word, building its index bitmap costs more
 * than that (choosePlan). Either way the matches are the first ones in storage order.
 */
async function cappedPage(
  db: Queryable,
  req: PageRequest & { filter: ParsedFilter },
): Promise<{ rows: PageRow[]; matched: number }> {
  const plan = await choosePlan(db, req);
  const p = new SqlParams();
  const base = [composeCondition(req.compose, p), ...req.conditions].join(' AND ');
  const scan = plan.head ? filterCondition(req.filter, p, []) : undefined;
  const probe = filterCondition(req.filter, p, plan.keys);
  const narrow = (rank: string) =>
    `c.cs, c.code, ${rank} AS r, c.abstract AS a, c.weight AS w, length(c.display) AS l`;
  const prefix = p.add(`${likeEscape(req.filter.code)}%`);
  const union = (select: string) =>
    `UNION (SELECT ${narrow(probe.rank)} FROM tx_concept c WHERE ${base} AND ${select} LIMIT ${CAP + 1})`;
  const codes = union(`c.code_key LIKE ${prefix}`);
  const ctes = scan
    ? `head AS MATERIALIZED (SELECT ${narrow(scan.rank)}
         FROM (SELECT ${HEAD_COLUMNS} FROM tx_concept c WHERE ${base} LIMIT ${HEAD}) c
         WHERE ${scan.where} LIMIT ${CAP + 1}),
       m AS MATERIALIZED (SELECT * FROM head
         ${union(`${probe.where} AND (SELECT count(*) FROM head) <= ${CAP}`)}
         ${codes})`
    : `m AS MATERIALIZED ((SELECT ${narrow(probe.rank)} FROM tx_concept c WHERE ${base} AND ${probe.where}
         LIMIT ${CAP + 1}) ${codes})`;
  const limit = p.add(req.count);
  const offset = p.add(req.offset);
  const rows = await db.query<PageRow & { matched: number }>(
    `WITH ${ctes},
     page AS (SELECT cs, code, row_number() OVER (ORDER BY ${RANK_ORDER}) AS n FROM m
       ORDER BY ${RANK_ORDER} LIMIT ${limit} OFFSET ${offset})
     ${pageRows(req, '(SELECT count(*) FROM m) AS matched')}`,
    p.values,
  );
  if (rows.length > 0) return { rows, matched: Number(rows[0]!.matched) };
  if (req.offset === 0) return { rows, matched: 0 };
  const [r] = await db.query<{ n: number }>(
    `WITH ${ctes} SELECT count(*)::int AS n FROM m`,
    p.values.slice(0, -2),
  );
  return { rows, matched: r?.n ?? 0 };
}

/** One page of an expansion; `total` is undefined when a common filter's matches were not counted. */
export async function expansionPage(
  db: Queryable,
  req: PageRequest,
): Promise<{ rows: PageRow[]; total: number | undefined }> {
  if (!req.filter || req.count === 0) return exactPage(db, req);
  const capped = await cappedPage(db, { ...req, filter: req.filter });
  if (capped.matched <= CAP) return { rows: capped.rows, total: capped.matched };
  if (req.offset + req.count <= CAP) return { rows: capped.rows, total: undefined };
  return exactPage(db, req);
}
