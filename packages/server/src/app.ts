// Composes the HTTP server: Fastify with the FHIR plugin, error and not-found handlers that always
// answer with an OperationOutcome, and no request logging (URLs can carry personal data).
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { capabilityStatement } from './capability.ts';
import type { Database } from './db/database.ts';
import { FhirError, operationOutcome } from './errors.ts';
import { UnauthorizedError } from './auth/authenticate.ts';
import { type AuthSettings, authPlugin, createAuthServer } from './auth/plugin.ts';
import { r4Indexer } from './indexer.ts';
import type { ResourceValidator, Services } from './interactions/services.ts';
import { accessPolicy } from './access/policy.ts';
import { INTERNAL_ACCESS, accessContextOf } from './access/context.ts';
import { auditScope } from './access/audit-scope.ts';
import { auditPlugin } from './audit/plugin.ts';
import { requireAdmin } from './auth/guard.ts';
import { processBundle } from './interactions/bundle-request.ts';
import type { Resource } from './store/model.ts';
import { fhirPlugin } from './rest/fhir-plugin.ts';
import { type MpiOptions, mpiRoutes } from './mpi/routes.ts';
import { r4SearchParams } from './search/registry.ts';
import { ensureBuiltinTerminology } from './terminology/builtin.ts';
import { createValidator, isResourceType, resourceTypes } from './validator.ts';

export const VERSION = '0.1.0';

declare module 'fastify' {
  interface FastifyInstance {
    /** Runs a batch/transaction Bundle as the server itself (seeding), through validation and indexing. */
    processInternalBundle(bundle: Resource): Promise<Resource>;
  }
}

export interface AppOptions {
  db: Database;
  /** The public FHIR base URL; a function because it may be known only after listening. */
  baseUrl: () => string;
  bodyLimit: number;
  logger?: boolean;
  validator?: ResourceValidator;
  /** The authorization server: one-time code channel, rate limit (docs/AUTH.md). */
  auth?: AuthSettings;
  /** The patient index: outbox polling and the shared reference data (old-ward mapping). */
  mpi?: MpiOptions;
  /** Browser origins allowed to call the API (CORS); default none. */
  corsOrigins?: '*' | readonly string[];
}

/** Request headers a browser SMART app sends, and response headers it must be able to read. */
const CORS = {
  allowedHeaders: ['authorization', 'content-type', 'prefer', 'if-match', 'if-none-exist', 'if-none-match'],
  exposedHeaders: ['location', 'content-location', 'etag', 'last-modified', 'www-authenticate'],
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
};

/** What the FHIR interactions need over one database: policy, indexer, validator, search parameters. */
export function fhirServices(db: Database, baseUrl: () => string, validator?: ResourceValidator): Services {
  const searchParams = r4SearchParams();
  let capability: Resource | undefined;
  return {
    db,
    policy: accessPolicy,
    indexer: r4Indexer,
    validator: validator ?? createValidator(db),
    searchParams,
    isResourceType,
    get baseUrl() {
      return baseUrl();
    },
    capabilityStatement: () =>
      (capability ??= capabilityStatement(resourceTypes, searchParams, baseUrl(), VERSION)),
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit,
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await ensureBuiltinTerminology(options.db);
  const auth = await createAuthServer(options.db, options.baseUrl, options.auth);
  app.decorate('authenticate', auth.authenticate);
  const services = fhirServices(options.db, options.baseUrl, options.validator);

  app.setErrorHandler(async (failure: Error, request, reply) => {
    // A request that went on beside its credential check answers the check's 401 if it failed,
    // whatever else went wrong (e.g. a body that does not parse): a revoked token learns nothing.
    const credential = request.accessContext?.credential;
    const err = credential
      ? await credential.confirmed().then(
          () => failure,
          (unauthorized: Error) => unauthorized,
        )
      : failure;
    if (err instanceof FhirError) {
      if (err instanceof UnauthorizedError) reply.header('www-authenticate', err.wwwAuthenticate);
      return reply.code(err.status).type('application/fhir+json').send(operationOutcome(err.issues));
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 413 ? 'too-costly' : status === 415 ? 'not-supported' : 'invalid';
      const message =
        status === 413 ? `the request body is larger than ${options.bodyLimit} bytes` : err.message;
      return reply
        .code(status)
        .type('application/fhir+json')
        .send(operationOutcome([{ severity: 'error', code, diagnostics: message }]));
    }
    request.log.error({ err: { name: err.name, stack: err.stack } }, 'unhandled error');
    return reply
      .code(500)
      .type('application/fhir+json')
      .send(
        operationOutcome([{ severity: 'fatal', code: 'exception', diagnostics: 'internal server error' }]),
      );
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/fhir+json')
      .send(
        operationOutcome([
          {
            severity: 'error',
            code: 'not-found',
            diagnostics: `no route for ${request.method} ${request.url.split('?')[0]}`,
          },
        ]),
      ),
  );
  app.get('/', async () => ({ name: 'Hồ Sơ', version: VERSION, fhir: options.baseUrl() }));
  const origins = options.corsOrigins ?? [];
  if (origins === '*' || origins.length > 0) {
    // Tokens travel in the Authorization header, never in cookies: no credentials mode.
    await app.register(cors, { ...CORS, origin: origins === '*' ? true : [...origins], credentials: false });
  }
  app.decorate('processInternalBundle', (bundle: Resource) =>
    processBundle(services, INTERNAL_ACCESS, bundle, false),
  );
  const context = async (request: FastifyRequest) => {
    const { principal, credential } = await auth.identify(request);
    return { ...accessContextOf(principal), credential };
  };
  await app.register(auditPlugin, {
    db: options.db,
    baseUrl: options.baseUrl,
    allowedPatients: async (request) => auditScope(options.db, await auth.authenticate(request)),
  });
  await app.register(fhirPlugin, { services, context });
  await app.register(authPlugin, { auth });
  await app.register(mpiRoutes, {
    services,
    guard: requireAdmin(auth.authenticate, 'use the patient index administration'),
    ...options.mpi,
  });
  return app;
}
