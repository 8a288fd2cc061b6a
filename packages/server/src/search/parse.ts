// Parses a FHIR search query string into a SearchRequest: parameter definitions, modifiers,
// chains and reverse chains, OR-lists and the result controls. Pure. Unknown or unsupported
// parameters are collected as ignored, or rejected when `strict` (Prefer: handling=strict, and
// always for conditional operations); malformed values and unknown modifiers are always a 400.
import { getValueSet, isResourceType } from '@hoso/fhir/definitions';
import { badRequest } from '../errors.ts';
import {
  type Filter,
  type Include,
  MODIFIERS,
  type SearchParamDef,
  type SearchParamRegistry,
  type SearchRequest,
  type SortKey,
  type Summary,
  SUPPORTED_SEARCH_TYPES,
  SUPPORTED_SPECIAL,
} from './model.ts';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;
/** Deepest chain or `_has` nesting accepted. */
export const MAX_CHAIN_DEPTH = 4;

/** Result-shaping parameters that never filter and are accepted (possibly without effect). */
const NEUTRAL = new Set(['_format', '_pretty']);

/** Thrown for a parameter that is well-formed but unknown or unsupported (ignored when lenient). */
class Unsupported extends Error {}

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

function parseSort(type: string, raw: string, registry: SearchParamRegistry): SortKey[] {
  return raw.split(',').map((key) => {
    const descending = key.startsWith('-');
    const param = descending ? key.slice(1) : key;
    const def = registry.get(type, param);
    if (!def || def.type === 'composite' || def.type === 'special') {
      throw badRequest(`_sort by "${param}": not a sortable search parameter of ${type}`);
    }
    return { param, def, descending };
  });
}

function parseTotal(raw: string): SearchRequest['total'] {
  if (raw === 'none' || raw === 'estimate' || raw === 'accurate') return raw;
  throw badRequest(`_total must be none, estimate or accurate, got "${raw}"`);
}

function parseSummary(raw: string): Summary {
  if (['true', 'false', 'text', 'data', 'count'].includes(raw)) return raw as Summary;
  throw badRequest(`_summary must be true, false, text, data or count, got "${raw}"`);
}

function parseInclude(
  name: string,
  raw: string,
  reverse: boolean,
  type: string,
  registry: SearchParamRegistry,
): Include {
  const [, modifier] = name.split(':', 2);
  if (modifier !== undefined && modifier !== 'iterate' && modifier !== 'recurse') {
    throw badRequest(`${name}: unknown modifier ":${modifier}" (only :iterate)`);
  }
  const iterate = modifier !== undefined;
  if (raw === '*') return { source: reverse ? '*' : type, param: '*', target: undefined, iterate };
  const [source = '', param = '', target, extra] = raw.split(':');
  if (!isResourceType(source) || extra !== undefined || (target !== undefined && !isResourceType(target))) {
    throw badRequest(`${name}: "${raw}" is not source-type:parameter[:target-type]`);
  }
  if (!iterate && !reverse && source !== type) {
    throw badRequest(`${name}: "${raw}" must start with ${type} (or use ${name}:iterate)`);
  }
  if (param !== '*' && registry.get(source, param)?.type !== 'reference') {
    throw badRequest(`${name}: "${param}" is not a reference parameter of ${source}`);
  }
  return { source, param, target, iterate };
}

function checkModifier(def: SearchParamDef, modifier: string | undefined, name: string): void {
  if (modifier === undefined) return;
  if (def.type === 'reference' && isResourceType(modifier)) return;
  if (MODIFIERS[def.type]?.includes(modifier)) return;
  throw badRequest(
    `modifier ":${modifier}" is not supported for ${def.type} parameter "${def.code}" (${name})`,
  );
}

