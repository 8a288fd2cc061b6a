// Bulk import of one code system version into its own partition of tx_concept: concepts stream in
// as JSON batches into a temporary table (the next batch is prepared while the database stores the
// previous one), are written once into a fresh table in type-ahead order, the indexes are built
// once, and the table replaces the version's old partition in one short step. Atomic and
// idempotent per (url, version).
// It must not touch other versions' partitions; reads live in ./concept-store.ts.
import type { Database, Queryable } from '../db/database.ts';
import { forgetCodeSystems } from './code-system-cache.ts';
import { AncestorIndex } from './hierarchy.ts';
import { codeKey, searchKeys } from './keys.ts';
import type { CodeSystemHeader, ConceptInput } from './model.ts';

const BATCH = 10_000;
/** The order of equally good type-ahead matches: non-abstract, most used, shortest display. */
export const TYPE_AHEAD_ORDER = 'abstract, weight DESC, length(display), code';
let loads = 0;

const INSERT_BATCH = `
INSERT INTO tx_load (cs, code, code_key, display, definition, designation, search, word_keys, parents, ancestors, ord,
  weight, abstract, inactive, properties)
SELECT $1, c, k, d, df, g, s, wk, p, a, o, w, ab, ia, pr
FROM json_to_recordset($2::json) AS t(c text, k text, d text, df text, g text, s text, wk bigint[], p text[], a text[],
  o int, w int, ab bool, ia bool, pr text)`;

/** The statements that index a loaded partition; names must match the parent's index definitions. */
const INDEXES = (table: string) => [
  `CREATE INDEX ON ${table} (cs, code_key text_pattern_ops)`,
  `CREATE INDEX ON ${table} USING gin (word_keys)`,
  `CREATE INDEX ON ${table} USING gin (ancestors)`,
  `CREATE INDEX ON ${table} (cs, ord)`,
];

function row(c: ConceptInput, ancestors: string[], ord: number) {
  const { search, keys } = searchKeys(c);
  return {
    c: c.code,
    k: codeKey(c.code),
    d: c.display ?? null,
    df: c.definition ?? null,
    g: c.designations?.length ? JSON.stringify(c.designations) : null,
    s: search,
    wk: keys,
    p: c.parents ?? [],
    a: ancestors,
    o: ord,
    w: c.weight ?? 0,
    ab: c.abstract ?? false,
    ia: c.inactive ?? false,
    pr: c.properties?.length ? JSON.stringify(c.properties) : null,
  };
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
 * Stores one code system version with its concepts, replacing that version if it was loaded
 * before (other versions stay). Duplicate codes keep their first occurrence. Atomic.
 */
export async function importCodeSystem(
  db: Database,
  header: CodeSystemHeader,
  concepts: AsyncIterable<ConceptInput> | Iterable<ConceptInput>,
  onProgress?: (count: number) => void,
): Promise<{ id: number; count: number }> {
  const stored = await db.transaction(async (tx) => {
    const [cs] = await tx.query<{ id: number }>(
      `INSERT INTO tx_code_system (url, version, content, case_sensitive, resource)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (url, version) DO UPDATE SET content = excluded.content,
         case_sensitive = excluded.case_sensitive, resource = excluded.resource, loaded_at = now()
       RETURNING id`,
      [header.url, header.version, header.content, header.caseSensitive, JSON.stringify(header.resource)],
    );
    const id = cs!.id;
    await tx.query('CREATE TEMP TABLE tx_load (LIKE tx_concept INCLUDING DEFAULTS)');
    const seen = new Set<string>();
    const hierarchy = new AncestorIndex();
    let batch: ReturnType<typeof row>[] = [];
    let inflight: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      await inflight;
      if (batch.length === 0) return;
      const sent = tx.query(INSERT_BATCH, [id, JSON.stringify(batch)]);
      const count = seen.size;
      inflight = sent.then(() => onProgress?.(count));
      // Awaited at the next flush; the no-op handler keeps a failure from being "unhandled" meanwhile.
      inflight.catch(() => undefined);
      batch = [];
    };
    for await (const c of concepts) {
      if (seen.has(c.code)) continue;
      seen.add(c.code);
      batch.push(row(c, hierarchy.add(c.code, c.parents ?? []) ?? [], seen.size));
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await inflight;
    const late = [...hierarchy.resolvePending()].map(([c, a]) => ({ c, a }));
    for (let i = 0; i < late.length; i += BATCH) {
      await tx.query(
        `UPDATE tx_load t SET ancestors = u.a FROM json_to_recordset($1::json) AS u(c text, a text[])
         WHERE t.code = u.c`,
        [JSON.stringify(late.slice(i, i + BATCH))],
      );
    }
    // Stored in type-ahead order, so the first matches a scan meets are the most used ones.
    const table = `tx_concept_${id}_${Date.now().toString(36)}${(++loads).toString(36)}`;
    await tx.query(`CREATE TABLE ${table} (LIKE tx_concept INCLUDING DEFAULTS)`);
    await tx.query("SET LOCAL work_mem = '256MB'");
    await tx.query(`INSERT INTO ${table} SELECT * FROM tx_load ORDER BY ${TYPE_AHEAD_ORDER}`);
    await tx.query('DROP TABLE tx_load');
    await tx.query("SET LOCAL maintenance_work_mem = '256MB'");
    await tx.query(`ALTER TABLE ${table} ADD PRIMARY KEY (cs, code)`);
    for (const statement of INDEXES(table)) await tx.query(statement);
    await tx.query(`ALTER TABLE ${table} ADD CHECK (cs = ${id})`);
    // Statistics only for the columns searched on (the displays and designations are not).
    await tx.query(
      `ANALYZE ${table} (cs, code, code_key, search, word_keys, parents, ancestors, abstract, inactive, properties)`,
    );
    // The swap locks tx_concept until commit: everything slow is done before it.
    const old = await currentPartition(tx, id);
    if (old) await tx.query(`DROP TABLE ${old}`);
    await tx.query(`ALTER TABLE tx_concept ATTACH PARTITION ${table} FOR VALUES IN (${id})`);
    await tx.query('UPDATE tx_code_system SET concept_count = $2 WHERE id = $1', [id, seen.size]);
    return { id, count: seen.size };
  });
  forgetCodeSystems();
  return stored;
}
