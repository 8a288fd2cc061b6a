// Consistency checks of the store's own bookkeeping, run when the embedded database is opened after
// its previous owner died (see README "Crash safety"). A write puts the current row, its history row
// and its outbox event in one transaction, so a store that lost part of a transaction — a torn page
// after a power cut with fsync off — shows up here. Reading every table also makes PostgreSQL
// read every heap page, which catches unreadable pages. Indexes are not verified.
import type { Queryable } from './database.ts';

export class StoreDamagedError extends Error {
  constructor(
    readonly folder: string,
    readonly problems: readonly string[],
  ) {
    super(
      `the embedded database in ${folder} is damaged and will not be served: ${problems.join('; ')}. ` +
        'Its previous server did not shut down cleanly (killed, crashed or a power cut; PGlite runs with ' +
        'fsync off). Restore the folder from a backup, or move it aside to start empty; for data that ' +
        'matters run PostgreSQL (HOSO_DATABASE_URL). See README "Crash safety".',
    );
    this.name = 'StoreDamagedError';
  }
}

const TABLES = ['resource', 'resource_history', 'outbox', 'resource_seq'].concat(
  ['string', 'token', 'date', 'number', 'quantity', 'reference', 'uri', 'composite'].map((t) => `idx_${t}`),
);

const CONSISTENCY = `SELECT
  (SELECT count(*)::int FROM resource r WHERE NOT EXISTS (SELECT 1 FROM resource_history h
     WHERE h.type = r.type AND h.id = r.id AND h.version = r.version AND h.seq = r.seq))
    AS "current versions without their history row",
  (SELECT count(*)::int FROM resource_history h WHERE NOT EXISTS (SELECT 1 FROM resource r
     WHERE r.type = h.type AND r.id = h.id AND r.version >= h.version))
    AS "history versions newer than the current row or without one",
  (SELECT count(*)::int FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM resource_history h
     WHERE h.seq = o.seq AND h.type = o.type AND h.id = o.id AND h.version = o.version))
    AS "outbox events without their history row",
  (SELECT (s.last_value < coalesce((SELECT max(seq) FROM resource_history), 0))::int FROM resource_seq s)
    AS "write sequence behind the stored writes"`;

/** Returns what is inconsistent or unreadable, or nothing. Expects the migrated schema. */
export async function checkStoreIntegrity(db: Queryable): Promise<string[]> {
  const problems: string[] = [];
  for (const table of TABLES) {
    try {
      await db.query(`SELECT count(*) FROM ${table}`);
    } catch (err) {
      problems.push(`${table} cannot be read (${(err as Error).message})`);
    }
  }
  if (problems.length > 0) return problems;
  const [row] = await db.query<Record<string, number>>(CONSISTENCY);
  for (const [what, count] of Object.entries(row ?? {})) {
    if (count > 0) problems.push(what.startsWith('write sequence') ? what : `${count} ${what}`);
  }
  return problems;
}
