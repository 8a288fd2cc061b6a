// Executes write interactions — create, update (incl. update-as-create), conditional create/
// update/delete, JSON Patch, delete — alone or as the entries of a batch or transaction. Every
// write goes through one set-based `applyWrites` call per transaction, after all entries are
// resolved (DELETE, POST, PUT/PATCH, then GET), references rewritten and resources validated.
// Request bodies are parsed per request and owned here: references are rewritten in place.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { FhirError, type Issue, badRequest, preconditionFailed } from '../errors.ts';
import { matchIds } from '../search/execute.ts';
import { parseSearch } from '../search/parse.ts';
import type { AccessContext, Resource, WriteOp } from '../store/model.ts';
import { readCurrent } from '../store/read.ts';
import { applyWrites } from '../store/write.ts';
import { versionedResult } from './bundles.ts';
import { applyJsonPatch } from './patch.ts';
import { dispatchRead } from './dispatch-read.ts';
import { read } from './read.ts';
import { isConditionalReference, rewriteReferences } from './references.ts';
import { type ParsedUrl, checkId, parseRoute } from './route.ts';
import type { InteractionResult, Services } from './services.ts';
import { auditResults } from './audit-trail.ts';
import type { AuditInteraction } from '../audit/event.ts';

export interface EntryRequest {
  method: string;
  url: string;
  /** POST/PUT: the resource; PATCH: the JSON Patch document. */
  body?: unknown;
  fullUrl?: string;
  ifMatch?: string;
  ifNoneExist?: string;
  ifNoneMatch?: string;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ORDER: Record<Method, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

interface Entry {
  index: number;
  request: EntryRequest;
  method: Method;
  parsed: ParsedUrl;
  /** Where errors about this entry point, e.g. "Bundle.entry[3]" (empty for a plain request). */
  where: string;
  op?: WriteOp;
  /** A result decided without writing (conditional create that matched, delete of nothing). */
  result?: InteractionResult;
}

function at(where: string, path: string): string[] {
  return [where ? `${where}.${path}` : path];
}

function parseIfMatch(value: string | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(value.trim());
  if (!m)
    throw badRequest(`If-Match must be an ETag like W/"3", got "${value}"`, at(where, 'request.ifMatch'));
  return Number(m[1]);
}

function asResource(body: unknown, where: string): Resource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the body must be a FHIR resource (a JSON object)', at(where, 'resource'));
  }
  const resource = body as Resource;
  if (typeof resource.resourceType !== 'string') {
    throw badRequest('the resource has no resourceType', at(where, 'resource'));
  }
  return resource;
}

function checkBodyType(resource: Resource, type: string, where: string) {
  if (resource.resourceType !== type) {
    throw badRequest(
      `the resource is a ${resource.resourceType} but the URL names ${type}`,
      at(where, 'resource.resourceType'),
    );
  }
}

export function prepareEntry(services: Services, request: EntryRequest, index: number, where: string): Entry {
  const method = request.method.toUpperCase() as Method;
  if (!(method in ORDER))
    throw badRequest(`unsupported method "${request.method}"`, at(where, 'request.method'));
  const parsed = parseRoute(request.url, (t) => services.isResourceType(t));
  return { index, request, method, parsed, where };
}

async function conditionalMatches(
  services: Services,
  tx: Queryable,
  ctx: AccessContext,
  type: string,
  query: URLSearchParams | string,
): Promise<string[]> {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  if (params.size === 0) throw badRequest('a conditional operation needs search criteria');
  const request = parseSearch(type, params, services.searchParams, true);
  return matchIds(tx, services.policy, ctx, request, 2);
}

