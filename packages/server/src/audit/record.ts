// recordAccess: appends a request's AuditEvents to their chains inside the caller's transaction,
// so the audit and the access commit together or not at all. One statement per call in the usual
// case (one record per chain); it never opens its own transaction and never swallows an error.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { type AccessEvent, type AuditRecord, CLIENT_LANES, auditRecords } from './event.ts';
import { APPEND_EVENTS_SQL, APPEND_ONE_SQL } from './schema.ts';

/**
 * Records `events` (one request's accesses) with `q`, which must be the transaction of the access
 * itself. Throws if anything cannot be recorded; the caller's transaction then rolls back.
 * Concurrent calls about the same patient queue on that chain's head row until commit; calls
 * about different patients never wait for each other.
 */
export async function recordAccess(q: Queryable, events: readonly AccessEvent[]): Promise<void> {
  if (events.length === 0) return;
  // The lane only spreads a client's concurrent requests over chain heads; it needs no secrecy.
  const records = auditRecords(events, timeOrderedId, new Date(), Math.floor(Math.random() * CLIENT_LANES));
  for (const round of rounds(records)) {
    if (round.length === 1) {
      const [r] = round as [AuditRecord];
      await q.query(APPEND_ONE_SQL, [r.chainKey, r.id, r.recorded, r.breakGlass, r.content]);
      continue;
    }
    await q.query(APPEND_EVENTS_SQL, [
      round.map((r) => r.chainKey),
      round.map((r) => r.id),
      round.map((r) => r.recorded),
      round.map((r) => r.breakGlass),
      round.map((r) => r.content),
    ]);
  }
}

/**
 * A UUID version 7 (RFC 9562): the millisecond time, then random bits. Ids of new events sort after
 * older ones, so the unique id index grows at its right edge instead of touching a random page.
 */
export function timeOrderedId(): string {
  // randomUUID draws from a cached entropy pool (a synchronous randomBytes call per event cost ~20 µs);
  // its version-4 random bits are kept after the time: 12 bits after the version, 62 after the variant.
  const time = Date.now().toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

/**
 * Splits records so that no statement appends twice to one chain (an upsert cannot touch a row
 * twice): round n holds the n-th record of each chain. The first round holds every chain, so later
 * rounds lock only heads this transaction already holds — no lock-order deadlock between rounds.
 */
function rounds(records: readonly AuditRecord[]): AuditRecord[][] {
  const out: AuditRecord[][] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const n = seen.get(record.chainKey) ?? 0;
    seen.set(record.chainKey, n + 1);
    (out[n] ??= []).push(record);
  }
  return out;
}
