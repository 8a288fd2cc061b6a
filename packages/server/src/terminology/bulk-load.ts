// Bulk import of one code system version into its own partition of tx_concept: this process reads
// and encodes the concepts and orders them for type-ahead (prepareConcepts), then COPYs them into a
// fresh load table, builds its indexes once on two connections and swaps it in for the version's
// old partition in one short step (storeConcepts). Atomic for readers and idempotent per (url,
// version); a killed import's load table is dropped by a later one.
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

/**
 * The statements that index a load table but for its word keys (built beside them); they must match
 * the parent's index definitions. The primary key's index becomes the constraint at attach time
 * (ADD PRIMARY KEY itself would lock out the concurrent build).
 */
const INDEXES = (table: string) => [
  `CREATE UNIQUE INDEX ${table}_pkey ON ${table} (cs, code)`,
  `CREATE INDEX ON ${table} (cs, code_key text_pattern_ops)`,
  `CREATE INDEX ON ${table} USING gin (ancestors)`,
  `CREATE INDEX ON ${table} (cs, ord)`,
];
/** Load tables: tx_concept_<cs>_<database clock in ms, base 36>_<load in this process>. */
const LOAD_TABLE = /^tx_concept_[0-9]+_([0-9a-z]+)_[0-9a-z]+$/;
/** Age after which an unattached load table is an orphan (no import takes an hour). */
const ORPHAN_MS = 3_600_000;

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
 * The id the version will have (its own when it was loaded before, else a fresh one from the
 * sequence, not yet inserted) and the database's clock in milliseconds (for the load table's name).
 */
async function reserveId(db: Queryable, header: CodeSystemHeader): Promise<{ id: number; now: number }> {
  const [r] = await db.query<{ id: number; now: number }>(
    `SELECT coalesce((SELECT id FROM tx_code_system WHERE url = $1 AND version = $2),
                     nextval(pg_get_serial_sequence('tx_code_system', 'id')))::int AS id,
            floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now`,
    [header.url, header.version],
  );
  return r!;
}

/**
 * Drops load tables that an import left unattached more than ORPHAN_MS ago (it was killed between
 * committing its table and attaching it; a failing import drops its own at once).
 */
async function dropOrphans(db: Queryable, now: number): Promise<void> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relname LIKE 'tx\\_concept\\_%\\_%\\_%' AND c.relkind = 'r' AND NOT c.relispartition
       AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'tx_concept'::regclass)`,
  );
  for (const { name } of rows) {
    const made = LOAD_TABLE.exec(name);
    if (made && now - parseInt(made[1]!, 36) > ORPHAN_MS) await db.query(`DROP TABLE IF EXISTS ${name}`);
  }
}

/**
 * The database's share of an import: stores the code system version and its prepared concepts,
 * replacing that version if it was loaded before (other versions stay). Atomic for readers: the
 * concepts go into a load table of their own, committed (so that a second connection can index
 * it), and only the last transaction makes the version and its concepts visible.
 */
export async function storeConcepts(
  db: Database,
  header: CodeSystemHeader,
  prepared: PreparedConcepts,
): Promise<{ id: number; count: number }> {
  const { id, now } = await reserveId(db, header);
  await dropOrphans(db, now);
  const table = `tx_concept_${id}_${now.toString(36)}_${(++loads).toString(36)}`;
  try {
    await db.transaction(async (tx) => {
      if (!tx.copyFrom) throw new Error('this database connection cannot bulk-load (no COPY)');
      // The CHECK lets ATTACH skip its scan; checked row by row as COPY writes them.
      await tx.query(`CREATE TABLE ${table} (LIKE tx_concept INCLUDING DEFAULTS, CHECK (cs = ${id}))`);
      await tx.query(`ALTER TABLE ${table} ALTER cs SET DEFAULT ${id}`);
      // Frozen: the table is new in this transaction, so later readers need not set hint bits.
      await tx.copyFrom(`${table} ${COPY_COLUMNS}`, copyStream(prepared.rows), 'FORMAT binary, FREEZE');
      await tx.query(`ALTER TABLE ${table} ALTER cs DROP DEFAULT`);
      // Statistics only for the columns searched on (the displays and designations are not), from
      // a sample of 9,000 rows instead of 30,000: the arrays' element statistics were 3 µs a
      // concept. Before the indexes: ANALYZE and CREATE INDEX wait for each other.
      await tx.query('SET LOCAL default_statistics_target = 30');
      await tx.query(
        `ANALYZE ${table} (cs, code, code_key, search, word_keys, parents, ancestors, abstract, inactive, properties)`,
      );
    });
    // The word keys' GIN build is single-threaded and the longest: on a second connection, beside
    // the others (one after the other where the database has one connection, e.g. PGlite).
    await Promise.all([
      buildIndexes(db, [`CREATE INDEX ON ${table} USING gin (word_keys)`], true),
      // Shorter than the GIN build in all: parallel workers would only take CPU from it.
      buildIndexes(db, INDEXES(table), false),
    ]);
    const stored = await db.transaction(async (tx) => {
      // One import's last step at a time: ATTACH takes this lock for the foreign key anyway, and
      // taken later, two imports of one version deadlocked on the version's row.
      await tx.query('LOCK TABLE tx_code_system IN SHARE ROW EXCLUSIVE MODE');
      const [cs] = await tx.query<{ id: number }>(
        `INSERT INTO tx_code_system (id, url, version, content, case_sensitive, resource)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (url, version) DO UPDATE SET content = excluded.content,
           case_sensitive = excluded.case_sensitive, resource = excluded.resource, loaded_at = now()
         RETURNING id`,
        [
          id,
          header.url,
          header.version,
          header.content,
          header.caseSensitive,
          JSON.stringify(header.resource),
        ],
      );
      if (cs!.id !== id)
        throw new Error(`${header.url}|${header.version} was imported meanwhile by another import`);
      // The swap locks tx_concept until commit: everything slow is done before it.
      const old = await currentPartition(tx, id);
      if (old) await tx.query(`DROP TABLE ${old}`);
      await tx.query(`ALTER TABLE ${table} ADD PRIMARY KEY USING INDEX ${table}_pkey`);
      await tx.query(`ALTER TABLE tx_concept ATTACH PARTITION ${table} FOR VALUES IN (${id})`);
      await tx.query('UPDATE tx_code_system SET concept_count = $2 WHERE id = $1', [id, prepared.count]);
      await keepKeyFrequencies(tx, id, table);
      return { id, count: prepared.count };
    });
    forgetCodeSystems();
    forgetKeyFrequencies();
    return stored;
  } catch (error) {
    await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    throw error;
  }
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
 * Runs index builds on one connection, with memory enough to sort each in one pass, with or
 * without parallel maintenance workers.
 */
const buildIndexes = (db: Database, statements: string[], parallel: boolean) =>
  db.transaction(async (tx) => {
    await tx.query("SET LOCAL maintenance_work_mem = '256MB'");
    if (!parallel) await tx.query('SET LOCAL max_parallel_maintenance_workers = 0');
    for (const statement of statements) await tx.query(statement);
  });

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