/** Decides what each write entry does (its target id, or a result without a write). */
async function resolveTarget(services: Services, tx: Queryable, ctx: AccessContext, e: Entry): Promise<void> {
  const { route, query } = e.parsed;
  const ifMatch = parseIfMatch(e.request.ifMatch, e.where);
  if (e.method === 'POST') {
    if (route.kind !== 'type')
      throw badRequest(`POST is not allowed on ${e.request.url}`, at(e.where, 'request.url'));
    const resource = asResource(e.request.body, e.where);
    checkBodyType(resource, route.type, e.where);
    if (e.request.ifNoneExist) {
      const ids = await conditionalMatches(services, tx, ctx, route.type, e.request.ifNoneExist);
      if (ids.length > 1) throw preconditionFailed(`If-None-Exist matched more than one ${route.type}`);
      if (ids.length === 1) {
        e.result = await read(services, tx, ctx, route.type, ids[0]!);
        return;
      }
    }
    e.op = { action: 'create', type: route.type, id: randomUUID(), resource: resource };
    return;
  }
  if (e.method === 'PUT') {
    const resource = asResource(e.request.body, e.where);
    if (route.kind === 'instance') {
      checkBodyType(resource, route.type, e.where);
      if (resource.id !== route.id) {
        throw badRequest(
          resource.id === undefined
            ? `the resource has no id; it must be "${route.id}" as in the URL`
            : `the resource id "${resource.id}" differs from the URL id "${route.id}"`,
          at(e.where, 'resource.id'),
        );
      }
      if (e.request.ifNoneMatch === '*') {
        const current = await readCurrent({ db: tx, policy: services.policy }, ctx, route.type, route.id);
        if (current && !current.deleted) throw preconditionFailed(`${route.type}/${route.id} already exists`);
      }
      e.op = {
        action: 'update',
        type: route.type,
        id: route.id,
        resource: resource,
        ...(ifMatch !== undefined ? { ifMatch } : {}),
      };
      return;
    }
    if (route.kind === 'type') {
      checkBodyType(resource, route.type, e.where);
      const ids = await conditionalMatches(services, tx, ctx, route.type, query);
      if (ids.length > 1)
        throw preconditionFailed(`the conditional update matched more than one ${route.type}`);
      const id = ids[0] ?? (resource.id !== undefined ? checkId(resource.id) : randomUUID());
      if (ids[0] !== undefined && resource.id !== undefined && resource.id !== ids[0]) {
        throw badRequest(`the resource id "${resource.id}" differs from the matched ${route.type}/${ids[0]}`);
      }
      e.op = {
        action: 'update',
        type: route.type,
        id,
        resource: resource,
        ...(ifMatch !== undefined ? { ifMatch } : {}),
      };
      return;
    }
    throw badRequest(`PUT is not allowed on ${e.request.url}`, at(e.where, 'request.url'));
  }
  if (e.method === 'PATCH' || e.method === 'DELETE') {
    let type: string;
    let id: string | undefined;
    if (route.kind === 'instance') {
      type = route.type;
      id = route.id;
    } else if (route.kind === 'type') {
      type = route.type;
      const ids = await conditionalMatches(services, tx, ctx, route.type, query);
      if (ids.length > 1)
        throw preconditionFailed(`the conditional ${e.method.toLowerCase()} matched more than one ${type}`);
      id = ids[0];
    } else throw badRequest(`${e.method} is not allowed on ${e.request.url}`, at(e.where, 'request.url'));
    if (e.method === 'DELETE') {
      if (id === undefined) {
        e.result = { status: 204 };
        return;
      }
      e.op = { action: 'delete', type, id, ...(ifMatch !== undefined ? { ifMatch } : {}) };
      return;
    }
    if (id === undefined) throw FhirError.of(404, 'not-found', `no ${type} matched the conditional patch`);
    const current = await readCurrent({ db: tx, policy: services.policy }, ctx, type, id, true);
    if (!current) throw FhirError.of(404, 'not-found', `${type}/${id} is not known`);
    if (current.deleted) throw FhirError.of(410, 'deleted', `${type}/${id} was deleted`);
    if (ifMatch !== undefined && ifMatch !== current.version) {
      throw preconditionFailed(
        `${type}/${id}: If-Match version ${ifMatch} does not match the current version ${current.version}`,
      );
    }
    const patched = applyJsonPatch(JSON.parse(current.content!) as Resource, e.request.body);
    e.op = { action: 'update', type, id, resource: patched, ifMatch: current.version };
  }
}

/** Rewrites fullUrl and conditional references in every resource about to be written. */
async function resolveReferences(
  services: Services,
  tx: Queryable,
  ctx: AccessContext,
  entries: Entry[],
  byFullUrl: Map<string, string>,
): Promise<void> {
  const conditional = new Map<string, string>();
  for (const e of entries) {
    const resource = e.op?.resource;
    if (!resource) continue;
    const pending: string[] = [];
    rewriteReferences(resource, (ref) => {
      if (isConditionalReference(ref) && !conditional.has(ref)) pending.push(ref);
      return undefined;
    });
    for (const ref of pending) {
      const q = ref.indexOf('?');
      const type = ref.slice(0, q);
      if (!services.isResourceType(type))
        throw badRequest(`conditional reference "${ref}" names an unknown type`);
      const ids = await conditionalMatches(services, tx, ctx, type, ref.slice(q + 1));
      if (ids.length === 0)
        throw FhirError.of(404, 'not-found', `conditional reference "${ref}" matched nothing`);
      if (ids.length > 1)
        throw preconditionFailed(`conditional reference "${ref}" matched more than one ${type}`);
      conditional.set(ref, `${type}/${ids[0]}`);
    }
    rewriteReferences(resource, (ref) => {
      const replacement = byFullUrl.get(ref) ?? conditional.get(ref);
      if (replacement !== undefined) return replacement;
      if (ref.startsWith('urn:uuid:') || ref.startsWith('urn:oid:')) {
        throw badRequest(
          `reference "${ref}" does not match the fullUrl of any entry`,
          at(e.where, 'resource'),
        );
      }
      return undefined;
    });
  }
}