/** Parses `code[:modifier][.chain…]` (or `_has:…`) against `type` into a filter. */
function parseFilter(
  type: string,
  name: string,
  value: string,
  registry: SearchParamRegistry,
  depth: number,
): Filter {
  if (depth > MAX_CHAIN_DEPTH) throw badRequest(`${name}: chains nest at most ${MAX_CHAIN_DEPTH} deep`);
  if (name.startsWith('_has:')) {
    const [, hasType = '', code = '', ...rest] = name.split(':');
    const next = rest.join(':');
    if (!isResourceType(hasType) || !code || !next) {
      throw badRequest(`${name}: _has takes _has:Type:reference-parameter:parameter`);
    }
    if (registry.get(hasType, code)?.type !== 'reference') {
      throw new Unsupported(`"${code}" is not a reference parameter of ${hasType}`);
    }
    return {
      kind: 'has',
      name,
      type: hasType,
      code,
      next: parseFilter(hasType, next, value, registry, depth + 1),
    };
  }
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const [code = '', modifier, extra] = head.split(':');
  if (extra !== undefined) throw badRequest(`${name}: more than one modifier`);
  const def = registry.get(type, code);
  if (!def) throw new Unsupported(`is not a known search parameter of ${type}`);
  if (dot >= 0) {
    if (def.type !== 'reference') throw badRequest(`${name}: only reference parameters can be chained`);
    if (modifier !== undefined && !isResourceType(modifier)) {
      throw badRequest(`${name}: a chained reference takes only a resource type modifier`);
    }
    const rest = name.slice(dot + 1);
    const nextCode = rest.split(/[.:]/, 1)[0]!;
    const candidates = modifier ? [modifier] : registry.typesWith(nextCode);
    const kinds = new Set(candidates.map((t) => registry.get(t, nextCode)?.type));
    if (candidates.length === 0)
      throw new Unsupported(`chain: no resource type has a parameter "${nextCode}"`);
    if (kinds.size > 1) {
      throw badRequest(
        `${name}: "${nextCode}" differs between target types; name one, e.g. ${code}:Patient.${rest}`,
      );
    }
    const next = parseFilter(candidates[0]!, rest, value, registry, depth + 1);
    return { kind: 'chain', name, code, targetTypes: candidates, next };
  }
  if (def.type === 'special' ? !SUPPORTED_SPECIAL.has(code) : !SUPPORTED_SEARCH_TYPES.has(def.type)) {
    throw new Unsupported(`is a ${def.type} parameter, which is not supported`);
  }
  checkModifier(def, modifier, name);
  if (value === '') throw badRequest(`search parameter "${name}" has an empty value`);
  if (value.includes('\0')) throw badRequest(`search parameter "${name}" contains a NUL character`);
  const values = splitValues(value);
  if (modifier === 'in' || modifier === 'not-in') {
    for (const url of values) {
      if (!getValueSet(url)) throw new Unsupported(`value set "${url}" is not known to this server`);
    }
  }
  return { kind: 'param', name, code, modifier, def, values };
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
    sort: [],
    cursor: undefined,
    total: 'none',
    summary: 'false',
    elements: undefined,
    include: [],
    revinclude: [],
    ignored: [],
  };
  const ignore = (name: string, why: string) => {
    if (strict) throw badRequest(`search parameter "${name}" ${why}`);
    request.ignored.push(`${name}: ${why}`);
  };
  for (const [name, value] of query) {
    if (NEUTRAL.has(name)) continue;
    if (name === '_count') request.count = parseCount(value);
    else if (name === '_sort') request.sort = parseSort(type, value, registry);
    else if (name === '_total') request.total = parseTotal(value);
    else if (name === '_cursor') request.cursor = value;
    else if (name === '_summary') request.summary = parseSummary(value);
    else if (name === '_elements') request.elements = value.split(',').filter(Boolean);
    else if (name === '_include' || name.startsWith('_include:')) {
      for (const v of splitValues(value)) request.include.push(parseInclude(name, v, false, type, registry));
    } else if (name === '_revinclude' || name.startsWith('_revinclude:')) {
      for (const v of splitValues(value))
        request.revinclude.push(parseInclude(name, v, true, type, registry));
    } else {
      try {
        request.criteria.push(parseFilter(type, name, value, registry, 0));
      } catch (err) {
        if (!(err instanceof Unsupported)) throw err;
        ignore(name, err.message);
      }
    }
  }
  return request;
}
