// The read-only FHIR views of a person: Person with a link per facility Patient record, and the
// hub-owned golden Patient (tagged, derived on read from the linked records, with Patient.link to
// each). Nothing here writes; the golden record is never stored as a facility record.
import type { Queryable } from '../db/database.ts';
import type { Resource } from '../store/model.ts';

export const GOLDEN_TAG = { system: 'https://hoso.example/fhir/CodeSystem/mpi', code: 'golden' };

export async function linkedRecords(db: Queryable, personId: string): Promise<string[]> {
  const rows = await db.query<{ patient_id: string }>(
    'SELECT patient_id FROM mpi_record WHERE person_id = $1 ORDER BY patient_id',
    [personId],
  );
  return rows.map((r) => r.patient_id);
}

export async function personResource(db: Queryable, personId: string): Promise<Resource | undefined> {
  const [person] = await db.query<{ id: string; merged_into: string | null }>(
    'SELECT id, merged_into FROM mpi_person WHERE id = $1',
    [personId],
  );
  if (!person) return undefined;
  const records = await linkedRecords(db, personId);
  return {
    resourceType: 'Person',
    id: personId,
    meta: { tag: [GOLDEN_TAG] },
    active: person.merged_into === null,
    link: [
      { target: { reference: `Patient/${personId}` }, assurance: 'level4' },
      ...records.map((id) => ({ target: { reference: `Patient/${id}` }, assurance: 'level3' })),
    ],
  };
}

/** Completeness of a facility record: the richest one supplies the golden record's details. */
function richness(p: Resource): number {
  const birth = typeof p.birthDate === 'string' ? p.birthDate.length : 0;
  const ids = Array.isArray(p.identifier) ? p.identifier.length : 0;
  return ids * 10 + birth + (p.telecom ? 5 : 0);
}

export async function goldenPatient(db: Queryable, personId: string): Promise<Resource | undefined> {
  const records = await linkedRecords(db, personId);
  if (records.length === 0) return undefined;
  const rows = await db.query<{ content: string }>(
    "SELECT content FROM resource WHERE type = 'Patient' AND id = ANY($1::text[]) AND NOT deleted",
    [records],
  );
  const patients = rows
    .map((r) => JSON.parse(r.content) as Resource)
    .sort((a, b) => richness(b) - richness(a));
  const best = patients[0];
  if (!best) return undefined;
  const identifiers = new Map<string, unknown>();
  for (const p of patients) {
    for (const id of (p.identifier as { system?: string; value?: string; type?: unknown }[] | undefined) ??
      []) {
      if (id.type) continue; // facility record numbers stay on the facility records
      identifiers.set(`${id.system}|${id.value}`, { system: id.system, value: id.value });
    }
  }
  return {
    resourceType: 'Patient',
    id: personId,
    meta: { tag: [GOLDEN_TAG] },
    ...(identifiers.size > 0 ? { identifier: [...identifiers.values()] } : {}),
    active: true,
    ...(best.name ? { name: best.name } : {}),
    ...(best.telecom ? { telecom: best.telecom } : {}),
    ...(best.gender ? { gender: best.gender } : {}),
    ...(best.birthDate ? { birthDate: best.birthDate } : {}),
    ...(best.address ? { address: best.address } : {}),
    link: records.map((id) => ({ other: { reference: `Patient/${id}` }, type: 'seealso' })),
  };
}
