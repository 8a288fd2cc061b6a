// Bulk import of one code system version into its own partition of tx_concept: this process reads
// and encodes the concepts and orders them for type-ahead (prepareConcepts), then one transaction
// COPYs them into a fresh table, builds its indexes once and swaps it in for the version's old
// partition in one short step (storeConcepts). Atomic and idempotent per (url, version).
// It must not touch other versions' partitions; reads live in ./concept-store.ts.
import type { Database, Queryable } from '../db/database.ts';
import { forgetCodeSystems } from './code-system-cache.ts';
import { forgetKeyFrequencies } from './key-frequencies.ts';
import { AncestorIndex } from './hierarchy.ts';
import { COPY_COLUMNS, COPY_HEADER, COPY_TRAILER, CopyWriter, writeConcept } from './copy-rows.ts';
import type { CodeSystemHeader, ConceptInput } from './model.ts';
import { SortedRows } from './sorted-rows.ts';

/** Concepts read between progress reports. */
const PROGRESS = 10_000;
/** The order of equally good type-ahead matches: non-abstract, most used, shortest display. */
export const TYPE_AHEAD_ORDER = 'abstract, weight DESC, length(display), code';
let loads = 0;

/** The statements that index a loaded partition; names must match the parent's index definitions. */
const INDEXES = (table: string) => [
  `CREATE INDEX ON ${table} (cs, code_key text_pattern_ops)`,
  `CREATE INDEX ON ${table} USING gin (word_keys)`,
  `CREATE INDEX ON ${table} USING gin (ancestors)`,
  `CREATE INDEX ON ${table} (cs, ord)`,
];

/** A version's concepts read, deduplicated, encoded for COPY and ready in type-ahead order. */
export interface PreparedConcepts {
  rows: SortedRows;
  count: number;
}

function* copyStream(rows: SortedRows): Generator<Uint8Array> {
  yield COPY_HEADER;
  yield* rows.chunks();
  yield COPY_TRAILER;
}

/**
 * This process's share of an import: reads the concepts (duplicate codes keep their first
 * occurrence), computes ancestors and search keys, and encodes the rows. Reports progress as it reads.
 */
export async function prepareConcepts(
  concepts: AsyncIterable<ConceptInput> | Iterable<ConceptInput>,
  onProgress?: (count: number) => void,
): Promise<PreparedConcepts> {
  const rows = new SortedRows();
  const seen = new Set<string>();
  const hierarchy = new AncestorIndex();
  const pending = new Map<string, number>();
  const w = new CopyWriter();
  for await (const c of concepts) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    const ancestors = hierarchy.add(c.code, c.parents ?? []);
    writeConcept(w.reset(), c, seen.size);
    if (ancestors) w.textArray(ancestors);
    const row = rows.add(w.bytes(), {
      abstract: c.abstract ?? false,
      weight: c.weight ?? 0,
      displayLength: c.display?.length,
      code: c.code,
    });
    if (!ancestors) pending.set(c.code, row);
    if (seen.size % PROGRESS === 0) onProgress?.(seen.size);
  }
  for (const [code, ancestors] of hierarchy.resolvePending()) {
    w.reset().textArray(ancestors);
    rows.complete(pending.get(code)!, w.bytes());
  }
  onProgress?.(seen.size);
  return { rows, count: seen.size };
}

