// Parses an AuditEvent search (`patient`, `date`, `_count`, `_sort`, `_cursor`, `_format`) into a
// request, and the keyset cursor of its pages. Pure; malformed values are a 400, unknown
// parameters are reported (or a 400 under strict handling). Never decides who may see what.
import { dateRange } from '@hoso/fhir/search/date-range';
import { FhirError, badRequest } from '../errors.ts';

export type DateComparison = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb';

export interface DateFilter {
  prefix: DateComparison;
  /** Inclusive UTC bounds of the value's precision (ISO instants). */
  start: string;
  end: string;
}

export interface PageCursor {
  recorded: string;
  id: string;
}

export interface AuditSearch {
  /** Facility Patient ids asked for (every `patient` parameter intersected); undefined: not asked. */
  patients: string[] | undefined;
  dates: DateFilter[];
  count: number;
  descending: boolean;
  cursor: PageCursor | undefined;
  /** Parameters ignored, for the OperationOutcome entry. */
  ignored: string[];
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;
const KNOWN = new Set(['patient', 'date', '_count', '_sort', '_cursor', '_format']);
const DATE_PREFIXES = new Set<string>(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb']);

export function parseAuditSearch(query: URLSearchParams, strict: boolean): AuditSearch {
  const search: AuditSearch = {
    patients: undefined,
    dates: [],
    count: DEFAULT_COUNT,
    descending: true,
    cursor: undefined,
    ignored: [],
  };
  for (const [name, value] of query) {
    if (!KNOWN.has(name)) {
      if (strict || name.startsWith('patient:') || name.startsWith('date:')) {
        throw badRequest(`unknown or unsupported AuditEvent search parameter "${name}"`);
      }
      search.ignored.push(`parameter "${name}": AuditEvent supports patient, date, _count, _sort`);
      continue;
    }
    if (name === 'patient') {
      const ids = value.split(',').map(patientId);
      search.patients = search.patients ? search.patients.filter((p) => ids.includes(p)) : ids;
    } else if (name === 'date') search.dates.push(dateFilter(value));
    else if (name === '_count') search.count = count(value);
    else if (name === '_sort') search.descending = sortDescending(value);
    else if (name === '_format' && !/json/.test(value)) {
      throw FhirError.of(
        406,
        'not-supported',
        `_format=${value} is not supported; this server speaks JSON only`,
      );
    }
  }
  const cursor = query.get('_cursor');
  if (cursor !== null) search.cursor = decodeCursor(cursor, search.descending);
  return search;
}

function patientId(value: string): string {
  const id = value.startsWith('Patient/') ? value.slice('Patient/'.length) : value;
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
    throw badRequest(`patient: "${value}" is not a Patient reference (Patient/{id} or {id})`, [
      'AuditEvent.entity.what',
    ]);
  }
  return id;
}

function dateFilter(value: string): DateFilter {
  const prefix = /^[a-z]{2}/.test(value) ? value.slice(0, 2) : 'eq';
  const text = /^[a-z]{2}/.test(value) ? value.slice(2) : value;
  if (!DATE_PREFIXES.has(prefix)) throw badRequest(`date: the prefix "${prefix}" is not supported`);
  const range = dateRange(text);
  if (!range || /^(0000|-)/.test(range.start)) {
    throw badRequest(`date: "${value}" is not a valid date search value`, ['AuditEvent.recorded']);
  }
  return { prefix: prefix as DateComparison, start: range.start, end: range.end };
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > MAX_COUNT) {
    throw badRequest(`_count must be an integer from 0 to ${MAX_COUNT}, got "${value}"`);
  }
  return n;
}

function sortDescending(value: string): boolean {
  if (value === '-date') return true;
  if (value === 'date') return false;
  throw badRequest(`_sort: AuditEvent sorts by date or -date only, got "${value}"`);
}

export function encodeCursor(cursor: PageCursor, descending: boolean): string {
  return Buffer.from(JSON.stringify({ ...cursor, descending })).toString('base64url');
}

/** A `Date#toISOString` value (so PostgreSQL accepts it too): 2026-11-22T01:40:00.000Z */
const isInstant = (text: string) => {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && /^\d{4}-/.test(text) && new Date(ms).toISOString() === text;
};

function decodeCursor(token: string, descending: boolean): PageCursor {
  let parsed: { recorded?: unknown; id?: unknown; descending?: unknown } | undefined;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    // reported below
  }
  if (
    typeof parsed?.recorded !== 'string' ||
    !isInstant(parsed.recorded) ||
    typeof parsed.id !== 'string' ||
    typeof parsed.descending !== 'boolean'
  ) {
    throw badRequest('_cursor is not a cursor this server issued');
  }
  if (parsed.descending !== descending) throw badRequest('_cursor was issued for another _sort');
  return { recorded: parsed.recorded, id: parsed.id };
}
