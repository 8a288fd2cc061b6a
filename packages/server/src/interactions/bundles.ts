// Builds the Bundles the API returns (searchset, history, batch/transaction responses) and the
// per-resource response metadata (ETag, Location, Last-Modified). Pure.
import { operationOutcome } from '../errors.ts';
import type { Issue } from '../errors.ts';
import type { Resource } from '../store/model.ts';
import type { InteractionResult } from './services.ts';

export const etagOf = (version: number) => `W/"${version}"`;

export function versionedResult(
  status: number,
  baseUrl: string,
  type: string,
  id: string,
  version: number,
  lastUpdated: string,
  resource?: Resource,
): InteractionResult {
  return {
    status,
    ...(resource ? { resource } : {}),
    location: `${baseUrl}/${type}/${id}/_history/${version}`,
    etag: etagOf(version),
    lastModified: lastUpdated,
  };
}

export interface BundleLink {
  relation: string;
  url: string;
}

export function searchsetBundle(
  entries: { fullUrl: string; resource: Resource; mode?: 'match' | 'include' }[],
  links: BundleLink[],
  total: number | undefined,
  warnings: Issue[],
): Resource {
  const outcome = warnings.length
    ? [{ resource: operationOutcome(warnings), search: { mode: 'outcome' } }]
    : [];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total !== undefined ? { total } : {}),
    link: links,
    entry: [...entries.map(({ mode, ...e }) => ({ ...e, search: { mode: mode ?? 'match' } })), ...outcome],
  };
}

export interface HistoryEntry {
  fullUrl: string;
  resource?: Resource;
  method: string;
  url: string;
  status: string;
  etag: string;
  lastModified: string;
}

export function historyBundle(entries: HistoryEntry[], links: BundleLink[]): Resource {
  return {
    resourceType: 'Bundle',
    type: 'history',
    link: links,
    entry: entries.map((e) => ({
      fullUrl: e.fullUrl,
      ...(e.resource ? { resource: e.resource } : {}),
      request: { method: e.method, url: e.url },
      response: { status: e.status, etag: e.etag, lastModified: e.lastModified },
    })),
  };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  422: 'Unprocessable Entity',
};

export const statusLine = (status: number) =>
  `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;

export function responseEntry(result: InteractionResult, outcome?: Resource): Record<string, unknown> {
  const resource = result.resource ?? outcome;
  return {
    ...(result.resource && result.location
      ? { fullUrl: result.location.replace(/\/_history\/.*$/, '') }
      : {}),
    ...(resource ? { resource } : {}),
    response: {
      status: statusLine(result.status),
      ...(result.location ? { location: result.location } : {}),
      ...(result.etag ? { etag: result.etag } : {}),
      ...(result.lastModified ? { lastModified: result.lastModified } : {}),
      ...(outcome && result.resource ? { outcome } : {}),
    },
  };
}
