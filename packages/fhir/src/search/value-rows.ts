// Converts one typed FHIR value (a HumanName, a CodeableConcept, a Period, …) into the index rows of
// a parameter type, following index-rows.ts. Strings are stored NFC with canonical tone marks and
// folded for search (@hoso/vn/text); dates become inclusive UTC ranges (date-range.ts); decimals keep
// their text. Pure: no I/O, no SQL, no lookups; values of types a parameter type cannot index
// (e.g. SampledData for quantity, Attachment for reference) yield nothing.

import { foldText, normalizeText } from '@hoso/vn/text';
import type { TypedValue, ValueParameterType } from './compile.ts';
import { dateRange } from './date-range.ts';
import type { DateRow, IndexRows, QuantityRow, TokenRow } from './index-rows.ts';
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
const folded = (v: unknown): string | null => {
  const s = str(v);
  return s === undefined ? null : foldText(s);
};

/** A JSON number (or a decimal kept as text) as plain decimal text, without exponent notation. */
export function decimalText(v: unknown): string | undefined {
  if (typeof v === 'string') return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(v) ? v : undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const text = String(v);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, int, frac = '', exp] = m as unknown as [string, string, string, string | undefined, string];
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function stringRows(param: string, v: TypedValue, sink: RowSink): void {
  const add = (s: string | undefined) => {
    if (s !== undefined && s.trim() !== '')
      sink.string.push({ param, exact: normalizeText(s), folded: foldText(s) });
  };
  const o = obj(v.value);
  switch (v.type) {
    case 'HumanName': {
      if (!o) return;
      const given = strs(o['given']);
      const parts = [...strs(o['prefix']), str(o['family']), ...given, ...strs(o['suffix'])];
      for (const p of parts) add(p);
      if (given.length > 1) add(given.join(' '));
      add(str(o['text']));
      // The full name in Vietnamese order (family, middle, given), for prefix search on the whole name.
      if (parts.filter(Boolean).length > 1) add(parts.filter(Boolean).join(' '));
      return;
    }
    case 'Address':
      if (!o) return;
      for (const p of strs(o['line'])) add(p);
      for (const k of ['city', 'district', 'state', 'postalCode', 'country', 'text']) add(str(o[k]));
      return;
    default:
      add(str(v.value));
  }
}

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

function tokenRows(param: string, v: TypedValue, sink: RowSink): void {
  const push = (row: Omit<TokenRow, 'param'>) => {
    if (row.system !== null || row.code !== null || row.text !== null) sink.token.push({ param, ...row });
  };
  const o = obj(v.value);
  switch (v.type) {
    case 'Coding':
      if (o)
        push({ system: str(o['system']) ?? null, code: str(o['code']) ?? null, text: folded(o['display']) });
      return;
    case 'CodeableConcept': {
      if (!o) return;
      const codings = objs(o['coding']);
      const text = folded(o['text']);
      for (const c of codings) {
        push({
          system: str(c['system']) ?? null,
          code: str(c['code']) ?? null,
          text: text ?? folded(c['display']),
        });
      }
      if (codings.length === 0) push({ system: null, code: null, text });
      return;
    }
    case 'Identifier':
      if (o) identifierTokens(param, o, sink);
      return;
    case 'ContactPoint':
      if (o) push({ system: null, code: str(o['value']) ?? null, text: null });
      return;
    case 'boolean':
      if (typeof v.value === 'boolean') push({ system: null, code: String(v.value), text: null });
      return;
    default:
      push({ system: null, code: str(v.value) ?? null, text: null });
  }
}

function rangeOf(v: unknown): DateRow | undefined {
  const s = str(v);
  const r = s === undefined ? undefined : dateRange(s);
  return r ? { param: '', start: r.start, end: r.end } : undefined;
}

function periodRow(param: string, o: Obj | undefined): DateRow | undefined {
  const start = rangeOf(o?.['start'])?.start ?? null;
  const end = rangeOf(o?.['end'])?.end ?? null;
  return start === null && end === null ? undefined : { param, start, end };
}

function dateRows(param: string, v: TypedValue, sink: RowSink): void {
  let row: DateRow | undefined;
  switch (v.type) {
    case 'date':
    case 'dateTime':
    case 'instant':
      row = rangeOf(v.value);
      break;
    case 'Period':
      row = periodRow(param, obj(v.value));
      break;
    case 'Timing': {
      // From the earliest to the latest event; without events, the repeat bounds period.
      const o = obj(v.value);
      const events = (Array.isArray(o?.['event']) ? (o['event'] as unknown[]) : []).map(rangeOf);
      const ranges = events.filter((r): r is DateRow => r !== undefined);
      if (ranges.length > 0) {
        const starts = ranges.map((r) => r.start as string).sort();
        const ends = ranges.map((r) => r.end as string).sort();
        row = { param, start: starts[0] as string, end: ends[ends.length - 1] as string };
      } else row = periodRow(param, obj(obj(o?.['repeat'])?.['boundsPeriod']));
      break;
    }
  }
  if (row) sink.date.push({ ...row, param });
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
