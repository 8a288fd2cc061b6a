// Whose access log a caller may read: a patient the log of every facility record linked to them
// (the patient index), an administrator everyone's; nobody else. The audit plugin applies it and
// never widens it.
import type { Principal } from '../auth/principal.ts';
import type { Queryable } from '../db/database.ts';
import { sql } from '../db/sql.ts';
import { FhirError } from '../errors.ts';
import { personRecords } from './policy.ts';

export async function auditScope(db: Queryable, p: Principal): Promise<readonly string[] | 'all'> {
  if (p.kind === 'admin') return 'all';
  if (p.kind !== 'patient' || !p.patient) {
    throw FhirError.of(403, 'forbidden', 'an access log is shown to its patient and to administrators');
  }
  const { text, params } = sql`SELECT unnest(${personRecords(p.patient)}) AS id`.render();
  return (await db.query<{ id: string }>(text, params)).map((r) => r.id);
}
