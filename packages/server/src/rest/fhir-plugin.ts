// The FHIR REST API as a Fastify plugin under /fhir: turns HTTP requests into interactions and
// interaction results into HTTP responses (status, FHIR JSON, ETag, Location, Last-Modified,
// Prefer handling). Routing and behaviour live in ../interactions; this module only translates.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FhirError, badRequest, operationOutcome } from '../errors.ts';
import { processBundle } from '../interactions/bundle-request.ts';
import { dispatchRead } from '../interactions/dispatch-read.ts';
import { validateOperation } from '../interactions/validate-operation.ts';
import { type ParsedUrl, parseRoute } from '../interactions/route.ts';
import type { InteractionResult, Services } from '../interactions/services.ts';
import { prepareEntry, runEntries } from '../interactions/writes.ts';
import type { AccessContext, Resource } from '../store/model.ts';
import { terminologyPost } from '../terminology/routes.ts';
import { matchOperation } from '../mpi/match.ts';
import { parseJsonBody } from './json-body.ts';
import { auditResults, beginAudit } from '../interactions/audit-trail.ts';
import { breakGlass } from '../access/break-glass.ts';
import { canReadById, readById } from '../interactions/read-by-id.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json-patch+json'];

interface Prefer {
  return: 'minimal' | 'representation' | 'OperationOutcome';
  strict: boolean;
}

function parsePrefer(header: string | string[] | undefined): Prefer {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ret = /return=(minimal|representation|OperationOutcome)/.exec(text)?.[1] as
    Prefer['return'] | undefined;
  return { return: ret ?? 'representation', strict: /handling=strict/.test(text) };
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function checkFormat(query: URLSearchParams) {
  const format = query.get('_format');
  if (format && !/json/.test(format)) {
    throw FhirError.of(
      406,
      'not-supported',
      `_format=${format} is not supported; this server speaks JSON only`,
    );
  }
}

function send(reply: FastifyReply, result: InteractionResult, prefer: Prefer, isWrite: boolean) {
  reply.code(result.status).header('content-type', FHIR_JSON);
  if (result.location) reply.header(isWrite ? 'location' : 'content-location', result.location);
  if (result.etag) reply.header('etag', result.etag);
  if (result.lastModified) reply.header('last-modified', new Date(result.lastModified).toUTCString());
  if (result.status === 204) return reply.send();
  if (isWrite && prefer.return === 'minimal') return reply.send();
  if (isWrite && prefer.return === 'OperationOutcome') {
    return reply.send(
      operationOutcome([
        { severity: 'information', code: 'informational', diagnostics: `status ${result.status}` },
      ]),
    );
  }
  return reply.send(result.resource ? JSON.stringify(result.resource) : undefined);
}

export interface FhirPluginOptions {
  services: Services;
  /**
   * Who is asking: verifies the request's credentials (a 401 FhirError when they fail), possibly
   * leaving part of the check to the request (AccessContext.credential).
   */
  context(request: FastifyRequest): Promise<AccessContext>;
}

/**
 * A batch or transaction Bundle (POST to the base): it may go on beside the caller's pending
 * credential check, since its every effect passes through the audit trail, which waits for the
 * check before it records or commits anything (interactions/audit-trail.ts).
 */
const isBundlePost = (request: FastifyRequest) =>
  request.method === 'POST' && /^\/fhir\/?(\?|$)/.test(request.url);

/** Reads that touch no stored patient data (operations other than `$everything`) record nothing. */
const recordsNothing = ({ route }: ParsedUrl) =>
  route.kind === 'type-operation' ||
  (route.kind === 'instance-operation' && route.operation !== 'everything');

/**
 * A read whose audit record is written before the response leaves: no record, no response. The
 * statement that writes the record also confirms the caller's token when nothing has checked it yet;
 * a read by id makes that statement the one that reads. A read that records nothing has the token
 * looked up beside it.
 */
async function auditedRead(
  services: Services,
  ctx: AccessContext,
  parsed: ParsedUrl,
  strict: boolean,
): Promise<InteractionResult> {
  const { route } = parsed;
  if (route.kind === 'instance' && canReadById(ctx)) {
    const result = await readById(services, ctx, route.type, route.id);
    if (result) return result;
  }
  if (recordsNothing(parsed)) void ctx.credential?.confirmed();
  const record = beginAudit(services.db, ctx);
  const result = await dispatchRead(services, services.db, ctx, parsed, strict);
  await record([result]);
  return result;
}

export async function fhirPlugin(app: FastifyInstance, { services, context }: FhirPluginOptions) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, new URLSearchParams(body as string)),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, _body, done) =>
    done(
      FhirError.of(
        415,
        'not-supported',
        `content type "${request.headers['content-type'] ?? ''}" is not supported; send application/fhir+json`,
      ),
      undefined,
    ),
  );

  // Credentials are checked before the body is read: an unauthenticated caller learns nothing, not
  // even whether its body would parse. The CapabilityStatement alone is public (SMART discovery).
  // Reads and Bundles go on beside the token's revocation check (their answer waits for it);
  // anything else waits for the check before it starts. A GET leaves it to the statement that
  // records it (auditedRead).
  app.decorateRequest('accessContext', null);
  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    const ctx = await context(request);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const check = ctx.credential?.confirmed();
      if (!isBundlePost(request)) await check;
    }
    request.accessContext = ctx;
  });

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const prefer = parsePrefer(request.headers.prefer);
    const { result, isWrite } = await interact(request, prefer);
    // A failed credential check wins over the answer: over what `interact` returns here, and over
    // what it throws in the app's error handler, so a revoked token learns nothing.
    await request.accessContext?.credential?.confirmed();
    return send(reply, result, prefer, isWrite);
  };

  const interact = async (
    request: FastifyRequest,
    prefer: Prefer,
  ): Promise<{ result: InteractionResult; isWrite: boolean }> => {
    const url = request.url.slice(request.url.indexOf('/fhir') + '/fhir'.length);
    const parsed = parseRoute(url, services.isResourceType);
    checkFormat(parsed.query);
    const method = request.method;
    const ctx = request.accessContext;
    if (!ctx) return { result: { status: 200, resource: services.capabilityStatement() }, isWrite: false };
    if (method === 'GET' || method === 'HEAD') {
      return { result: await auditedRead(services, ctx, parsed, prefer.strict), isWrite: false };
    }
    if (method === 'POST') {
      const special = await postSpecial(services, ctx, parsed, request.body, prefer);
      if (special) return { result: special, isWrite: false };
    }
    const entry = prepareEntry(
      services,
      {
        method,
        url,
        body: request.body,
        ...optionalHeader('ifMatch', header(request, 'if-match')),
        ...optionalHeader('ifNoneExist', header(request, 'if-none-exist')),
        ...optionalHeader('ifNoneMatch', header(request, 'if-none-match')),
      },
      0,
      '',
    );
    const [result] = await services.db.transaction((tx) => runEntries(services, tx, ctx, [entry]));
    return { result: result!, isWrite: true };
  };

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/fhir', handler: handle });
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/fhir/*', handler: handle });
}

const isPublic = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') && /^\/fhir\/metadata\/?(\?|$)/.test(request.url);

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, set once credentials are verified; null on public requests (metadata). */
    accessContext: AccessContext | null;
  }
}

