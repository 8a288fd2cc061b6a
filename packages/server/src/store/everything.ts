// Patient/$everything: every resource in the patient's compartment plus the resources they
// reference outside it (practitioners, organisations, locations, medications, devices),
// keyset-paged by (type, id) with the access policy's conditions applied to every row.
import type { Queryable } from '../db/database.ts';
import { and, raw, sql } from '../db/sql.ts';
import type { AccessContext, AccessPolicy } from './model.ts';
import type { SearchRow } from '../search/execute.ts';

const REFERENCED_TYPES = [
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'Location',
  'Medication',
  'Device',
  'Substance',
];

export interface EverythingQuery {
  patientIds: string[];
  since?: string;
  types?: string[];
  count: number;
  after?: { type: string; id: string };
}

export async function readEverything(
  db: Queryable,
  policy: AccessPolicy,
  ctx: AccessContext,
  q: EverythingQuery,
): Promise<{ rows: SearchRow[]; more: boolean }> {
  const where = and([
    raw('NOT r.deleted'),
    q.types ? sql`r.type = ANY(${q.types}::text[])` : raw('TRUE'),
    q.since !== undefined ? sql`r.last_updated >= ${q.since}::timestamptz` : raw('TRUE'),
    q.after ? sql`(r.type, r.id) > (${q.after.type}, ${q.after.id})` : raw('TRUE'),
    ...policy.readConditions(ctx, 'r'),
  ]);
  const { text, params } = sql`
    WITH c AS (
      SELECT type, id FROM resource WHERE compartment && ${q.patientIds}::text[] AND NOT deleted
    ), linked AS (
      SELECT c.type, c.id FROM c
      UNION
      SELECT x.target_type, x.target_id FROM idx_reference x JOIN c ON x.type = c.type AND x.id = c.id
       WHERE x.target_type = ANY(${REFERENCED_TYPES}::text[]) AND x.target_id IS NOT NULL
    )
    SELECT r.type, r.id, r.version, r.last_updated, r.content
      FROM resource r JOIN linked l ON r.type = l.type AND r.id = l.id
     WHERE ${where}
     ORDER BY r.type, r.id LIMIT ${q.count + 1}`.render();
  const rows = await db.query<SearchRow>(text, params);
  const more = rows.length > q.count;
  if (more) rows.pop();
  return { rows, more };
}
