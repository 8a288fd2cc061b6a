// Parses the relative URL of a FHIR interaction ("Patient/1/_history/2?x=y") into what it asks for.
// Pure. Shared by the HTTP layer and by Bundle entries so both route identically.
import { FhirError, badRequest } from '../errors.ts';

export type Route =
  | { kind: 'system' }
  | { kind: 'system-history' }
  | { kind: 'metadata' }
  | { kind: 'type'; type: string }
  | { kind: 'type-history'; type: string }
  | { kind: 'type-operation'; type: string; operation: string }
  | { kind: 'instance'; type: string; id: string }
  | { kind: 'instance-history'; type: string; id: string }
  | { kind: 'version'; type: string; id: string; version: number }
  | { kind: 'instance-operation'; type: string; id: string; operation: string }
  | { kind: 'search-post'; type: string };

export interface ParsedUrl {
  route: Route;
  query: URLSearchParams;
}

export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE_PATTERN = /^[A-Z][A-Za-z]{1,63}$/;
const OPERATION_PATTERN = /^\$[A-Za-z][A-Za-z0-9-]*$/;

export function checkId(id: string): string {
  if (!ID_PATTERN.test(id)) throw badRequest(`"${id}" is not a valid resource id ([A-Za-z0-9-.]{1,64})`);
  return id;
}

function checkVersion(raw: string): number {
  const n = Number(raw);
  if (!/^[1-9]\d{0,9}$/.test(raw) || !Number.isSafeInteger(n)) {
    throw FhirError.of(404, 'not-found', `"${raw}" is not a version of this server`);
  }
  return n;
}

export function parseRoute(url: string, isResourceType: (name: string) => boolean): ParsedUrl {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/^\/+|\/+$/g, '');
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  let segments: string[];
  try {
    segments = path === '' ? [] : path.split('/').map(decodeURIComponent);
  } catch {
    throw badRequest(`the URL path "${path}" is not validly encoded`);
  }
  const [first, second, third, fourth, ...rest] = segments;
  if (first === undefined) return { route: { kind: 'system' }, query };
  if (first === 'metadata' && segments.length === 1) return { route: { kind: 'metadata' }, query };
  if (first === '_history' && segments.length === 1) return { route: { kind: 'system-history' }, query };
  if (!TYPE_PATTERN.test(first) || !isResourceType(first)) {
    throw FhirError.of(404, 'not-supported', `"${first}" is not a FHIR R4 resource type`);
  }
  const type = first;
  if (rest.length > 0) throw FhirError.of(404, 'not-found', `no FHIR interaction at "${path}"`);
  if (second === undefined) return { route: { kind: 'type', type }, query };
  if (second === '_history' && third === undefined) return { route: { kind: 'type-history', type }, query };
  if (second === '_search' && third === undefined) return { route: { kind: 'search-post', type }, query };
  if (OPERATION_PATTERN.test(second) && third === undefined) {
    return { route: { kind: 'type-operation', type, operation: second.slice(1) }, query };
  }
  const id = checkId(second);
  if (third === undefined) return { route: { kind: 'instance', type, id }, query };
  if (third === '_history' && fourth === undefined)
    return { route: { kind: 'instance-history', type, id }, query };
  if (third === '_history' && fourth !== undefined) {
    return { route: { kind: 'version', type, id, version: checkVersion(fourth) }, query };
  }
  if (OPERATION_PATTERN.test(third) && fourth === undefined) {
    return { route: { kind: 'instance-operation', type, id, operation: third.slice(1) }, query };
  }
  throw FhirError.of(404, 'not-found', `no FHIR interaction at "${path}"`);
}