const optionalHeader = (name: string, value: string | undefined) =>
  value !== undefined ? { [name]: value } : {};

/**
 * Patient/$match looks across every facility's records to identify a person: for staff and
 * facility systems only, and every record it returns is audited like a read.
 */
async function auditedMatch(
  services: Services,
  ctx: AccessContext,
  body: unknown,
): Promise<InteractionResult> {
  const p = ctx.principal;
  if (p !== 'internal' && !['practitioner', 'system', 'admin'].includes(p.kind)) {
    throw FhirError.of(403, 'forbidden', 'Patient/$match is for clinical staff and facility systems');
  }
  const bundle = await matchOperation(services.db, services.baseUrl, body);
  const entries = (bundle.entry ?? []) as { resource?: Resource }[];
  const touched = entries.flatMap((e) =>
    e.resource?.id ? [{ reference: `Patient/${e.resource.id}`, patients: [e.resource.id] }] : [],
  );
  const result: InteractionResult = {
    status: 200,
    resource: bundle,
    access: { interaction: 'operation', touched },
  };
  await auditResults(services.db, ctx, [result]);
  return result;
}

/** POSTs that are not creates: Bundles to the base, _search, and operations. */
async function postSpecial(
  services: Services,
  ctx: AccessContext,
  parsed: ParsedUrl,
  body: unknown,
  prefer: Prefer,
): Promise<InteractionResult | undefined> {
  const { route } = parsed;
  if (route.kind === 'system') {
    if (typeof body !== 'object' || body === null || (body as Resource).resourceType !== 'Bundle') {
      throw badRequest('POST to the base must carry a batch or transaction Bundle');
    }
    const representation = prefer.return !== 'minimal';
    return { status: 200, resource: await processBundle(services, ctx, body as Resource, representation) };
  }
  if (route.kind === 'search-post') {
    const query = new URLSearchParams(parsed.query);
    if (body instanceof URLSearchParams) for (const [k, v] of body) query.append(k, v);
    return auditedRead(services, ctx, { route: { kind: 'type', type: route.type }, query }, prefer.strict);
  }
  if (route.kind === 'type-operation' || route.kind === 'instance-operation') {
    if (route.operation === 'validate') return validateOperation(services, ctx, route, body);
    if (route.kind === 'type-operation' && route.type === 'Patient' && route.operation === 'match') {
      return auditedMatch(services, ctx, body);
    }
    if (route.kind === 'instance-operation' && route.operation === 'everything') {
      return auditedRead(services, ctx, parsed, prefer.strict);
    }
    if (
      route.kind === 'instance-operation' &&
      route.type === 'Patient' &&
      route.operation === 'break-glass'
    ) {
      return breakGlass(services.db, ctx, route.id, body);
    }
    const terminology = await terminologyPost(services.db, route, parsed.query, body);
    if (terminology) return terminology;
    throw FhirError.of(404, 'not-supported', `operation $${route.operation} is not supported`);
  }
  return undefined;
}
