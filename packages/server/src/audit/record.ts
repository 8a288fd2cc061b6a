// recordAccess: appends a request's AuditEvents to their chains inside the caller's transaction,
// so the audit and the access commit together or not at all. One statement per call in the usual
// case (one record per chain), which can also confirm the caller's token; it never opens its own
// transaction and never swallows an error.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { type AccessEvent, type AuditRecord, CLIENT_LANES, auditRecords } from './event.ts';
import { APPEND_CHECKED_SQL } from './checked-schema.ts';
import { APPEND_EVENTS_SQL, APPEND_ONE_SQL } from './schema.ts';

/** A token's grant, confirmed by the statement that appends, and who could hold break-the-glass access. */
export interface GrantCheck {
  grantId: string;
  /** Empty for callers who cannot break the glass. */
  grantees: readonly string[];
}

/**
 * Records `events` (one request's accesses) with `q`, which must be the transaction of the access
 * itself. Throws if anything cannot be recorded; the caller's transaction then rolls back.
 * Concurrent calls about the same patient queue on that chain's head row until commit; calls
 * about different patients never wait for each other. With `check`, each statement first confirms
 * the token's grant (raising 28000 if it is revoked) and flags break-the-glass access itself
 * (audit_append_checked); the events must not be flagged already.
 */
export async function recordAccess(
  q: Queryable,
  events: readonly AccessEvent[],
  check?: GrantCheck,
): Promise<void> {
  if (events.length === 0) return;
  const now = new Date();
  // The lane only spreads a client's concurrent requests over chain heads; it needs no secrecy.
  const lane = Math.floor(Math.random() * CLIENT_LANES);
  const records = auditRecords(events, timeOrderedId, now, lane);
  if (check) return appendChecked(q, check, records, glassForms(events, records, now, lane, check));
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

/** Each record's break-the-glass form by record id (same grouping, same ids), if the caller could hold one. */
function glassForms(
  events: readonly AccessEvent[],
  records: readonly AuditRecord[],
  now: Date,
  lane: number,
  check: GrantCheck,
): Map<string, string> | undefined {
  if (check.grantees.length === 0) return undefined;
  const ids = records.map((r) => r.id).values();
  const flagged = auditRecords(
    events.map((e) => ({ ...e, breakGlass: true })),
    () => ids.next().value!,
    now,
    lane,
  );
  return new Map(flagged.map((r) => [r.id, r.content]));
}

async function appendChecked(
  q: Queryable,
  check: GrantCheck,
  records: readonly AuditRecord[],
  glass: Map<string, string> | undefined,
) {
  for (const round of rounds(records)) {
    await q.query(APPEND_CHECKED_SQL, [
      check.grantId,
      [...check.grantees],
      round.map((r) => r.chainKey),
      round.map((r) => r.id),
      round.map((r) => r.recorded),
      round.map((r) => r.content),
      glass ? round.map((r) => glass.get(r.id)!) : null,
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