function relocate(issue: Issue, where: string): Issue {
  if (!where || !issue.expression) return issue;
  return {
    ...issue,
    expression: issue.expression.map(
      (x) => `${where}.resource${x.slice(x.indexOf('.') < 0 ? x.length : x.indexOf('.'))}`,
    ),
  };
}

async function validateAll(services: Services, tx: Queryable, entries: Entry[]): Promise<void> {
  const structural: Issue[] = [];
  const business: Issue[] = [];
  const batch = entries.flatMap((e) => (e.op?.resource ? [{ ...e.op.resource, id: e.op.id }] : []));
  const context = { db: tx, batch };
  for (const e of entries) {
    if (!e.op?.resource) continue;
    const result = await services.validator.validate(e.op.resource, context);
    structural.push(...result.structural.map((i) => relocate(i, e.where)));
    business.push(...result.business.map((i) => relocate(i, e.where)));
  }
  if (structural.some((i) => i.severity === 'error' || i.severity === 'fatal'))
    throw new FhirError(400, structural);
  if (business.some((i) => i.severity === 'error' || i.severity === 'fatal'))
    throw new FhirError(422, business);
}

function writeInteraction(method: string, created: boolean): AuditInteraction {
  if (method === 'DELETE') return 'delete';
  if (method === 'PATCH') return 'patch';
  return created ? 'create' : 'update';
}

/**
 * Runs `entries` in the caller's transaction with transaction semantics: any failure throws and
 * the caller rolls back. Returns one result per entry, in the entries' order.
 */
export async function runEntries(
  services: Services,
  tx: Queryable,
  ctx: AccessContext,
  entries: Entry[],
): Promise<InteractionResult[]> {
  const ordered = [...entries].sort((a, b) => ORDER[a.method] - ORDER[b.method] || a.index - b.index);
  const byFullUrl = new Map<string, string>();
  for (const e of ordered) {
    if (e.method === 'GET' || e.method === 'HEAD') continue;
    try {
      await resolveTarget(services, tx, ctx, e);
    } catch (err) {
      throw locate(err, e.where);
    }
    const target = e.op ? `${e.op.type}/${e.op.id}` : e.result?.location;
    if (e.request.fullUrl && target) byFullUrl.set(e.request.fullUrl, target);
  }
  const writers = ordered.filter((e) => e.op);
  const seen = new Set<string>();
  for (const e of writers) {
    const key = `${e.op!.type}/${e.op!.id}`;
    if (seen.has(key))
      throw badRequest(`${key} is the target of more than one entry`, at(e.where, 'request'));
    seen.add(key);
  }
  await resolveReferences(services, tx, ctx, writers, byFullUrl);
  await validateAll(services, tx, writers);
  const written = await applyWrites(
    tx,
    writers.map((e) => e.op!),
    services,
    ctx,
  );
  writers.forEach((e, i) => {
    const w = written[i]!;
    const result: InteractionResult =
      w.action === 'noop'
        ? { status: 204 }
        : w.action === 'delete'
          ? { status: 204, etag: `W/"${w.version}"` }
          : versionedResult(
              w.created ? 201 : 200,
              services.baseUrl,
              w.type,
              w.id,
              w.version,
              w.lastUpdated,
              w.resource,
            );
    e.result =
      w.action === 'noop'
        ? result
        : {
            ...result,
            access: {
              interaction: writeInteraction(e.method, w.created),
              touched: [{ reference: `${w.type}/${w.id}`, patients: w.compartment }],
            },
          };
  });
  for (const e of ordered) {
    if (e.method !== 'GET' && e.method !== 'HEAD') continue;
    try {
      e.result = await dispatchRead(services, tx, ctx, e.parsed, false);
    } catch (err) {
      throw locate(err, e.where);
    }
  }
  await auditResults(
    tx,
    ctx,
    entries.map((e) => e.result!),
  );
  return entries.map((e) => {
    const result = e.result!;
    if (result.location && !result.location.startsWith('http')) {
      return { ...result, location: `${services.baseUrl}/${result.location}` };
    }
    return result;
  });
}

function locate(err: unknown, where: string): unknown {
  if (!(err instanceof FhirError) || !where) return err;
  return new FhirError(
    err.status,
    err.issues.map((i) => ({ ...i, expression: i.expression?.length ? i.expression : [where] })),
  );
}
