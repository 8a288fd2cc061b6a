// Parses a FHIR search query string into a SearchRequest: parameter definitions, modifiers,
// OR-lists and paging controls. Pure. Unknown parameters are collected as ignored, or rejected when
// `strict` (Prefer: handling=strict, and always for conditional operations).
import { badRequest } from '../errors.ts';
import {
  type Criterion,
  SUPPORTED_SEARCH_TYPES,
  type SearchParamDef,
  type SearchParamRegistry,
  type SearchRequest,
  type SortKey,
} from './model.ts';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;

const SPECIAL: Record<string, SearchParamDef> = {
  _id: { code: '_id', type: 'token' },
  _lastUpdated: { code: '_lastUpdated', type: 'date' },
};

/** Result-shaping parameters that never filter and are accepted (possibly without effect). */
const NEUTRAL = new Set(['_format', '_pretty']);

const MODIFIERS: Record<string, readonly string[]> = {
  string: ['exact', 'contains', 'missing'],
  token: ['missing', 'not', 'text'],
  reference: ['missing', 'identifier'],
  uri: ['missing', 'below'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
};

/** Splits a parameter value on unescaped commas and removes the `\` escapes. */
export function splitValues(value: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      current += value[++i];
    } else if (ch === ',') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

function parseCount(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n))
    throw badRequest(`_count must be a non-negative integer, got "${raw}"`);
  return Math.min(n, MAX_COUNT);
}

function parseSort(raw: string): SortKey[] {
  return raw.split(',').map((key) => {
    const descending = key.startsWith('-');
    const param = descending ? key.slice(1) : key;
    if (param !== '_id' && param !== '_lastUpdated') {
      throw badRequest(`_sort by "${param}" is not supported; supported: _id, _lastUpdated`);
    }
    return { param, descending };
  });
}

function parseTotal(raw: string): SearchRequest['total'] {
  if (raw === 'none' || raw === 'estimate' || raw === 'accurate') return raw;
  throw badRequest(`_total must be none, estimate or accurate, got "${raw}"`);
}

export function parseSearch(
  type: string,
  query: URLSearchParams,
  registry: SearchParamRegistry,
  strict: boolean,
): SearchRequest {
  const request: SearchRequest = {
    type,
    criteria: [],
    count: DEFAULT_COUNT,
    sort: [{ param: '_id', descending: false }],
    cursor: undefined,
    total: 'none',
    summaryCount: false,
    ignored: [],
  };
  const ignore = (name: string, why: string) => {
    if (strict) throw badRequest(`search parameter "${name}" ${why}`);
    request.ignored.push(`${name}: ${why}`);
  };
  for (const [name, value] of query) {
    if (NEUTRAL.has(name)) continue;
    if (name === '_count') request.count = parseCount(value);
    else if (name === '_sort') request.sort = parseSort(value);
    else if (name === '_total') request.total = parseTotal(value);
    else if (name === '_cursor') request.cursor = value;
    else if (name === '_summary') {
      if (value !== 'count') ignore(name, `value "${value}" is not supported (only count)`);
      else request.summaryCount = true;
    } else {
      const [code = '', modifier] = name.split(':', 2);
      if (code.includes('.') || code === '_has') {
        ignore(name, 'chained and reverse-chained parameters are not supported yet');
        continue;
      }
      const def = SPECIAL[code] ?? registry.get(type, code);
      if (!def) {
        ignore(name, `is not a known search parameter of ${type}`);
        continue;
      }
      if (!SUPPORTED_SEARCH_TYPES.has(def.type)) {
        ignore(name, `is a ${def.type} parameter, which is not supported yet`);
        continue;
      }
      if (modifier !== undefined && !isKnownModifier(def, modifier)) {
        throw badRequest(`modifier ":${modifier}" is not supported for ${def.type} parameter "${code}"`);
      }
      if (value === '') throw badRequest(`search parameter "${name}" has an empty value`);
      const criterion: Criterion = { name, code, modifier, def, values: splitValues(value) };
      request.criteria.push(criterion);
    }
  }
  return request;
}

function isKnownModifier(def: SearchParamDef, modifier: string): boolean {
  if (def.type === 'reference' && /^[A-Z][A-Za-z]+$/.test(modifier)) return true;
  return MODIFIERS[def.type]?.includes(modifier) ?? false;
}
