// SQL for "the Patient ids an id stands for": the id itself and, when it is a person (the golden
// Patient id a SMART patient context carries), every facility record linked to that person — so
// `Observation?patient={person id}` finds the person's data at every facility. SQL text only.
import { type Sql, sql } from '../db/sql.ts';

export function patientIdsOf(id: string): Sql {
  return sql`ARRAY(SELECT ${id}::text UNION ALL SELECT m.patient_id FROM mpi_record m WHERE m.person_id = ${id})`;
}
