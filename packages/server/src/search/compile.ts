// Compiles parsed search criteria into SQL conditions over the `resource` table (alias `r`),
// as EXISTS probes into the typed index tables. Pure: builds parameterised SQL, runs nothing.
import { foldText, normalizeText } from '@hoso/vn/text';
import { type Sql, and, or, raw, sql } from '../db/sql.ts';
import { badRequest } from '../errors.ts';
import { type InstantRange, dateRange } from '@hoso/fhir/search/date-range';
import type { Criterion } from './model.ts';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function exists(table: string, criterion: Criterion, condition: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM ${raw(table)} x WHERE x.type = r.type AND x.id = r.id AND x.param = ${criterion.code} AND ${condition})`;
}

function missing(table: string, criterion: Criterion, value: string): Sql {
  if (value !== 'true' && value !== 'false') throw badRequest(`${criterion.name} must be true or false`);
  const present = sql`EXISTS (SELECT 1 FROM ${raw(table)} x WHERE x.type = r.type AND x.id = r.id AND x.param = ${criterion.code})`;
  return value === 'true' ? sql`NOT ${present}` : present;
}

function tokenValue(value: string): Sql {
  const bar = value.indexOf('|');
  if (bar < 0) return sql`x.code = ${value}`;
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  if (system === '') return sql`(x.system IS NULL AND x.code = ${code})`;
  if (code === '') return sql`x.system = ${system}`;
  return sql`(x.system = ${system} AND x.code = ${code})`;
}

function token(c: Criterion): Sql {
  if (c.code === '_id') return sql`r.id = ANY(${c.values}::text[])`;
  if (c.modifier === 'text') {
    return exists('idx_token', c, or(c.values.map((v) => sql`x.text LIKE ${escapeLike(foldText(v)) + '%'}`)));
  }
  const match = exists('idx_token', c, or(c.values.map(tokenValue)));
  return c.modifier === 'not' ? sql`NOT ${match}` : match;
}

function string(c: Criterion): Sql {
  const conditions = c.values.map((v) => {
    if (c.modifier === 'exact') return sql`x.exact = ${normalizeText(v)}`;
    const folded = escapeLike(foldText(v));
    return c.modifier === 'contains'
      ? sql`x.folded LIKE ${'%' + folded + '%'}`
      : sql`x.folded LIKE ${folded + '%'}`;
  });
  return exists('idx_string', c, or(conditions));
}

const LOCAL_REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function referenceValue(c: Criterion, value: string): Sql {
  if (c.modifier === 'identifier') return tokenValue(value);
  const typed = c.modifier && c.modifier !== 'identifier' ? c.modifier : undefined;
  const local = LOCAL_REFERENCE.exec(value);
  if (local) return sql`(x.target_type = ${local[1]!} AND x.target_id = ${local[2]!})`;
  if (ID.test(value)) {
    return typed ? sql`(x.target_type = ${typed} AND x.target_id = ${value})` : sql`x.target_id = ${value}`;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return sql`x.url = ${value}`;
  throw badRequest(`${c.name}: "${value}" is not a reference (Type/id, id or an absolute URL)`);
}

function reference(c: Criterion): Sql {
  if (c.modifier === 'identifier') {
    return exists('idx_token', { ...c, code: `${c.code}:identifier` }, or(c.values.map(tokenValue)));
  }
  return exists('idx_reference', c, or(c.values.map((v) => referenceValue(c, v))));
}

function uri(c: Criterion): Sql {
  const conditions = c.values.map((v) => {
    if (c.modifier === 'below') return sql`x.value LIKE ${escapeLike(v) + '%'}`;
    return sql`x.value = ${v}`;
  });
  return exists('idx_uri', c, or(conditions));
}

const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
type Prefix = (typeof PREFIXES)[number];

export function splitPrefix(value: string): [Prefix, string] {
  const head = value.slice(0, 2);
  if ((PREFIXES as readonly string[]).includes(head) && !/^\d/.test(head))
    return [head as Prefix, value.slice(2)];
  return ['eq', value];
}

/** Range comparison of a stored [lo, hi] against a searched [start, end], per FHIR date semantics. */
export function rangeCondition(lo: Sql, hi: Sql, prefix: Prefix, range: InstantRange): Sql {
  const start = range.start;
  const end = range.end;
  switch (prefix) {
    case 'eq':
      return sql`(${lo} >= ${start}::timestamptz AND ${hi} <= ${end}::timestamptz)`;
    case 'ne':
      return sql`NOT (${lo} >= ${start}::timestamptz AND ${hi} <= ${end}::timestamptz)`;
    case 'gt':
      return sql`${hi} > ${end}::timestamptz`;
    case 'lt':
      return sql`${lo} < ${start}::timestamptz`;
    case 'ge':
      return sql`${hi} >= ${start}::timestamptz`;
    case 'le':
      return sql`${lo} <= ${end}::timestamptz`;
    case 'sa':
      return sql`${lo} > ${end}::timestamptz`;
    case 'eb':
      return sql`${hi} < ${start}::timestamptz`;
    case 'ap':
      return sql`(${lo} <= ${end}::timestamptz AND ${hi} >= ${start}::timestamptz)`;
  }
}

function date(c: Criterion): Sql {
  const conditions = c.values.map((v) => {
    const [prefix, text] = splitPrefix(v);
    const range = dateRange(text);
    if (!range) throw badRequest(`${c.name}: "${v}" is not a valid date search value`);
    if (c.code === '_lastUpdated')
      return rangeCondition(raw('r.last_updated'), raw('r.last_updated'), prefix, range);
    return rangeCondition(raw('x.lo'), raw('x.hi'), prefix, range);
  });
  return c.code === '_lastUpdated' ? or(conditions) : exists('idx_date', c, or(conditions));
}

function numeric(c: Criterion, table: 'idx_number' | 'idx_quantity'): Sql {
  const conditions = c.values.map((v) => {
    const [prefix, rest] = splitPrefix(v);
    const [number = '', system, code] = rest.split('|');
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(number)) {
      throw badRequest(`${c.name}: "${v}" is not a valid number`);
    }
    const unit =
      table === 'idx_quantity' && code ? sql` AND (x.code = ${code} OR x.unit = ${code})` : raw('');
    const sys = table === 'idx_quantity' && system ? sql` AND x.system = ${system}` : raw('');
    const compare = {
      eq: sql`x.value = ${number}::numeric`,
      ap: sql`x.value BETWEEN ${number}::numeric * 0.9 AND ${number}::numeric * 1.1`,
      ne: sql`x.value <> ${number}::numeric`,
      gt: sql`x.value > ${number}::numeric`,
      sa: sql`x.value > ${number}::numeric`,
      lt: sql`x.value < ${number}::numeric`,
      eb: sql`x.value < ${number}::numeric`,
      ge: sql`x.value >= ${number}::numeric`,
      le: sql`x.value <= ${number}::numeric`,
    }[prefix];
    return sql`(${compare}${sys}${unit})`;
  });
  return exists(table, c, or(conditions));
}

const TABLES: Record<string, string> = {
  string: 'idx_string',
  token: 'idx_token',
  reference: 'idx_reference',
  uri: 'idx_uri',
  date: 'idx_date',
  number: 'idx_number',
  quantity: 'idx_quantity',
};

export function compileCriterion(c: Criterion): Sql {
  if (c.modifier === 'missing') {
    const table = TABLES[c.def.type];
    if (!table || c.values.length !== 1) throw badRequest(`${c.name} is not supported`);
    return missing(table, c, c.values[0]!);
  }
  switch (c.def.type) {
    case 'token':
      return token(c);
    case 'string':
      return string(c);
    case 'reference':
      return reference(c);
    case 'uri':
      return uri(c);
    case 'date':
      return date(c);
    case 'number':
      return numeric(c, 'idx_number');
    case 'quantity':
      return numeric(c, 'idx_quantity');
    default:
      throw badRequest(`${c.def.type} parameter "${c.code}" is not supported yet`);
  }
}

export function compileCriteria(criteria: readonly Criterion[]): Sql {
  return and(criteria.map(compileCriterion));
}
