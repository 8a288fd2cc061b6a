// Read-side interactions: read, vread, search, history (instance, type, system) and
// Patient/$everything. Each returns an InteractionResult; none writes.
import type { Queryable } from '../db/database.ts';
import { FhirError, badRequest, notFound } from '../errors.ts';
import { type SearchRow, executeSearch } from '../search/execute.ts';
import { MAX_INCLUDED } from '../search/include.ts';
import { shape } from '../search/summary.ts';
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
  previous?: string,
): BundleLink[] {
  const link = (relation: string, cursor: string | undefined) => {
    const q = new URLSearchParams(query);
    if (cursor === undefined) q.delete('_cursor');
    else q.set('_cursor', cursor);
    return { relation, url: withQuery(`${services.baseUrl}/${path}`, q) };
  };
  const links: BundleLink[] = [{ relation: 'self', url: withQuery(`${services.baseUrl}/${path}`, query) }];
  if (next !== undefined) links.push(link('next', next));
  if (previous !== undefined) links.push(link('previous', previous));
  return links;
}

const withQuery = (url: string, query: URLSearchParams) => (query.size > 0 ? `${url}?${query}` : url);

const touchedOf = (rows: readonly { type: string; id: string; compartment: string[] }[]) =>
  rows.map((r) => ({ reference: `${r.type}/${r.id}`, patients: r.compartment }));

/** The answer to a read or vread of a stored version: 410 for a deletion marker. */
export function resultOf(
  services: Services,
  v: StoredVersion,
  interaction: 'read' | 'vread',
): InteractionResult {
  if (v.deleted) {
    throw FhirError.of(410, 'deleted', `${v.type}/${v.id} was deleted (version ${v.version})`);
  }
  return {
    ...versionedResult(200, services.baseUrl, v.type, v.id, v.version, v.lastUpdated, parse(v.content!)),
    access: { interaction, touched: touchedOf([v]) },
  };
}

export async function read(services: Services, db: Queryable, ctx: AccessContext, type: string, id: string) {
  const current = await readCurrent({ db, policy: services.policy }, ctx, type, id);
  if (!current) throw notFound(`${type}/${id} is not known`);
  return resultOf(services, current, 'read');
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
  return resultOf(services, found, 'vread');
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
  const result = await executeSearch(
    { db, policy: services.policy, ctx, baseUrl: services.baseUrl },
    request,
  );
  const entry = (mode: 'match' | 'include') => (r: SearchRow) => ({
    fullUrl: `${services.baseUrl}/${r.type}/${r.id}`,
    resource: shape(parse(r.content), request.summary, request.elements),
    mode,
  });
  const entries = [...result.rows.map(entry('match')), ...result.included.rows.map(entry('include'))];
  const warnings = [
    ...request.ignored.map((diagnostics) => `ignored ${diagnostics}`),
    ...(result.included.truncated ? [`only the first ${MAX_INCLUDED} included resources are returned`] : []),
  ].map((diagnostics) => ({ severity: 'warning' as const, code: 'not-supported', diagnostics }));
  const onePage = request.cursor === undefined && result.next === undefined && request.summary !== 'count';
  const total = result.total ?? (onePage && request.count > 0 ? result.rows.length : undefined);
  const links = pageLinks(services, type, query, result.next, result.previous);
  return {
    status: 200,
    resource: searchsetBundle(entries, links, total, warnings),
    access: { interaction: 'search-type', touched: touchedOf([...result.rows, ...result.included.rows]) },
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
  return {
    status: 200,
    resource: historyBundle(entries, pageLinks(services, path, query, next)),
    access: { interaction: 'history', touched: touchedOf(page.versions) },
  };
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
  return everythingOf(services, db, ctx, [patientId], `Patient/${patientId}/$everything`, query);
}

/** $everything over the compartments of several Patient records (one person's records at every facility). */
export async function everythingOf(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  patientIds: string[],
  path: string,
  query: URLSearchParams,
): Promise<InteractionResult> {
  const { count, since, types, after } = everythingControls(services, query);
  const page = await readEverything(db, services.policy, ctx, {
    patientIds,
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
  const links = pageLinks(services, path, query, next);
  return {
    status: 200,
    resource: searchsetBundle(entries, links, total, []),
    access: { interaction: 'operation', touched: touchedOf(page.rows), patients: patientIds },
  };
}
