// Read-side interactions: read, vread, search, history (instance, type, system) and
// Patient/$everything. Each returns an InteractionResult; none writes.
import type { Queryable } from '../db/database.ts';
import { FhirError, badRequest, notFound } from '../errors.ts';
import { executeSearch } from '../search/execute.ts';
import { parseSearch, MAX_COUNT } from '../search/parse.ts';
import { dateRange } from '@hoso/fhir/search/date-range';
import { readEverything } from '../store/everything.ts';
import { readHistory } from '../store/history.ts';
import type { AccessContext, Resource, StoredVersion } from '../store/model.ts';
import { readCurrent, readVersion } from '../store/read.ts';
import { type BundleLink, historyBundle, searchsetBundle, statusLine, versionedResult } from './bundles.ts';
import type { Route } from './route.ts';
import type { InteractionResult, Services } from './services.ts';

const parse = (content: string) => JSON.parse(content) as Resource;

function pageLinks(
  services: Services,
  path: string,
  query: URLSearchParams,
  next: string | undefined,
): BundleLink[] {
  const self = new URLSearchParams(query);
  const links: BundleLink[] = [{ relation: 'self', url: withQuery(`${services.baseUrl}/${path}`, self) }];
  if (next !== undefined) {
    const following = new URLSearchParams(query);
    following.set('_cursor', next);
    links.push({ relation: 'next', url: withQuery(`${services.baseUrl}/${path}`, following) });
  }
  return links;
}

const withQuery = (url: string, query: URLSearchParams) => (query.size > 0 ? `${url}?${query}` : url);

function resultOf(services: Services, v: StoredVersion): InteractionResult {
  if (v.deleted) {
    throw FhirError.of(410, 'deleted', `${v.type}/${v.id} was deleted (version ${v.version})`);
  }
  return versionedResult(200, services.baseUrl, v.type, v.id, v.version, v.lastUpdated, parse(v.content!));
}

export async function read(services: Services, db: Queryable, ctx: AccessContext, type: string, id: string) {
  const current = await readCurrent({ db, policy: services.policy }, ctx, type, id);
  if (!current) throw notFound(`${type}/${id} is not known`);
  return resultOf(services, current);
}

export async function vread(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  type: string,
  id: string,
  version: number,
) {
  const found = await readVersion({ db, policy: services.policy }, ctx, type, id, version);
  if (!found) throw notFound(`${type}/${id} has no version ${version}`);
  return resultOf(services, found);
}

export async function search(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  type: string,
  query: URLSearchParams,
  strict: boolean,
): Promise<InteractionResult> {
  const request = parseSearch(type, query, services.searchParams, strict);
  const result = await executeSearch(db, services.policy, ctx, request);
  const entries = result.rows.map((r) => ({
    fullUrl: `${services.baseUrl}/${r.type}/${r.id}`,
    resource: parse(r.content),
  }));
  const warnings = request.ignored.map((diagnostics) => ({
    severity: 'warning' as const,
    code: 'not-supported',
    diagnostics: `ignored ${diagnostics}`,
  }));
  const total =
    result.total ?? (request.cursor === undefined && result.next === undefined ? entries.length : undefined);
  return {
    status: 200,
    resource: searchsetBundle(entries, pageLinks(services, type, query, result.next), total, warnings),
  };
}

interface PageControls {
  count: number;
  since: string | undefined;
}

/**
 * Reads `_count` and `_since` (and tolerates `_format`/`_pretty`) for history and $everything;
 * hands every other parameter to `other`, which returns false for one it does not accept.
 */
function pageControls(
  query: URLSearchParams,
  what: string,
  other: (name: string, value: string) => boolean,
): PageControls {
  const controls: PageControls = { count: MAX_COUNT, since: undefined };
  for (const [name, value] of query) {
    if (name === '_count') {
      if (!/^\d{1,9}$/.test(value)) throw badRequest(`_count must be a non-negative integer, got "${value}"`);
      controls.count = Math.min(Number(value), MAX_COUNT);
    } else if (name === '_since') {
      const range = value.includes('T') ? dateRange(value) : undefined;
      if (!range) throw badRequest(`_since must be an instant, got "${value}"`);
      controls.since = range.start;
    } else if (name !== '_format' && name !== '_pretty' && !other(name, value)) {
      throw badRequest(`${what} does not support the parameter "${name}"`);
    }
  }
  return controls;
}

