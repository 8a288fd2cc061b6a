// The Patient ids a grant may name for a given set of facility records: the records themselves,
// their persons (patient index) and the persons' other records — so a consent or referral about a
// person, or about any one of their facility records, covers all of them. SQL text only.
import { raw } from '../db/sql.ts';

/**
 * Every id a grant about the Patient ids in the SQL array `ids` may name: those records, their
 * persons and the persons' other records.
 */
export const relatedIds = (ids: string) =>
  raw(`(${ids} || ARRAY(
     SELECT m2.patient_id FROM mpi_record m1 JOIN mpi_record m2 ON m2.person_id = m1.person_id
      WHERE m1.patient_id = ANY(${ids})
     UNION SELECT m1.person_id FROM mpi_record m1 WHERE m1.patient_id = ANY(${ids})))`);

/**
 * The converse of relatedIds: every id whose relatedIds include one of the ids in the SQL array
 * `ids` a grant names — those ids, the other records of a named record's person, and the records
 * of a named person.
 */
export const coveredIds = (ids: string) =>
  raw(`(${ids} || ARRAY(
     SELECT m2.patient_id FROM mpi_record m1 JOIN mpi_record m2 ON m2.person_id = m1.person_id
      WHERE m1.patient_id = ANY(${ids})
     UNION SELECT m.patient_id FROM mpi_record m WHERE m.person_id = ANY(${ids})))`);
