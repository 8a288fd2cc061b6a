// Consistency checks of the store's own bookkeeping, run when the embedded database is opened after
// its previous owner died (see README "Crash safety"). A write puts the current row, its history row
// and its outbox event in one transaction, so a store that lost part of a transaction — pages lost
// or torn by a power cut with fsync off — shows up here as tables that no longer agree. It reads
// every page of those three tables (an unreadable page fails it too); the search index tables and
// the B-tree indexes are not verified.
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

// Each figure is computed by one scan (no joins or sorts: the check must stay quick on a large store)
// and compared with what the write path guarantees:
// - a resource at version v has exactly v history rows, so the current versions add up to the
//   number of history rows;
// - every history row has one outbox event with the same seq (compared over the seq range still in
//   the outbox, so pruning delivered events from its start keeps this true);
// - the write sequence is ahead of every stored seq (else the next write would reuse one).
const FIGURES = `SELECT
  (SELECT coalesce(sum(version), 0)::bigint FROM resource) AS current_versions,
  (SELECT count(*)::bigint FROM resource_history) AS history_rows,
  (SELECT coalesce(max(seq), 0)::bigint FROM resource_history) AS history_max_seq,
  (SELECT coalesce(max(seq), 0)::bigint FROM resource) AS current_max_seq,
  (SELECT last_value::bigint FROM resource_seq) AS sequence,
  o.events, o.event_seq_sum,
  (SELECT count(*)::bigint FROM resource_history WHERE seq >= o.first) AS history_since,
  (SELECT coalesce(sum(seq), 0)::bigint FROM resource_history WHERE seq >= o.first) AS history_seq_sum
  FROM (SELECT count(*)::bigint AS events, coalesce(sum(seq), 0)::bigint AS event_seq_sum,
               coalesce(min(seq), 0) AS first FROM outbox) o`;

interface Figures {
  current_versions: number;
  history_rows: number;
  history_max_seq: number;
  current_max_seq: number;
  sequence: number;
  events: number;
  event_seq_sum: number;
  history_since: number;
  history_seq_sum: number;
}

/** Returns what is inconsistent or unreadable, or nothing. Expects the migrated schema. */
export async function checkStoreIntegrity(db: Queryable): Promise<string[]> {
  let f: Figures;
  try {
    [f] = (await db.query<Figures>(FIGURES)) as [Figures];
  } catch (err) {
    return [`its tables cannot be read (${(err as Error).message})`];
  }
  const n = (v: unknown) => Number(v);
  const problems: string[] = [];
  if (n(f.current_versions) !== n(f.history_rows)) {
    problems.push(
      `the current versions add up to ${n(f.current_versions)} but there are ${n(f.history_rows)} history rows`,
    );
  }
  if (n(f.current_max_seq) > n(f.history_max_seq)) {
    problems.push('a current version is newer than every history row');
  }
  if (n(f.events) !== n(f.history_since) || n(f.event_seq_sum) !== n(f.history_seq_sum)) {
    problems.push(`${n(f.events)} outbox events do not match the ${n(f.history_since)} writes they record`);
  }
  if (n(f.sequence) < Math.max(n(f.history_max_seq), n(f.current_max_seq))) {
    problems.push('the write sequence is behind the stored writes');
  }
  return problems;
}
