// Keeps access_grant in step with the resources that grant access (Consent, referral
// ServiceRequest) inside the write's own transaction, and records emergency (break-the-glass)
// grants. Storage only: which resources grant what is decided by grants.ts, who sees what by policy.ts.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { preparedShape } from '../db/prepared.ts';
import { sql } from '../db/sql.ts';
import type { Resource, WriteResult } from '../store/model.ts';
import { GRANTING_TYPES, grantsOf } from './grants.ts';
import { coveredIds } from './related.ts';

interface Source {
  type: string;
  id: string;
  /** The source's current content; absent when it was deleted. */
  resource?: Resource | undefined;
}

/** Replaces the grant rows of each source with those of its current content. */
async function replaceGrants(tx: Queryable, sources: readonly Source[]): Promise<void> {
  const rows = sources.flatMap((s) =>
    s.resource
      ? grantsOf(s.resource).map((g) => [
          s.type,
          s.id,
          g.patient,
          g.grantee,
          g.effect,
          g.start,
          g.end,
          g.categories,
          g.types,
          g.instances,
          g.purposes,
          g.codes,
        ])
      : [],
  );
  await tx.query(
    `WITH gone AS (
       DELETE FROM access_grant g USING unnest($1::text[], $2::text[]) AS k(type, id)
        WHERE g.source_type = k.type AND g.source_id = k.id
     )
     INSERT INTO access_grant (source_type, source_id, patient, grantee, effect, period_start, period_end,
                               categories, types, instances, purposes, codes)
     SELECT r->>0, r->>1, r->>2, r->>3, r->>4, (r->>5)::timestamptz, (r->>6)::timestamptz,
            ARRAY(SELECT json_array_elements_text(r->7)), ARRAY(SELECT json_array_elements_text(r->8)),
            ARRAY(SELECT json_array_elements_text(r->9)), ARRAY(SELECT json_array_elements_text(r->10)),
            ARRAY(SELECT json_array_elements_text(r->11))
       FROM json_array_elements($3::json) AS r`,
    [sources.map((s) => s.type), sources.map((s) => s.id), JSON.stringify(rows)],
  );
}

/** Replaces the grants of every written Consent/ServiceRequest with those of its new content. */
export async function syncGrants(tx: Queryable, written: readonly WriteResult[]): Promise<void> {
  const changed = written.filter((w) => w.action !== 'noop' && GRANTING_TYPES.has(w.type));
  if (changed.length > 0) await replaceGrants(tx, changed);
}

const REBUILD_BATCH = 500;

/**
 * Rebuilds the grants of every stored Consent from its content, a batch at a time: for a migration
 * that changes what a Consent grants (migration 66).
 */
export async function rebuildConsentGrants(tx: Queryable): Promise<void> {
  for (let after = ''; ;) {
    const batch = await tx.query<{ id: string; deleted: boolean; content: string | null }>(
      `SELECT id, deleted, content FROM resource WHERE type = 'Consent' AND id > $1 ORDER BY id LIMIT $2`,
      [after, REBUILD_BATCH],
    );
    if (batch.length === 0) return;
    await replaceGrants(
      tx,
      batch.map((r) => ({
        type: 'Consent',
        id: r.id,
        resource: !r.deleted && r.content ? (JSON.parse(r.content) as Resource) : undefined,
      })),
    );
    after = batch.at(-1)!.id;
  }
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
