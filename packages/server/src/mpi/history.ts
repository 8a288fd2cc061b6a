// The patient index's own history writes: a new person, a record's link change (with the previous
// person, reason and actor, so every change is reversible and explained) and the audit row of a
// decision. Callers run these inside the transaction of the change they describe.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';

export type LinkAction = 'link' | 'relink' | 'remove' | 'unlink' | 'merge' | 'unmerge';

export async function newPerson(tx: Queryable): Promise<string> {
  const id = randomUUID();
  await tx.query('INSERT INTO mpi_person (id) VALUES ($1)', [id]);
  return id;
}

/** Moves a record to a person (none: it left the index) and appends the change to the link history. */
export async function recordLink(
  tx: Queryable,
  action: LinkAction,
  patientId: string,
  personId: string | null,
  previous: string | null,
  reason: string,
  actor: string,
): Promise<void> {
  if (personId !== null)
    await tx.query('UPDATE mpi_record SET person_id = $2 WHERE patient_id = $1', [patientId, personId]);
  await tx.query(
    `INSERT INTO mpi_link_history (action, patient_id, person_id, previous_person_id, reason, actor)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [action, patientId, personId, previous, reason, actor],
  );
}

export async function audit(
  tx: Queryable,
  action: string,
  patientId: string | null,
  personId: string | null,
  detail: unknown,
): Promise<void> {
  await tx.query('INSERT INTO mpi_audit (action, patient_id, person_id, detail) VALUES ($1, $2, $3, $4)', [
    action,
    patientId,
    personId,
    JSON.stringify(detail),
  ]);
}
