// The store's single write path: applies a batch of creates, updates and deletes set-based inside
// the caller's transaction — resource rows, history, search index rows and outbox events in a
// handful of statements whatever the batch size. It decides versions and If-Match preconditions;
// it does not validate content or resolve references (the interaction layer does that first).
import type { IndexRows } from '@hoso/fhir/search/index-rows';
import type { Queryable, SqlValue } from '../db/database.ts';
import { conflict, preconditionFailed } from '../errors.ts';
import { dataCategories } from './data-category.ts';
import type { AccessContext, Indexer, Resource, WriteOp, WriteResult } from './model.ts';

interface Existing {
  type: string;
  id: string;
  version: number;
  deleted: boolean;
  compartment: string[];
}

interface Row {
  op: WriteOp;
  version: number;
  deleted: boolean;
  resource: Resource | null;
  content: string | null;
  compartment: string[];
  category: string[];
  index: IndexRows | null;
}

const keyOf = (type: string, id: string) => `${type}/${id}`;

async function lockExisting(tx: Queryable, ops: readonly WriteOp[]): Promise<Map<string, Existing>> {
  const rows = await tx.query<Existing>(
    `SELECT r.type, r.id, r.version, r.deleted, r.compartment
       FROM resource r JOIN unnest($1::text[], $2::text[]) AS k(type, id) ON r.type = k.type AND r.id = k.id
      ORDER BY r.type, r.id
        FOR UPDATE OF r`,
    [ops.map((o) => o.type), ops.map((o) => o.id)],
  );
  return new Map(rows.map((r) => [keyOf(r.type, r.id), r]));
}

function planRow(
  op: WriteOp,
  existing: Existing | undefined,
  lastUpdated: string,
  indexer: Indexer,
): Row | null {
  const live = existing && !existing.deleted;
  if (op.ifMatch !== undefined && (!live || existing.version !== op.ifMatch)) {
    throw preconditionFailed(
      `${keyOf(op.type, op.id)}: If-Match version ${op.ifMatch} does not match the current version ${live ? existing.version : '(none)'}`,
    );
  }
  if (op.action === 'create' && live) throw conflict(`${keyOf(op.type, op.id)} already exists`);
  if (op.action === 'delete' && !live) return null;
  const version = (existing?.version ?? 0) + 1;
  if (op.action === 'delete') {
    return {
      op,
      version,
      deleted: true,
      resource: null,
      content: null,
      compartment: existing!.compartment,
      category: [],
      index: null,
    };
  }
  const { resourceType, id: _clientId, meta, ...content } = op.resource!;
  const resource: Resource = {
    resourceType,
    id: op.id,
    meta: { ...meta, versionId: String(version), lastUpdated },
    ...content,
  };
  const { rows, compartment } = indexer.index(resource);
  return {
    op,
    version,
    deleted: false,
    resource,
    content: JSON.stringify(resource),
    compartment,
    category: dataCategories(resource),
    index: rows,
  };
}

function column<T>(rows: readonly T[], pick: (row: T) => SqlValue): SqlValue[] {
  return rows.map(pick);
}

async function writeResources(
  tx: Queryable,
  rows: Row[],
  seqs: number[],
  lastUpdated: string,
  ctx: AccessContext,
) {
  await tx.query(
    `WITH input AS (
       SELECT u.type, u.id, u.version, u.seq, u.last_updated, u.deleted, u.method, u.content,
              string_to_array(u.compartment, ',') AS compartment, u.organization,
              string_to_array(u.category, ',') AS category
         FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::timestamptz[], $6::boolean[],
                     $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS u(type, id, version, seq, last_updated, deleted, method, content, compartment, organization, category)
     ), current AS (
       INSERT INTO resource (type, id, version, seq, last_updated, deleted, content, compartment, organization, category)
       SELECT type, id, version, seq, last_updated, deleted, content, compartment, organization, category FROM input
       ON CONFLICT (type, id) DO UPDATE SET version = excluded.version, seq = excluded.seq,
         last_updated = excluded.last_updated, deleted = excluded.deleted, content = excluded.content,
         compartment = excluded.compartment, organization = excluded.organization, category = excluded.category
     ), history AS (
       INSERT INTO resource_history
         (type, id, version, seq, last_updated, deleted, method, content, compartment, organization, category)
       SELECT type, id, version, seq, last_updated, deleted, method, content, compartment, organization, category
         FROM input
     )
     INSERT INTO outbox (seq, occurred_at, action, type, id, version, compartment)
     SELECT seq, last_updated, method, type, id, version, compartment FROM input`,
    [
      column(rows, (r) => r.op.type),
      column(rows, (r) => r.op.id),
      column(rows, (r) => r.version),
      seqs,
      rows.map(() => lastUpdated),
      column(rows, (r) => r.deleted),
      column(rows, (r) => r.op.action),
      column(rows, (r) => r.content),
      column(rows, (r) => r.compartment.join(',')),
      rows.map(() => ctx.organization),
      column(rows, (r) => r.category.join(',')),
    ],
  );
}

const INDEX_TABLES = [
  'string',
  'token',
  'date',
  'number',
  'quantity',
  'reference',
  'uri',
  'composite',
] as const;

