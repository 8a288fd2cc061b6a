// Converts one typed FHIR value (a HumanName, a CodeableConcept, a Period, …) into the index rows of
// a parameter type, following index-rows.ts. Strings are stored NFC with canonical tone marks and
// folded for search (@hoso/vn/text); dates become inclusive UTC ranges (date-range.ts); decimals keep
// their text. Pure: no I/O, no SQL, no lookups; values of types a parameter type cannot index
// (e.g. SampledData for quantity, Attachment for reference) yield nothing.

import { foldText, normalizeText } from '@hoso/vn/text';
import type { TypedValue, ValueParameterType } from './compile.ts';
import { dateRange, type InstantRange } from './date-range.ts';
import type { IndexRows, QuantityRow } from './index-rows.ts';
import { parseReference } from './reference.ts';

type Obj = Record<string, unknown>;

/** The row lists a conversion may append to (composites pass a scratch set). */
export type RowSink = Omit<IndexRows, 'composite'>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => str(x) !== undefined) : [];
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const objs = (v: unknown): Obj[] =>
  Array.isArray(v) ? v.map(obj).filter((x): x is Obj => x !== undefined) : [];
/**
 * normalizeText/foldText results for recently seen strings: the same names, places and displays
 * recur across parameters (name, family, phonetic) and resources. Bounded; a memo of pure functions.
 */
const TEXT_CACHE_SIZE = 20_000;
const textCache = new Map<string, [exact: string, folded: string]>();
function texts(s: string): [exact: string, folded: string] {
  let hit = textCache.get(s);
  if (!hit) {
    if (textCache.size >= TEXT_CACHE_SIZE) textCache.clear();
    hit = [normalizeText(s), foldText(s)];
    textCache.set(s, hit);
  }
  return hit;
}
const folded = (v: unknown): string | null => {
  const s = str(v);
  return s === undefined ? null : texts(s)[1];
};

/** A JSON number (or a decimal kept as text) as plain decimal text, without exponent notation. */
export function decimalText(v: unknown): string | undefined {
  if (typeof v === 'string') return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(v) ? v : undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const text = String(v);
  if (!text.includes('e')) return text;
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, int, frac = '', exp] = m as unknown as [string, string, string, string | undefined, string];
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function addString(param: string, s: string | undefined, sink: RowSink): void {
  if (s === undefined || s.trim() === '') return;
  const [exact, fold] = texts(s);
  sink.string.push({ param, exact, folded: fold });
}

function stringRows(param: string, v: TypedValue, sink: RowSink): void {
  const o = obj(v.value);
  switch (v.type) {
    case 'HumanName': {
      if (!o) return;
      const given = strs(o['given']);
      const family = str(o['family']);
      const parts = [
        ...strs(o['prefix']),
        ...(family === undefined ? [] : [family]),
        ...given,
        ...strs(o['suffix']),
      ];
      for (const p of parts) addString(param, p, sink);
      if (given.length > 1) addString(param, given.join(' '), sink);
      addString(param, str(o['text']), sink);
      // The full name in Vietnamese order (family, middle, given), for prefix search on the whole name.
      if (parts.length > 1) addString(param, parts.join(' '), sink);
      return;
    }
    case 'Address':
      if (!o) return;
      for (const p of strs(o['line'])) addString(param, p, sink);
      for (const k of ADDRESS_PARTS) addString(param, str(o[k]), sink);
      return;
    default:
      addString(param, str(v.value), sink);
  }
}

const ADDRESS_PARTS = ['city', 'district', 'state', 'postalCode', 'country', 'text'];

function identifierTokens(param: string, o: Obj, sink: RowSink): void {
  const system = str(o['system']) ?? null;
  const code = str(o['value']) ?? null;
  if (system === null && code === null) return;
  const type = obj(o['type']);
  const codings = objs(type?.['coding']);
  const text = folded(type?.['text']) ?? folded(codings[0]?.['display']);
  if (codings.length === 0) {
    sink.token.push({ param, system, code, text, typeSystem: null, typeCode: null });
    return;
  }
  for (const c of codings) {
    const typeSystem = str(c['system']) ?? null;
    const typeCode = str(c['code']) ?? null;
    sink.token.push({ param, system, code, text, typeSystem, typeCode });
  }
}

function addToken(
  param: string,
  system: string | null,
  code: string | null,
  text: string | null,
  sink: RowSink,
): void {
  if (system !== null || code !== null || text !== null) sink.token.push({ param, system, code, text });
}

function tokenRows(param: string, v: TypedValue, sink: RowSink): void {
  const o = obj(v.value);
  switch (v.type) {
    case 'Coding':
      if (o) addToken(param, str(o['system']) ?? null, str(o['code']) ?? null, folded(o['display']), sink);
      return;
    case 'CodeableConcept': {
      if (!o) return;
      const codings = objs(o['coding']);
      const text = folded(o['text']);
      for (const c of codings) {
        addToken(param, str(c['system']) ?? null, str(c['code']) ?? null, text ?? folded(c['display']), sink);
      }
      if (codings.length === 0) addToken(param, null, null, text, sink);
      return;
    }
    case 'Identifier':
      if (o) identifierTokens(param, o, sink);
      return;
    case 'ContactPoint':
      if (o) addToken(param, null, str(o['value']) ?? null, null, sink);
      return;
    case 'boolean':
      if (typeof v.value === 'boolean') addToken(param, null, String(v.value), null, sink);
      return;
    default:
      addToken(param, v.system ?? null, str(v.value) ?? null, null, sink);
  }
}

