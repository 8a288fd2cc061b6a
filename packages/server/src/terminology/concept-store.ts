// Reads of the concept tables the operations need (code system by URL, concept by code, ranked
// type-ahead). SQL only; what the rows mean for FHIR is decided in ./operations.ts, and imports
// live in ./bulk-load.ts.
import type { Queryable, SqlValue } from '../db/database.ts';
import { cachedCodeSystem } from './code-system-cache.ts';
import { codeKey, likeEscape, type ParsedFilter } from './keys.ts';
import { fitsVersionPattern, isVersionPattern } from './version-pattern.ts';
import type { CodeSystemRow, ConceptRow } from './model.ts';

interface CodeSystemDbRow {
  id: number;
  url: string;
  version: string;
  content: string;
  case_sensitive: boolean;
  resource: string;
  concept_count: number;
}

const toCodeSystem = (r: CodeSystemDbRow): CodeSystemRow => ({
  id: r.id,
  url: r.url,
  version: r.version,
  content: r.content,
  caseSensitive: r.case_sensitive,
  resource: JSON.parse(r.resource) as Record<string, unknown>,
  conceptCount: r.concept_count,
});

const CS_COLUMNS = 'id, url, version, content, case_sensitive, resource, concept_count';

/**
 * A code system version by URL (the most recently loaded when no version is named, or the most
 * recently loaded one a wildcard version such as "1.x" fits), from the in-process cache of
 * ./code-system-cache.ts.
 */
export function findCodeSystem(
  db: Queryable,
  url: string,
  version?: string,
): Promise<CodeSystemRow | undefined> {
  return cachedCodeSystem(db, url, version, async () => {
    if (version !== undefined && isVersionPattern(version)) {
      const all = await db.query<CodeSystemDbRow>(
        `SELECT ${CS_COLUMNS} FROM tx_code_system WHERE url = $1 ORDER BY id DESC`,
        [url],
      );
      const fit = all.find((r) => fitsVersionPattern(version, r.version));
      return fit && toCodeSystem(fit);
    }
    const rows = await db.query<CodeSystemDbRow>(
      version === undefined
        ? `SELECT ${CS_COLUMNS} FROM tx_code_system WHERE url = $1 ORDER BY id DESC LIMIT 1`
        : `SELECT ${CS_COLUMNS} FROM tx_code_system WHERE url = $1 AND version = $2`,
      version === undefined ? [url] : [url, version],
    );
    return rows[0] && toCodeSystem(rows[0]);
  });
}

/** A code system by the id of its CodeSystem resource (instance-level operations). */
export async function findCodeSystemById(db: Queryable, id: string): Promise<CodeSystemRow | undefined> {
  const rows = await db.query<CodeSystemDbRow>(
    `SELECT ${CS_COLUMNS} FROM tx_code_system WHERE resource::jsonb ->> 'id' = $1 ORDER BY id DESC LIMIT 1`,
    [id],
  );
  return rows[0] && toCodeSystem(rows[0]);
}

interface ConceptDbRow {
  cs: number;
  code: string;
  display: string | null;
  definition: string | null;
  designation: string | null;
  parents: string[];
  ancestors: string[];
  abstract: boolean;
  inactive: boolean;
  properties: string | null;
}

export const CONCEPT_COLUMNS =
  'c.cs, c.code, c.display, c.definition, c.designation, c.parents, c.ancestors, c.abstract, c.inactive, c.properties';

export const toConcept = (r: ConceptDbRow): ConceptRow => ({
  cs: r.cs,
  code: r.code,
  display: r.display,
  definition: r.definition,
  designations: r.designation ? (JSON.parse(r.designation) as ConceptRow['designations']) : [],
  parents: r.parents,
  ancestors: r.ancestors,
  abstract: r.abstract,
  inactive: r.inactive,
  properties: r.properties ? (JSON.parse(r.properties) as ConceptRow['properties']) : [],
});

/** One concept by code (case-insensitively when the code system says so). */
export async function findConcept(
  db: Queryable,
  cs: Pick<CodeSystemRow, 'id' | 'caseSensitive'>,
  code: string,
): Promise<ConceptRow | undefined> {
  const rows = await db.query<ConceptDbRow>(
    cs.caseSensitive
      ? `SELECT ${CONCEPT_COLUMNS} FROM tx_concept c WHERE c.cs = $1 AND c.code = $2`
      : `SELECT ${CONCEPT_COLUMNS} FROM tx_concept c WHERE c.cs = $1 AND c.code_key = $3 AND lower(c.code) = lower($2)`,
    cs.caseSensitive ? [cs.id, code] : [cs.id, code, codeKey(code)],
  );
  return rows[0] && toConcept(rows[0]);
}

/** Direct children of a concept (for $lookup's child property). */
export async function childCodes(db: Queryable, cs: number, code: string): Promise<string[]> {
  const rows = await db.query<{ code: string }>(
    `SELECT code FROM tx_concept WHERE cs = $1 AND ancestors @> ARRAY[$2]::text[] AND parents @> ARRAY[$2]::text[]
     ORDER BY ord LIMIT 1000`,
    [cs, code],
  );
  return rows.map((r) => r.code);
}

/** Parameter collector for dynamically built SQL. */
export class SqlParams {
  readonly values: SqlValue[] = [];
  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The WHERE condition of a type-ahead filter on alias c: the code starts with the filter, or
 * every filter word starts a word of the displays. The rank expression orders exact code, code
 * prefix, the filter's words as one phrase, then the rest; ties go to weight (use frequency).
 * The word-prefix keys' GIN index finds the candidates having every key of `probe` (by default
 * all of the filter's); with none the condition only filters rows reached another way.
 */
export function filterCondition(
  filter: ParsedFilter,
  p: SqlParams,
  probe: readonly number[] = filter.keys,
): { where: string; rank: string } {
  const code = filter.code ? p.add(likeEscape(filter.code) + '%') : undefined;
  const starts = filter.words.map((w) => `c.search LIKE ${p.add(`% ${likeEscape(w)}%`)}`);
  if (probe.length > 0) starts.unshift(`c.word_keys @> ${p.add(probe)}::bigint[]`);
  const wordsCond = starts.join(' AND ');
  const where = code ? `(c.code_key LIKE ${code} OR (${wordsCond}))` : `(${wordsCond})`;
  const exact = filter.code ? p.add(filter.code) : "''";
  const phrase = p.add(`% ${likeEscape(filter.phrase)}%`);
  const rank = `CASE WHEN c.code_key = ${exact} THEN 0 WHEN ${code ? `c.code_key LIKE ${code}` : 'false'} THEN 1
    WHEN c.search LIKE ${phrase} THEN 2 ELSE 3 END`;
  return { where, rank };
}