async function deleteIndexRows(tx: Queryable, keys: { type: string; id: string }[]) {
  if (keys.length === 0) return;
  const deletes = INDEX_TABLES.map(
    (t) => `d_${t} AS (DELETE FROM idx_${t} x USING k WHERE x.type = k.type AND x.id = k.id)`,
  );
  await tx.query(
    `WITH k AS (SELECT * FROM unnest($1::text[], $2::text[]) AS k(type, id)), ${deletes.join(', ')} SELECT 1`,
    [keys.map((k) => k.type), keys.map((k) => k.id)],
  );
}

interface IndexColumns {
  table: string;
  casts: string[];
  columns: SqlValue[][];
}

const infinity = (bound: string | null, sign: '-' | '') => bound ?? `${sign}infinity`;

function indexColumns(rows: Row[]): IndexColumns[] {
  const tables: Record<(typeof INDEX_TABLES)[number], { casts: string[]; columns: SqlValue[][] }> = {
    string: { casts: ['text', 'text'], columns: [[], [], [], [], []] },
    token: { casts: ['text', 'text', 'text', 'text', 'text'], columns: [[], [], [], [], [], [], [], []] },
    date: { casts: ['timestamptz', 'timestamptz'], columns: [[], [], [], [], []] },
    number: { casts: ['numeric'], columns: [[], [], [], []] },
    quantity: { casts: ['numeric', 'text', 'text', 'text'], columns: [[], [], [], [], [], [], []] },
    reference: { casts: ['text', 'text', 'text'], columns: [[], [], [], [], [], []] },
    uri: { casts: ['text'], columns: [[], [], [], []] },
    composite: { casts: ['text'], columns: [[], [], [], []] },
  };
  const push = (table: keyof typeof tables, row: Row, param: string, values: SqlValue[]) => {
    const cols = tables[table].columns;
    cols[0]!.push(row.op.type);
    cols[1]!.push(row.op.id);
    cols[2]!.push(param);
    values.forEach((v, i) => cols[i + 3]!.push(v));
  };
  for (const row of rows) {
    const index = row.index;
    if (!index) continue;
    for (const s of index.string) push('string', row, s.param, [s.exact, s.folded]);
    for (const t of index.token) {
      push('token', row, t.param, [t.system, t.code, t.text, t.typeSystem ?? null, t.typeCode ?? null]);
    }
    for (const d of index.date) push('date', row, d.param, [infinity(d.start, '-'), infinity(d.end, '')]);
    for (const n of index.number) push('number', row, n.param, [n.value]);
    for (const q of index.quantity) push('quantity', row, q.param, [q.value, q.system, q.code, q.unit]);
    for (const r of index.reference) push('reference', row, r.param, [r.targetType, r.targetId, r.url]);
    for (const u of index.uri) push('uri', row, u.param, [u.value]);
    for (const c of index.composite) push('composite', row, c.param, [JSON.stringify(c.components)]);
  }
  return Object.entries(tables)
    .filter(([, t]) => t.columns[0]!.length > 0)
    .map(([name, t]) => ({
      table: `idx_${name}`,
      columns: t.columns,
      casts: ['text', 'text', 'text', ...t.casts],
    }));
}

async function insertIndexRows(tx: Queryable, rows: Row[]) {
  const tables = indexColumns(rows);
  if (tables.length === 0) return;
  const params: SqlValue[] = [];
  const inserts = tables.map((t) => {
    const args = t.casts.map((cast, i) => {
      params.push(t.columns[i]!);
      return `$${params.length}::${cast}[]`;
    });
    return `INSERT INTO ${t.table} SELECT * FROM unnest(${args.join(', ')})`;
  });
  const last = inserts.pop()!;
  const ctes = inserts.map((statement, i) => `i${i} AS (${statement})`);
  await tx.query(ctes.length > 0 ? `WITH ${ctes.join(', ')} ${last}` : last, params);
}

/**
 * Applies `ops` in the caller's transaction. Each (type, id) may appear once. Returns one result per
 * op, in order; a delete of a missing or already-deleted resource is a `noop`.
 */
export async function applyWrites(
  tx: Queryable,
  ops: readonly WriteOp[],
  indexer: Indexer,
  ctx: AccessContext,
  now: Date = new Date(),
): Promise<WriteResult[]> {
  if (ops.length === 0) return [];
  const lastUpdated = now.toISOString();
  const existing = await lockExisting(tx, ops);
  const planned = ops.map((op) => planRow(op, existing.get(keyOf(op.type, op.id)), lastUpdated, indexer));
  const rows = planned.filter((r): r is Row => r !== null);
  if (rows.length > 0) {
    const seqRows = await tx.query<{ seq: number | string }>(
      "SELECT nextval('resource_seq') AS seq FROM generate_series(1, $1::int)",
      [rows.length],
    );
    const seqs = seqRows.map((r) => Number(r.seq));
    await writeResources(tx, rows, seqs, lastUpdated, ctx);
    await deleteIndexRows(
      tx,
      rows
        .filter((r) => existing.has(keyOf(r.op.type, r.op.id)))
        .map((r) => ({ type: r.op.type, id: r.op.id })),
    );
    await insertIndexRows(tx, rows);
  }
  return ops.map((op, i) => {
    const row = planned[i];
    const before = existing.get(keyOf(op.type, op.id));
    if (!row) {
      return {
        action: 'noop',
        type: op.type,
        id: op.id,
        version: before?.version ?? 0,
        lastUpdated,
        created: false,
      };
    }
    return {
      action: op.action,
      type: op.type,
      id: op.id,
      version: row.version,
      lastUpdated,
      created: op.action !== 'delete' && (!before || before.deleted),
      ...(row.resource ? { resource: row.resource } : {}),
    };
  });
}