function rangeOf(v: unknown): InstantRange | undefined {
  const s = str(v);
  return s === undefined ? undefined : dateRange(s);
}

function addPeriod(param: string, o: Obj | undefined, sink: RowSink): void {
  const start = rangeOf(o?.['start'])?.start ?? null;
  const end = rangeOf(o?.['end'])?.end ?? null;
  if (start !== null || end !== null) sink.date.push({ param, start, end });
}

function dateRows(param: string, v: TypedValue, sink: RowSink): void {
  switch (v.type) {
    case 'date':
    case 'dateTime':
    case 'instant': {
      const r = rangeOf(v.value);
      if (r) sink.date.push({ param, start: r.start, end: r.end });
      return;
    }
    case 'Period':
      addPeriod(param, obj(v.value), sink);
      return;
    case 'Timing': {
      // From the earliest to the latest event; without events, the repeat bounds period.
      const o = obj(v.value);
      const events = Array.isArray(o?.['event']) ? (o['event'] as unknown[]) : [];
      let start: string | undefined;
      let end: string | undefined;
      for (const e of events) {
        const r = rangeOf(e);
        if (!r) continue;
        if (start === undefined || r.start < start) start = r.start;
        if (end === undefined || r.end > end) end = r.end;
      }
      if (start !== undefined && end !== undefined) sink.date.push({ param, start, end });
      else addPeriod(param, obj(obj(o?.['repeat'])?.['boundsPeriod']), sink);
      return;
    }
  }
}

function numberRows(param: string, v: TypedValue, sink: RowSink): void {
  const values =
    v.type === 'Range'
      ? [obj(obj(v.value)?.['low'])?.['value'], obj(obj(v.value)?.['high'])?.['value']]
      : [v.value];
  for (const x of values) {
    const value = decimalText(x);
    if (value !== undefined) sink.number.push({ param, value });
  }
}

function quantityRow(param: string, q: Obj | undefined): QuantityRow | undefined {
  const value = decimalText(q?.['value']);
  if (!q || value === undefined) return undefined;
  return {
    param,
    value,
    system: str(q['system']) ?? null,
    code: str(q['code']) ?? null,
    unit: str(q['unit']) ?? null,
  };
}

function quantityRows(param: string, v: TypedValue, sink: RowSink): void {
  const o = obj(v.value);
  let rows: (QuantityRow | undefined)[];
  switch (v.type) {
    case 'SampledData':
    case 'Ratio':
      return;
    case 'Money': {
      const value = decimalText(o?.['value']);
      if (value === undefined) return;
      rows = [
        { param, value, system: 'urn:iso:std:iso:4217', code: str(o?.['currency']) ?? null, unit: null },
      ];
      break;
    }
    case 'Range':
      // A range is indexed as its two bounds (each a quantity row).
      rows = [quantityRow(param, obj(o?.['low'])), quantityRow(param, obj(o?.['high']))];
      break;
    default:
      rows = [quantityRow(param, o)];
  }
  for (const r of rows) if (r) sink.quantity.push(r);
}

function referenceRows(param: string, v: TypedValue, sink: RowSink): void {
  const o = obj(v.value);
  switch (v.type) {
    case 'Reference': {
      const ref = str(o?.['reference']);
      const parsed = ref === undefined ? undefined : parseReference(ref);
      if (parsed?.kind === 'local') {
        sink.reference.push({ param, targetType: parsed.targetType, targetId: parsed.targetId, url: null });
      } else if (parsed?.kind === 'url')
        sink.reference.push({ param, targetType: null, targetId: null, url: parsed.url });
      const identifier = obj(o?.['identifier']);
      if (identifier) identifierTokens(`${param}:identifier`, identifier, sink);
      return;
    }
    case 'canonical':
    case 'uri':
    case 'url': {
      const url = str(v.value);
      if (url !== undefined) sink.reference.push({ param, targetType: null, targetId: null, url });
      return;
    }
    case 'Resource': {
      // Bundle.entry[0].resource: the embedded resource stands for its own `Type/id`.
      const targetType = str(o?.['resourceType']);
      const targetId = str(o?.['id']);
      if (targetType && targetId) sink.reference.push({ param, targetType, targetId, url: null });
      return;
    }
  }
}

function uriRows(param: string, v: TypedValue, sink: RowSink): void {
  const value = str(v.value);
  if (value !== undefined) sink.uri.push({ param, value });
}

const CONVERTERS: Record<ValueParameterType, (param: string, v: TypedValue, sink: RowSink) => void> = {
  string: stringRows,
  token: tokenRows,
  date: dateRows,
  number: numberRows,
  quantity: quantityRows,
  reference: referenceRows,
  uri: uriRows,
};

/** Appends the rows that `value` contributes to parameter `param` of type `type`. */
export function appendValueRows(
  type: ValueParameterType,
  param: string,
  value: TypedValue,
  sink: RowSink,
): void {
  CONVERTERS[type](param, value, sink);
}
