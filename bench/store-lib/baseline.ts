// The machine's baseline: the same resources written straight into the same schema with one
// set-based statement per bundle (`INSERT … SELECT unnest(…)`): the resource row, its history row
// (without the content, which the store keeps in the resource row until a version is superseded)
// and its search index rows — no HTTP, no validation, no version check, no outbox. Index rows and
// compartments are computed with the server's own indexer before the clock starts.
import { r4Indexer } from '@hoso/server/indexer';
import { dataCategories } from '@hoso/server/store/data-category';
import type { Resource } from '@hoso/server/store/model';
import type { SqlValue } from '@hoso/server/db/database';

export type Params = SqlValue[];

const TABLES: { name: string; casts: string[] }[] = [
  { name: 'idx_string', casts: ['text', 'text'] },
  { name: 'idx_token', casts: ['text', 'text', 'text', 'text', 'text'] },
  { name: 'idx_date', casts: ['timestamptz', 'timestamptz'] },
  { name: 'idx_number', casts: ['numeric'] },
  { name: 'idx_quantity', casts: ['numeric', 'text', 'text', 'text'] },
  { name: 'idx_reference', casts: ['text', 'text', 'text'] },
  { name: 'idx_uri', casts: ['text'] },
  { name: 'idx_composite', casts: ['text'] },
];

/** One statement inserting a bundle's resource, history and index rows. */
export const BASELINE_SQL = (() => {
  let n = 6;
  const indexCtes = TABLES.map((t) => {
    const args = ['text', 'text', 'text', ...t.casts].map((cast) => `$${++n}::${cast}[]`);
    return `${t.name} AS (INSERT INTO ${t.name} SELECT * FROM unnest(${args.join(', ')}))`;
  });
  return `WITH cur AS (
    INSERT INTO resource (type, id, version, seq, last_updated, deleted, content, compartment, category)
    SELECT u.type, u.id, 1, nextval('resource_seq'), $6::timestamptz, false, u.content,
           string_to_array(u.compartment, ','), string_to_array(u.category, ',')
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
        AS u(type, id, content, compartment, category)
    RETURNING type, id, version, seq, last_updated, deleted, content, compartment, category
  ), hist AS (
    INSERT INTO resource_history (type, id, version, seq, last_updated, deleted, method, content, compartment, category)
    SELECT type, id, version, seq, last_updated, deleted, 'create', NULL, compartment, category FROM cur
  ), ${indexCtes.join(',\n  ')}
  SELECT count(*) FROM cur`;
})();

const infinity = (bound: string | null, sign: '-' | '') => bound ?? `${sign}infinity`;

/** Builds the statement's parameters for one serialised transaction Bundle. */
export function prepareBundle(body: Buffer, lastUpdated: string): Params {
  const bundle = JSON.parse(body.toString('utf8')) as { entry: { resource: Resource }[] };
  const res: string[][] = [[], [], [], [], []];
  const idx: SqlValue[][][] = TABLES.map((t) => Array.from({ length: 3 + t.casts.length }, () => []));
  const push = (table: number, type: string, id: string, values: SqlValue[]) => {
    const cols = idx[table]!;
    [type, id, ...values].forEach((v, i) => cols[i]!.push(v));
  };
  for (const { resource: input } of bundle.entry) {
    const { resourceType: type, id, meta, ...rest } = input;
    const resource: Resource = {
      resourceType: type,
      id,
      meta: { ...(meta as object | undefined), versionId: '1', lastUpdated },
      ...rest,
    };
    const { rows, compartment } = r4Indexer.index(resource);
    res[0]!.push(type);
    res[1]!.push(id!);
    res[2]!.push(JSON.stringify(resource));
    res[3]!.push(compartment.join(','));
    res[4]!.push(dataCategories(resource).join(','));
    for (const s of rows.string) push(0, type, id!, [s.param, s.exact, s.folded]);
    for (const t of rows.token) {
      push(1, type, id!, [t.param, t.system, t.code, t.text, t.typeSystem ?? null, t.typeCode ?? null]);
    }
    for (const d of rows.date) push(2, type, id!, [d.param, infinity(d.start, '-'), infinity(d.end, '')]);
    for (const x of rows.number) push(3, type, id!, [x.param, x.value]);
    for (const q of rows.quantity) push(4, type, id!, [q.param, q.value, q.system, q.code, q.unit]);
    for (const r of rows.reference) push(5, type, id!, [r.param, r.targetType, r.targetId, r.url]);
    for (const u of rows.uri) push(6, type, id!, [u.param, u.value]);
    for (const c of rows.composite) push(7, type, id!, [c.param, JSON.stringify(c.components)]);
  }
  return [...res, lastUpdated, ...idx.flat()];
}

/** Index rows per resource in prepared parameters (for the report). */
export function indexRowsOf(prepared: Params[]): { resources: number; indexRows: number } {
  let resources = 0;
  let indexRows = 0;
  for (const p of prepared) {
    resources += (p[0] as string[]).length;
    let at = 6;
    for (const t of TABLES) {
      indexRows += (p[at] as SqlValue[]).length;
      at += 3 + t.casts.length;
    }
  }
  return { resources, indexRows };
}
