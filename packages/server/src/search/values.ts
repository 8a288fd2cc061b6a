// Compiles one search value of one parameter type into a SQL condition over the columns of an
// index row, whichever way the row is stored: a typed index table (`x.code`) or one component of a
// composite row (JSON). Pure: builds parameterised SQL, runs nothing; values are bound parameters.
import { patientIdsOf } from '../mpi/person-records.ts';
import { foldText, normalizeText } from '@hoso/vn/text';
import { dateRange } from '@hoso/fhir/search/date-range';
import { getValueSet } from '@hoso/fhir/definitions';
import { type Sql, or, raw, sql } from '../db/sql.ts';
import { badRequest } from '../errors.ts';
import type { SearchParamType } from './model.ts';
import { commensurableUnits } from './units.ts';

/** The columns of an index row: `lo`/`hi` (date), `value`, `system`, `code`, `folded`, … */
export type Columns = (column: string) => Sql;

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Prefix = (typeof PREFIXES)[number];

export function splitPrefix(value: string): [Prefix, string] {
  const head = value.slice(0, 2);
  if ((PREFIXES as readonly string[]).includes(head)) return [head as Prefix, value.slice(2)];
  return ['eq', value];
}

/**
 * FHIR range comparison of a stored range [lo, hi] with a searched range [start, end] (both
 * inclusive): eq = the search range contains the stored one; gt/lt = the stored range reaches past
 * the search range; ge/le = gt/lt or eq; sa/eb = entirely after/before; ap = they overlap.
 */
export function rangeCondition(lo: Sql, hi: Sql, prefix: Prefix, start: Sql, end: Sql): Sql {
  const eq = sql`(${lo} >= ${start} AND ${hi} <= ${end})`;
  switch (prefix) {
    case 'eq':
      return eq;
    case 'ne':
      return sql`NOT ${eq}`;
    case 'gt':
      return sql`${hi} > ${end}`;
    case 'lt':
      return sql`${lo} < ${start}`;
    case 'ge':
      return sql`(${hi} > ${end} OR ${eq})`;
    case 'le':
      return sql`(${lo} < ${start} OR ${eq})`;
    case 'sa':
      return sql`${lo} > ${end}`;
    case 'eb':
      return sql`${hi} < ${start}`;
    case 'ap':
      return sql`(${lo} <= ${end} AND ${hi} >= ${start})`;
  }
}

export function dateValue(name: string, col: Columns, value: string): Sql {
  const [prefix, text] = splitPrefix(value);
  const range = dateRange(text);
  if (!range) throw badRequest(`${name}: "${value}" is not a valid date search value`);
  // Year 0 and before are outside PostgreSQL's timestamptz: they are the open beginning of time.
  const bound = (instant: string) => (/^(0000|-)/.test(instant) ? '-infinity' : instant);
  const start = sql`${bound(range.start)}::timestamptz`;
  const end = sql`${bound(range.end)}::timestamptz`;
  return rangeCondition(col('lo'), col('hi'), prefix, start, end);
}

export function stringValue(col: Columns, value: string, modifier: string | undefined): Sql {
  if (modifier === 'exact') return sql`${col('exact')} = ${normalizeText(value)}`;
  const folded = escapeLike(foldText(value));
  return sql`${col('folded')} LIKE ${modifier === 'contains' ? `%${folded}%` : `${folded}%`}`;
}

/** `system|code`, `|code` (no system), `system|` (any code of the system) or `code`. */
export function tokenValue(col: Columns, value: string): Sql {
  const bar = value.indexOf('|');
  if (bar < 0) return sql`${col('code')} = ${value}`;
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  if (system === '') return sql`(${col('system')} IS NULL AND ${col('code')} = ${code})`;
  if (code === '') return sql`${col('system')} = ${system}`;
  return sql`(${col('system')} = ${system} AND ${col('code')} = ${code})`;
}

export function tokenModified(name: string, col: Columns, value: string, modifier: string | undefined): Sql {
  switch (modifier) {
    case 'text': {
      const folded = escapeLike(foldText(value));
      return sql`(${col('text')} LIKE ${`${folded}%`} OR ${col('text')} LIKE ${`% ${folded}%`})`;
    }
    case 'of-type': {
      const parts = value.split('|');
      if (parts.length !== 3 || parts.some((p) => p === '')) {
        throw badRequest(`${name}: "${value}" is not type-system|type-code|value`);
      }
      const [system, code, identifier] = parts as [string, string, string];
      return sql`(${col('type_system')} = ${system} AND ${col('type_code')} = ${code} AND ${col('code')} = ${identifier})`;
    }
    case 'in':
    case 'not-in': {
      // A `code` element's rows carry no system: its value set's system is implied.
      const vs = getValueSet(value);
      if (!vs) throw badRequest(`${name}: value set "${value}" is not known`);
      return or(
        [...vs.bySystem].map(([system, codes]) =>
          system === ''
            ? sql`${col('code')} = ANY(${[...codes]}::text[])`
            : sql`((${col('system')} = ${system} OR ${col('system')} IS NULL) AND ${col('code')} = ANY(${[...codes]}::text[]))`,
        ),
      );
    }
    default:
      return tokenValue(col, value);
  }
}

const DECIMAL = /^([+-]?(?:\d+(?:\.(\d*))?|\.(\d+)))(?:[eE]([+-]?\d+))?$/;

/** Half the unit of the last significant digit of a decimal text: "100" → 0.5, "1.50" → 0.005. */
function halfUnit(number: string): string {
  const m = DECIMAL.exec(number)!;
  const decimals = (m[2] ?? m[3] ?? '').length - Number(m[4] ?? 0);
  return `5e${-(decimals + 1)}`;
}