function historyControls(query: URLSearchParams) {
  let before: number | undefined;
  const controls = pageControls(query, 'history', (name, value) => {
    if (name !== '_cursor') return false;
    if (!/^\d{1,18}$/.test(value)) throw badRequest('_cursor is not a cursor this server issued');
    before = Number(value);
    return true;
  });
  return { ...controls, before };
}

export async function history(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  route: Extract<Route, { kind: 'system-history' | 'type-history' | 'instance-history' }>,
  query: URLSearchParams,
): Promise<InteractionResult> {
  const { count, since, before } = historyControls(query);
  const type = route.kind === 'system-history' ? undefined : route.type;
  const id = route.kind === 'instance-history' ? route.id : undefined;
  const page = await readHistory(db, services.policy, ctx, {
    ...(type ? { type } : {}),
    ...(id ? { id } : {}),
    ...(since ? { since } : {}),
    ...(before !== undefined ? { before } : {}),
    count,
  });
  if (id && type && page.versions.length === 0 && before === undefined && since === undefined) {
    throw notFound(`${type}/${id} is not known`);
  }
  const path = [type, id, '_history'].filter(Boolean).join('/');
  const entries = page.versions.map((v) => ({
    fullUrl: `${services.baseUrl}/${v.type}/${v.id}`,
    ...(v.content ? { resource: parse(v.content) } : {}),
    method: v.method === 'create' ? 'POST' : v.method === 'delete' ? 'DELETE' : 'PUT',
    url: v.method === 'create' ? v.type : `${v.type}/${v.id}`,
    status: statusLine(v.method === 'create' ? 201 : v.method === 'delete' ? 204 : 200),
    etag: `W/"${v.version}"`,
    lastModified: v.lastUpdated,
  }));
  const next = page.nextBefore !== undefined ? String(page.nextBefore) : undefined;
  return { status: 200, resource: historyBundle(entries, pageLinks(services, path, query, next)) };
}

function everythingControls(services: Services, query: URLSearchParams) {
  let types: string[] | undefined;
  let after: { type: string; id: string } | undefined;
  const controls = pageControls(query, '$everything', (name, value) => {
    if (name === '_type') {
      types = value.split(',');
      const unknown = types.filter((t) => !services.isResourceType(t));
      if (unknown.length) throw badRequest(`_type names unknown resource types: ${unknown.join(', ')}`);
      return true;
    }
    if (name !== '_cursor') return false;
    const [type, id] = value.split('/');
    if (!type || !id) throw badRequest('_cursor is not a cursor this server issued');
    after = { type, id };
    return true;
  });
  return { ...controls, types, after };
}

export async function everything(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  patientId: string,
  query: URLSearchParams,
): Promise<InteractionResult> {
  await read(services, db, ctx, 'Patient', patientId);
  const { count, since, types, after } = everythingControls(services, query);
  const page = await readEverything(db, services.policy, ctx, {
    patientIds: [patientId],
    count,
    ...(since ? { since } : {}),
    ...(types ? { types } : {}),
    ...(after ? { after } : {}),
  });
  const last = page.rows.at(-1);
  const next = page.more && last ? `${last.type}/${last.id}` : undefined;
  const entries = page.rows.map((r) => ({
    fullUrl: `${services.baseUrl}/${r.type}/${r.id}`,
    resource: parse(r.content),
  }));
  const total = after === undefined && !page.more ? entries.length : undefined;
  const links = pageLinks(services, `Patient/${patientId}/$everything`, query, next);
  return { status: 200, resource: searchsetBundle(entries, links, total, []) };
}
