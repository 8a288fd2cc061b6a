// SQL for "the Patient ids an id stands for": the id itself and, when it is a person (the golden
// Patient id a SMART patient context carries), every facility record linked to that person — so
// `Observation?patient={person id}` finds the person's data at every facility. A subquery, not an
// array: the planner estimates its rows (one or a few) and drives a search by its reference, where
// `= ANY(ARRAY(…))` hid the size and a common code drove instead (49 ms against 0.16 for
// `Observation?subject=…&code=…` at 1 M resources). SQL text only.
import { type Sql, sql } from '../db/sql.ts';

export function patientIdsOf(id: string): Sql {
  return sql`SELECT ${id}::text UNION ALL SELECT m.patient_id FROM mpi_record m WHERE m.person_id = ${id}`;
}