/** A number compared per FHIR: eq/ne/ap use the range the value's precision implies. */
function numberCondition(value: Sql, prefix: Prefix, number: Sql, half: Sql): Sql {
  const lo = sql`(${number} - ${half})`;
  const hi = sql`(${number} + ${half})`;
  switch (prefix) {
    case 'eq':
      return sql`(${value} >= ${lo} AND ${value} < ${hi})`;
    case 'ne':
      return sql`NOT (${value} >= ${lo} AND ${value} < ${hi})`;
    case 'ap':
      return sql`(${value} >= ${number} - abs(${number}) * 0.1 - ${half} AND ${value} <= ${number} + abs(${number}) * 0.1 + ${half})`;
    case 'gt':
    case 'sa':
      return sql`${value} > ${number}`;
    case 'lt':
    case 'eb':
      return sql`${value} < ${number}`;
    case 'ge':
      return sql`${value} >= ${number}`;
    case 'le':
      return sql`${value} <= ${number}`;
  }
}

/** `[prefix]number` or `[prefix]number|system|code` → prefix, number, and system|code or ''. */
function parseNumber(name: string, value: string): [Prefix, string, string] {
  const [prefix, rest] = splitPrefix(value);
  const [number = '', ...unit] = rest.split('|');
  const exponent = Math.abs(Number(DECIMAL.exec(number)?.[4] ?? 0));
  if (
    !DECIMAL.test(number) ||
    number.length > 64 ||
    exponent > 300 ||
    (unit.length !== 0 && unit.length !== 2)
  ) {
    throw badRequest(`${name}: "${value}" is not a valid number or quantity search value`);
  }
  return [prefix, number, unit.join('|')];
}

export function numberValue(name: string, col: Columns, value: string): Sql {
  const [prefix, number, unit] = parseNumber(name, value);
  if (unit !== '') throw badRequest(`${name}: "${value}" is not a valid number`);
  return numberCondition(col('value'), prefix, sql`${number}::numeric`, sql`${halfUnit(number)}::numeric`);
}

/**
 * `[prefix]value[|system|code]`. With a UCUM code this server knows, values stored in any
 * commensurable UCUM unit match too (the searched value is converted, so the index stays usable).
 */
export function quantityValue(name: string, col: Columns, value: string): Sql {
  const [prefix, number, unit] = parseNumber(name, value);
  const num = sql`${number}::numeric`;
  const half = sql`${halfUnit(number)}::numeric`;
  if (unit === '') return numberCondition(col('value'), prefix, num, half);
  const [system = '', code = ''] = unit.split('|');
  const sys = system ? sql` AND ${col('system')} = ${system}` : raw('');
  const same = sql`(${numberCondition(col('value'), prefix, num, half)} AND (${col('code')} = ${code} OR (${col('code')} IS NULL AND ${col('unit')} = ${code}))${sys})`;
  const converted = commensurableUnits(system, code).map(({ code: other, from, to }) => {
    const ratio = sql`(${from}::numeric / ${to}::numeric)`;
    const scaled = sql`(${num} * ${ratio})`;
    const scaledHalf = sql`(${half} * ${ratio})`;
    return sql`(${numberCondition(col('value'), prefix, scaled, scaledHalf)} AND ${col('code')} = ${other}${sys})`;
  });
  return or([same, ...converted]);
}

export function uriValue(col: Columns, value: string, modifier: string | undefined): Sql {
  if (modifier === 'below') return sql`${col('value')} LIKE ${`${escapeLike(value)}%`}`;
  if (modifier === 'above')
    return sql`${value} LIKE replace(replace(replace(${col('value')}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
  return sql`${col('value')} = ${value}`;
}

const LOCAL_REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * `Type/id`, `id` (with the `:Type` modifier or any type), or an absolute URL (ours resolves locally).
 * A Patient id that is a person (golden Patient) stands for every facility record linked to it.
 */
export function referenceValue(
  name: string,
  col: Columns,
  value: string,
  type: string | undefined,
  baseUrl: string,
): Sql {
  const local = (t: string, id: string) => {
    if (type && t !== type) throw badRequest(`${name}: "${value}" is not a ${type} reference`);
    return t === 'Patient'
      ? sql`(${col('target_type')} = 'Patient' AND ${col('target_id')} IN (${patientIdsOf(id)}))`
      : sql`(${col('target_type')} = ${t} AND ${col('target_id')} = ${id})`;
  };
  const typed = LOCAL_REFERENCE.exec(value);
  if (typed) return local(typed[1]!, typed[2]!);
  if (ID.test(value)) {
    return type ? local(type, value) : sql`${col('target_id')} IN (${patientIdsOf(value)})`;
  }
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) {
    const ours = value.startsWith(`${baseUrl}/`)
      ? LOCAL_REFERENCE.exec(value.slice(baseUrl.length + 1))
      : null;
    return ours
      ? or([local(ours[1]!, ours[2]!), sql`${col('url')} = ${value}`])
      : sql`${col('url')} = ${value}`;
  }
  throw badRequest(`${name}: "${value}" is not a reference (Type/id, id or an absolute URL)`);
}

/** One value of a non-composite parameter type (composite components take no modifiers). */
export function componentValue(
  name: string,
  type: SearchParamType,
  col: Columns,
  value: string,
  baseUrl: string,
): Sql {
  switch (type) {
    case 'string':
      return stringValue(col, value, undefined);
    case 'token':
      return tokenValue(col, value);
    case 'date':
      return dateValue(name, col, value);
    case 'number':
      return numberValue(name, col, value);
    case 'quantity':
      return quantityValue(name, col, value);
    case 'uri':
      return uriValue(col, value, undefined);
    case 'reference':
      return referenceValue(name, col, value, undefined, baseUrl);
    default:
      throw badRequest(`${name}: a ${type} component cannot be searched`);
  }
}
