// Keeps access_grant in step with the resources that grant access (Consent, referral
// ServiceRequest) inside the write's own transaction, and records emergency (break-the-glass)
// grants. Storage only: which resources grant what is decided by grants.ts, who sees what by policy.ts.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { preparedShape } from '../db/prepared.ts';
import { sql } from '../db/sql.ts';
import type { WriteResult } from '../store/model.ts';
import { GRANTING_TYPES, grantsOf } from './grants.ts';
import { coveredIds } from './related.ts';

/** Replaces the grants of every written Consent/ServiceRequest with those of its new content. */
export async function syncGrants(tx: Queryable, written: readonly WriteResult[]): Promise<void> {
  const changed = written.filter((w) => w.action !== 'noop' && GRANTING_TYPES.has(w.type));
  if (changed.length === 0) return;
  const rows = changed.flatMap((w) =>
    w.resource
      ? grantsOf(w.resource).map((g) => [
          w.type,
          w.id,
          g.patient,
          g.grantee,
          g.effect,
          g.start,
          g.end,
          g.categories.join(','),
        ])
      : [],
  );
  await tx.query(
    `WITH gone AS (
       DELETE FROM access_grant g USING unnest($1::text[], $2::text[]) AS k(type, id)
        WHERE g.source_type = k.type AND g.source_id = k.id
     )
     INSERT INTO access_grant (source_type, source_id, patient, grantee, effect, period_start, period_end, categories)
     SELECT r->>0, r->>1, r->>2, r->>3, r->>4, (r->>5)::timestamptz, (r->>6)::timestamptz,
            COALESCE(string_to_array(NULLIF(r->>7, ''), ','), '{}')::text[]
       FROM json_array_elements($3::json) AS r`,
    [changed.map((w) => w.type), changed.map((w) => w.id), JSON.stringify(rows)],
  );
}

export interface EmergencyGrant {
  patient: string;
  /** `Practitioner/{id}` (or the facility system's `Organization/{id}`). */
  grantee: string;
  reason: string;
  start: Date;
  end: Date;
}

/** Records break-the-glass access; returns its id. */
export async function addEmergencyGrant(tx: Queryable, grant: EmergencyGrant): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO access_grant (source_type, source_id, patient, grantee, effect, period_start, period_end, reason)
     VALUES ('break-glass', $1, $2, $3, 'emergency', $4, $5, $6)`,
    [id, grant.patient, grant.grantee, grant.start.toISOString(), grant.end.toISOString(), grant.reason],
  );
  return id;
}

/** Which of `patients` the grantees hold an active emergency (break-the-glass) grant for right now. */
/**
 * Every Patient id the grantees' active break-the-glass grants cover (each grant's patient and the
 * records linked to it): what the audit trail flags. Usually empty; it does not depend on what the
 * request reads, so it can run beside the read.
 */
export async function emergencyCoverage(db: Queryable, grantees: readonly string[]): Promise<Set<string>> {
  if (grantees.length === 0) return new Set();
  const { text, params } =
    sql`SELECT DISTINCT c.id FROM access_grant g CROSS JOIN LATERAL unnest(${coveredIds('ARRAY[g.patient]')}) AS c(id)
     WHERE g.grantee = ANY(${[...grantees]}::text[]) AND g.effect = 'emergency'
       AND (g.period_start IS NULL OR g.period_start <= now()) AND g.period_end >= now()`.render();
  return new Set((await db.query<{ id: string }>(preparedShape(text), params)).map((r) => r.id));
}
