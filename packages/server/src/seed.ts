// Loads a seed population (the development demo) into an EMPTY database through the normal FHIR
// interactions (as the server itself, not over HTTP), so seeded data is validated and indexed like
// any other write. It never touches a database
// that already holds resources.
import type { FastifyInstance } from 'fastify';
import type { Database } from './db/database.ts';
import type { Resource } from './store/model.ts';

export interface SeedBundle {
  resourceType: 'Bundle';
  type: string;
  entry?: unknown[];
}

export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM resource LIMIT 1');
  return rows.length === 0;
}

/** Runs each bundle as the server itself; throws on the first one refused. Returns resources loaded. */
export async function loadSeed(
  app: FastifyInstance,
  bundles: Iterable<SeedBundle>,
  progress: (resources: number) => void,
): Promise<number> {
  let loaded = 0;
  for (const bundle of bundles) {
    await app.processInternalBundle(bundle as unknown as Resource);
    loaded += bundle.entry?.length ?? 0;
    progress(loaded);
  }
  return loaded;
}
