// Loads a seed population (the development demo) into an EMPTY database through the normal FHIR
// API, so seeded data is validated and indexed like any other write. It never touches a database
// that already holds resources.
import type { FastifyInstance } from 'fastify';
import type { Database } from './db/database.ts';

export interface SeedBundle {
  resourceType: 'Bundle';
  type: string;
  entry?: unknown[];
}

export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM resource LIMIT 1');
  return rows.length === 0;
}

/** Posts each bundle to the app; throws on the first one the API refuses. Returns resources loaded. */
export async function loadSeed(
  app: FastifyInstance,
  bundles: Iterable<SeedBundle>,
  progress: (resources: number) => void,
): Promise<number> {
  let loaded = 0;
  for (const bundle of bundles) {
    const res = await app.inject({
      method: 'POST',
      url: '/fhir',
      headers: { 'content-type': 'application/fhir+json', prefer: 'return=minimal' },
      payload: JSON.stringify(bundle),
    });
    if (res.statusCode !== 200)
      throw new Error(`the seed bundle was refused (${res.statusCode}): ${res.body.slice(0, 500)}`);
    loaded += bundle.entry?.length ?? 0;
    progress(loaded);
  }
  return loaded;
}
