// Value sets and concept maps: storing their definitions, finding them by canonical URL (loaded
// definitions first, then ValueSet resources in the FHIR store), the implicit all-codes value set
// `<system>?fhir_vs`, and resolving a compose's code systems and nested value sets for ./compose.ts.
import type { Database, Queryable } from '../db/database.ts';
import { FhirError, badRequest, notFound } from '../errors.ts';
import type { ComposeFilter, ResolvedCompose, ResolvedInclude } from './compose.ts';
import { findCodeSystem } from './concept-store.ts';

export type Json = Record<string, unknown>;

/** Stores a ValueSet definition (replacing the same url and version). */
export async function importValueSet(db: Queryable, vs: Json): Promise<void> {
  if (typeof vs.url !== 'string') throw badRequest('a ValueSet to import needs a url');
  await db.query(
    `INSERT INTO tx_value_set (url, version, resource) VALUES ($1, $2, $3)
     ON CONFLICT (url, version) DO UPDATE SET resource = excluded.resource, loaded_at = now()`,
    [vs.url, typeof vs.version === 'string' ? vs.version : '', JSON.stringify(vs)],
  );
}

interface MapElement {
  code?: string;
  display?: string;
  target?: {
    code?: string;
    display?: string;
    equivalence?: string;
    relationship?: string;
    comment?: string;
  }[];
}

/** Stores a ConceptMap: the resource for its metadata and one row per source→target mapping. */
export async function importConceptMap(db: Database, cm: Json): Promise<number> {
  if (typeof cm.url !== 'string') throw badRequest('a ConceptMap to import needs a url');
  const groups = Array.isArray(cm.group) ? (cm.group as Json[]) : [];
  const rows: (string | null)[][] = [[], [], [], [], [], [], []];
  for (const g of groups) {
    for (const el of (g.element as MapElement[] | undefined) ?? []) {
      for (const t of el.target ?? [{ equivalence: 'unmatched' }]) {
        const values = [
          (g.source as string | undefined) ?? null,
          el.code ?? '',
          (g.target as string | undefined) ?? null,
          t.code ?? null,
          t.display ?? null,
          t.equivalence ?? t.relationship ?? 'equivalent',
          t.comment ?? null,
        ];
        values.forEach((v, i) => rows[i]!.push(v));
      }
    }
  }
  const source = cm.sourceUri ?? cm.sourceCanonical ?? null;
  const target = cm.targetUri ?? cm.targetCanonical ?? null;
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO tx_concept_map (url, version, source, target, resource) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (url, version) DO UPDATE SET source = excluded.source, target = excluded.target,
         resource = excluded.resource, loaded_at = now() RETURNING id`,
      [
        cm.url as string,
        typeof cm.version === 'string' ? cm.version : '',
        source as string | null,
        target as string | null,
        JSON.stringify(cm),
      ],
    );
    await tx.query('DELETE FROM tx_map_element WHERE map = $1', [row!.id]);
    await tx.query(
      `INSERT INTO tx_map_element (map, source_system, source_code, target_system, target_code, target_display,
         equivalence, comment)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [row!.id, ...rows],
    );
  });
  return rows[0]!.length;
}

/** The implicit value set of all codes of a code system: `<system>?fhir_vs`. */
function implicitValueSet(url: string): Json | undefined {
  const match = /^(.*)\?fhir_vs$/.exec(url);
  if (!match) return undefined;
  return { resourceType: 'ValueSet', url, status: 'active', compose: { include: [{ system: match[1] }] } };
}

/** A value set by canonical URL (and version): loaded definitions, implicit ones, stored resources. */
export async function findValueSet(db: Queryable, url: string, version?: string): Promise<Json | undefined> {
  const implicit = implicitValueSet(url);
  if (implicit) return implicit;
  const rows = await db.query<{ resource: string }>(
    version === undefined
      ? 'SELECT resource FROM tx_value_set WHERE url = $1 ORDER BY id DESC LIMIT 1'
      : 'SELECT resource FROM tx_value_set WHERE url = $1 AND version = $2',
    version === undefined ? [url] : [url, version],
  );
  if (rows[0]) return JSON.parse(rows[0].resource) as Json;
  const stored = await db.query<{ content: string }>(
    `SELECT r.content FROM idx_uri u JOIN resource r ON r.type = u.type AND r.id = u.id
     WHERE u.type = 'ValueSet' AND u.param = 'url' AND u.value = $1 AND NOT r.deleted`,
    [url],
  );
  const found = stored.map((s) => JSON.parse(s.content) as Json);
  return found.find((r) => version === undefined || r.version === version);
}

/** A ValueSet by resource id: a stored resource, else a loaded definition with that id. */
export async function findValueSetById(db: Queryable, id: string): Promise<Json> {
  const stored = await db.query<{ content: string }>(
    "SELECT content FROM resource WHERE type = 'ValueSet' AND id = $1 AND NOT deleted",
    [id],
  );
  if (stored[0]) return JSON.parse(stored[0].content) as Json;
  const loaded = await db.query<{ resource: string }>(
    "SELECT resource FROM tx_value_set WHERE resource::jsonb ->> 'id' = $1 ORDER BY id DESC LIMIT 1",
    [id],
  );
  if (loaded[0]) return JSON.parse(loaded[0].resource) as Json;
  throw notFound(`ValueSet/${id} is not known`);
}

interface ComposeInclude {
  system?: string;
  version?: string;
  concept?: { code: string; display?: string }[];
  filter?: ComposeFilter[];
  valueSet?: string[];
}

const MAX_DEPTH = 8;

/** Resolves the code systems and nested value sets a ValueSet's compose names. */
export async function resolveCompose(db: Queryable, vs: Json, depth = 0): Promise<ResolvedCompose> {
  if (depth > MAX_DEPTH) throw badRequest('value sets nest too deeply (or include each other)');
  const compose = vs.compose as
    { include?: ComposeInclude[]; exclude?: ComposeInclude[]; inactive?: boolean } | undefined;
  if (!compose) {
    throw FhirError.of(400, 'not-supported', `value set ${String(vs.url)} has no compose to expand`);
  }
  const resolve = async (inc: ComposeInclude): Promise<ResolvedInclude> => {
    const out: ResolvedInclude = { filters: inc.filter ?? [], valueSets: [] };
    if (inc.system) {
      const cs = await findCodeSystem(db, inc.system, inc.version);
      if (!cs) {
        throw FhirError.of(
          404,
          'not-found',
          `code system ${inc.system}${inc.version ? ` version ${inc.version}` : ''} is not loaded on this server`,
        );
      }
      out.cs = cs;
      if (inc.concept) out.concepts = inc.concept;
    }
    for (const url of inc.valueSet ?? []) {
      const [u, v] = url.split('|');
      const nested = await findValueSet(db, u!, v);
      if (!nested) throw FhirError.of(404, 'not-found', `value set ${url} is not known`);
      out.valueSets.push(await resolveCompose(db, nested, depth + 1));
    }
    return out;
  };
  const includes = await Promise.all((compose.include ?? []).map(resolve));
  const excludes = await Promise.all((compose.exclude ?? []).map(resolve));
  return { includes, excludes, ...(compose.inactive !== undefined ? { inactive: compose.inactive } : {}) };
}
