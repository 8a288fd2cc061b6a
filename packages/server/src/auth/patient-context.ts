// The person a patient account speaks for: the facility Patient records carrying the account's
// citizen ID (CCCD), through the patient index, to their one person (golden Patient) id. Resolved
// at every token issue, so merges and unmerges take effect at the next sign-in or refresh.
import { VN_FHIR } from '@hoso/vn/fhir-conventions';
import type { Queryable } from '../db/database.ts';

const CCCD_SYSTEMS = [VN_FHIR.identifierSystems.citizenId, ...VN_FHIR.identifierAliases.citizenId];

/** The person id, or undefined when no record carries the CCCD or the records belong to several people. */
export async function personOfCitizenId(db: Queryable, cccd: string): Promise<string | undefined> {
  const rows = await db.query<{ person_id: string }>(
    `SELECT DISTINCT m.person_id FROM idx_token t JOIN mpi_record m ON m.patient_id = t.id
     WHERE t.type = 'Patient' AND t.param = 'identifier' AND t.code = $1 AND t.system = ANY($2)`,
    [cccd, CCCD_SYSTEMS],
  );
  return rows.length === 1 ? rows[0]!.person_id : undefined;
}