/** The name of the partition currently holding a code system version, if any. */
async function currentPartition(tx: Queryable, cs: number): Promise<string | undefined> {
  const rows = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'tx_concept'::regclass AND pg_get_expr(c.relpartbound, c.oid) = $1`,
    [`FOR VALUES IN (${cs})`],
  );
  return rows[0]?.name;
}

/**
 * The database's share of an import: stores the code system version and its prepared concepts,
 * replacing that version if it was loaded before (other versions stay). Atomic.
 */
export async function storeConcepts(
  db: Database,
  header: CodeSystemHeader,
  prepared: PreparedConcepts,
): Promise<{ id: number; count: number }> {
  const stored = await db.transaction(async (tx) => {
    if (!tx.copyFrom) throw new Error('this database connection cannot bulk-load (no COPY)');
    const [cs] = await tx.query<{ id: number }>(
      `INSERT INTO tx_code_system (url, version, content, case_sensitive, resource)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (url, version) DO UPDATE SET content = excluded.content,
         case_sensitive = excluded.case_sensitive, resource = excluded.resource, loaded_at = now()
       RETURNING id`,
      [header.url, header.version, header.content, header.caseSensitive, JSON.stringify(header.resource)],
    );
    const id = cs!.id;
    const table = `tx_concept_${id}_${Date.now().toString(36)}${(++loads).toString(36)}`;
    await tx.query(`CREATE TABLE ${table} (LIKE tx_concept INCLUDING DEFAULTS)`);
    await tx.query(`ALTER TABLE ${table} ALTER cs SET DEFAULT ${id}`);
    // Frozen: the table is new in this transaction, so later readers need not set hint bits.
    await tx.copyFrom(`${table} ${COPY_COLUMNS}`, copyStream(prepared.rows), 'FORMAT binary, FREEZE');
    await tx.query(`ALTER TABLE ${table} ALTER cs DROP DEFAULT`);
    await tx.query("SET LOCAL maintenance_work_mem = '256MB'");
    await tx.query(`ALTER TABLE ${table} ADD PRIMARY KEY (cs, code)`);
    for (const statement of INDEXES(table)) await tx.query(statement);
    await tx.query(`ALTER TABLE ${table} ADD CHECK (cs = ${id})`);
    // Statistics only for the columns searched on (the displays and designations are not), from a
    // sample of 9,000 rows instead of 30,000: the arrays' element statistics were 3 µs a concept.
    await tx.query('SET LOCAL default_statistics_target = 30');
    await tx.query(
      `ANALYZE ${table} (cs, code, code_key, search, word_keys, parents, ancestors, abstract, inactive, properties)`,
    );
    // The swap locks tx_concept until commit: everything slow is done before it.
    const old = await currentPartition(tx, id);
    if (old) await tx.query(`DROP TABLE ${old}`);
    await tx.query(`ALTER TABLE tx_concept ATTACH PARTITION ${table} FOR VALUES IN (${id})`);
    await tx.query('UPDATE tx_code_system SET concept_count = $2 WHERE id = $1', [id, prepared.count]);
    await keepKeyFrequencies(tx, id, table);
    return { id, count: prepared.count };
  });
  forgetCodeSystems();
  forgetKeyFrequencies();
  return stored;
}

/**
 * Keeps how common the version's word-prefix keys are — ANALYZE's most common elements of
 * word_keys, and under key 0 the least listed frequency — for type-ahead's choice of plan
 * (./expansion-page.ts).
 */
async function keepKeyFrequencies(tx: Queryable, cs: number, table: string): Promise<void> {
  await tx.query('DELETE FROM tx_word_key_freq WHERE cs = $1', [cs]);
  await tx.query(
    `WITH s AS (SELECT most_common_elems::text::bigint[] AS keys, most_common_elem_freqs AS freqs
                FROM pg_stats WHERE schemaname = current_schema() AND tablename = $2 AND attname = 'word_keys')
     INSERT INTO tx_word_key_freq (cs, key, freq)
     SELECT $1::int, e.key, e.freq FROM s, unnest(s.keys, s.freqs[1:cardinality(s.keys)]) AS e(key, freq)
     UNION ALL SELECT $1::int, 0, coalesce(s.freqs[cardinality(s.keys) + 1], 0) FROM s`,
    [cs, table],
  );
}

/**
 * Stores one code system version with its concepts, replacing that version if it was loaded
 * before (other versions stay). Duplicate codes keep their first occurrence. Atomic.
 */
export async function importCodeSystem(
  db: Database,
  header: CodeSystemHeader,
  concepts: AsyncIterable<ConceptInput> | Iterable<ConceptInput>,
  onProgress?: (count: number) => void,
): Promise<{ id: number; count: number }> {
  return storeConcepts(db, header, await prepareConcepts(concepts, onProgress));
}
