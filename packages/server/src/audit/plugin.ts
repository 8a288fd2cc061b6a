// The audit trail over HTTP: `GET /fhir/AuditEvent` (search, also POST …/_search) and
// `GET /fhir/AuditEvent/{id}`, as static routes that win over the FHIR plugin's `/fhir/*`; every
// write answers 405 because the trail is append-only. Which patients a caller may see comes from
// the `allowedPatients` option; this plugin never widens it and never shows other patients' events.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { FhirError, badRequest, notFound, operationOutcome } from '../errors.ts';
import { type BundleLink, searchsetBundle } from '../interactions/bundles.ts';
import { readAuditEvent, searchAuditEvents } from './list.ts';
import { encodeCursor, parseAuditSearch } from './search.ts';

export interface AuditPluginOptions {
  db: Database;
  /** The public FHIR base URL, for fullUrl and paging links. */
  baseUrl: () => string;
  /** Facility Patient ids whose audit the caller may list, or 'all' (administrators). */
  allowedPatients(request: FastifyRequest): Promise<readonly string[] | 'all'>;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const READ_METHODS = 'GET, HEAD';

function refuseWrite(request: FastifyRequest, reply: FastifyReply) {
  reply.header('allow', request.url.split('?')[0]!.endsWith('/_search') ? 'POST' : READ_METHODS);
  throw FhirError.of(
    405,
    'not-supported',
    `${request.method} is not allowed on AuditEvent: the audit trail is append-only and written by the server`,
  );
}

const queryOf = (request: FastifyRequest) => new URLSearchParams(request.url.split('?')[1] ?? '');
const strictHandling = (request: FastifyRequest) =>
  /handling=strict/.test(String(request.headers.prefer ?? ''));

export async function auditPlugin(app: FastifyInstance, options: AuditPluginOptions) {
  // Self-contained: its own errors are OperationOutcomes in any host app; others go to the host's handler.
  app.setErrorHandler((err, _request, reply) => {
    if (!(err instanceof FhirError)) throw err;
    return reply.code(err.status).header('content-type', FHIR_JSON).send(operationOutcome(err.issues));
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, new URLSearchParams(body as string)),
  );
  // Bodies of refused writes are read and dropped so every write gets the same 405.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, undefined));

  const search = async (request: FastifyRequest, reply: FastifyReply, query: URLSearchParams) => {
    const parsed = parseAuditSearch(query, strictHandling(request));
    const page = await searchAuditEvents(options.db, parsed, await options.allowedPatients(request));
    const base = options.baseUrl();
    const link = (cursor: string | undefined): string => {
      const q = new URLSearchParams(query);
      q.delete('_cursor');
      if (cursor !== undefined) q.set('_cursor', cursor);
      return q.size > 0 ? `${base}/AuditEvent?${q}` : `${base}/AuditEvent`;
    };
    const links: BundleLink[] = [{ relation: 'self', url: link(query.get('_cursor') ?? undefined) }];
    if (page.next) links.push({ relation: 'next', url: link(encodeCursor(page.next, parsed.descending)) });
    const onePage = parsed.cursor === undefined && page.next === undefined;
    const total = page.total ?? (onePage ? page.events.length : undefined);
    const warnings = parsed.ignored.map((diagnostics) => ({
      severity: 'warning' as const,
      code: 'not-supported',
      diagnostics: `ignored ${diagnostics}`,
    }));
    const entries = page.events.map(({ id, content }) => ({
      fullUrl: `${base}/AuditEvent/${id}`,
      resource: JSON.parse(content) as { resourceType: string },
    }));
    reply.header('content-type', FHIR_JSON);
    return searchsetBundle(entries, links, total, warnings);
  };

  app.get('/fhir/AuditEvent', (request, reply) => search(request, reply, queryOf(request)));
  app.post('/fhir/AuditEvent/_search', (request, reply) => {
    const query = queryOf(request);
    if (request.body instanceof URLSearchParams) for (const [k, v] of request.body) query.append(k, v);
    return search(request, reply, query);
  });
  app.get<{ Params: { id: string } }>('/fhir/AuditEvent/:id', async (request, reply) => {
    const { id } = request.params;
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw badRequest(`"${id}" is not a valid resource id`);
    const content = await readAuditEvent(options.db, id, await options.allowedPatients(request));
    if (content === undefined) throw notFound(`AuditEvent/${id} is not known`);
    reply.header('content-type', FHIR_JSON);
    return content;
  });
  app.get('/fhir/AuditEvent/*', () => {
    throw FhirError.of(
      404,
      'not-supported',
      'AuditEvent supports search and read only (no history or operations)',
    );
  });
  const writes = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
  app.route({ method: [...writes], url: '/fhir/AuditEvent', handler: refuseWrite });
  app.route({ method: ['PUT', 'PATCH', 'DELETE'], url: '/fhir/AuditEvent/_search', handler: refuseWrite });
  app.route({ method: [...writes], url: '/fhir/AuditEvent/:id', handler: refuseWrite });
  app.route({ method: [...writes], url: '/fhir/AuditEvent/*', handler: refuseWrite });
}
