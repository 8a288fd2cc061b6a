// Writes facility records' match features and blocking keys straight into the patient index's
// tables (mpi_record, each its own person; mpi_key), set-based — how the patient-index benchmarks
// build a large index in minutes instead of linking record by record. Benchmark setup only.
import { blockingKeys, type Features } from '@hoso/mpi';
import type { Queryable } from '@hoso/server/db/database';

export async function indexFeatures(db: Queryable, features: readonly Features[]): Promise<void> {
  await db.query(
    `INSERT INTO mpi_record (patient_id, version, features, person_id)
     SELECT id, 1, f, id FROM unnest($1::text[], $2::text[]) AS t(id, f)`,
    [features.map((f) => f.id), features.map((f) => JSON.stringify(f))],
  );
  const keys = features.flatMap((f) => blockingKeys(f).map((k) => [k, f.id] as const));
  await db.query(
    `INSERT INTO mpi_key (key, patient_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
    [keys.map((k) => k[0]), keys.map((k) => k[1])],
  );
}
