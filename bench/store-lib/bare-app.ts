// The FHIR plugin alone, run as the server itself (INTERNAL_ACCESS): no token, no caller
// conditions, nothing audited. The benchmarks' baseline for the search engine and the store, against
// which bench:access measures what authorization and the audit trail add. Not for serving.
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { INTERNAL_ACCESS } from '@hoso/server/access/context';
import { fhirServices } from '@hoso/server/app';
import type { Database } from '@hoso/server/db/database';
import { fhirPlugin } from '@hoso/server/rest/fhir-plugin';

export async function bareFhirApp(db: Database, baseUrl: string): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 64 * 1024 * 1024,
    logger: false,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(fhirPlugin, {
    services: fhirServices(db, () => baseUrl),
    context: async () => INTERNAL_ACCESS,
  });
  return app;
}
