// recordAccess: appends a request's AuditEvents to their chains inside the caller's transaction,
// so the audit and the access commit together or not at all. One statement per call in the usual
// case (one record per chain); it never opens its own transaction and never swallows an error.
import { randomBytes, randomInt } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { type AccessEvent, type AuditRecord, CLIENT_LANES, auditRecords } from './event.ts';
import { APPEND_EVENTS_SQL } from './schema.ts';

/**
 * Records `events` (one request's accesses) with `q`, which must be the transaction of the access
 * itself. Throws if anything cannot be recorded; the caller's transaction then rolls back.
 * Concurrent calls about the same patient queue on that chain's head row until commit; calls
 * about different patients never wait for each other.
 */
export async function recordAccess(q: Queryable, events: readonly AccessEvent[]): Promise<void> {
  if (events.length === 0) return;
  const records = auditRecords(events, timeOrderedId, new Date(), randomInt(CLIENT_LANES));
  for (const round of rounds(records)) {
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
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
