// Keyset paging: sort keys as SQL expressions, the ORDER BY, and opaque cursors holding the sort
// values of a page's boundary row, so the next (or previous) page starts strictly after (before)
// it and stays stable under concurrent writes. Missing sort values order last in either direction;
// the resource id breaks ties. Pure.
import { type Sql, and, join, or, raw, sql } from '../db/sql.ts';
import { badRequest } from '../errors.ts';
import type { SortKey } from './model.ts';

export interface Cursor {
  /** Sort values of the boundary row as text (null when missing), then its id. */
  values: (string | null)[];
  id: string;
  /** True for a "previous" cursor: the page before the boundary row. */
  back: boolean;
  /** The `_sort` the cursor was issued for. */
  sort: string;
}

export const sortSignature = (sort: readonly SortKey[]) =>
  sort.map((k) => `${k.descending ? '-' : ''}${k.param}`).join(',');

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(token: string, sort: readonly SortKey[]): Cursor {
  let cursor: Partial<Cursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    // reported below
  }
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    typeof cursor.id !== 'string' ||
    typeof cursor.back !== 'boolean' ||
    !Array.isArray(cursor.values) ||
    cursor.values.length !== sort.length ||
    !cursor.values.every((v) => v === null || typeof v === 'string')
  ) {
    throw badRequest('_cursor is not a cursor this server issued');
  }
  if (cursor.sort !== sortSignature(sort)) throw badRequest('_cursor was issued for another _sort');
  const values = cursor.values;
  if (!sort.every((key, i) => values[i] === null || VALID[castOf(key)]?.test(values[i]!) !== false)) {
    throw badRequest('_cursor is not a cursor this server issued');
  }
  return cursor as Cursor;
}

const AGGREGATE: Record<string, [string, string]> = {
  string: ['idx_string', 'folded'],
  token: ['idx_token', 'code'],
  uri: ['idx_uri', 'value'],
  number: ['idx_number', 'value'],
  quantity: ['idx_quantity', 'value'],
  reference: ['idx_reference', "coalesce(s.target_type || '/' || s.target_id, s.url)"],
};

/** The sort value of `key` for the resource alias `r` (dates: earliest start, or latest end if descending). */
export function sortExpression(key: SortKey, r: string): Sql {
  if (key.param === '_id') return raw(`${r}.id`);
  if (key.param === '_lastUpdated') return raw(`${r}.last_updated`);
  const fn = key.descending ? 'max' : 'min';
  const [table, column] =
    key.def.type === 'date' ? ['idx_date', key.descending ? 's.hi' : 's.lo'] : AGGREGATE[key.def.type]!;
  const value = column.includes('.') ? column : `s.${column}`;
  return sql`(SELECT ${raw(`${fn}(${value})`)} FROM ${raw(table)} s WHERE s.type = ${raw(r)}.type AND s.id = ${raw(r)}.id AND s.param = ${key.param})`;
}

/** What PostgreSQL's text output of a sort value looks like, so a forged cursor cannot fail a cast. */
const VALID: Record<string, RegExp> = {
  timestamptz: /^(-?infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2})$/,
  numeric: /^-?\d+(\.\d+)?$/,
};

const CAST: Record<string, string> = { date: 'timestamptz', number: 'numeric', quantity: 'numeric' };
const castOf = (key: SortKey) =>
  key.param === '_lastUpdated' ? 'timestamptz' : (CAST[key.def.type] ?? 'text');

const nullable = (key: SortKey) => key.param !== '_id' && key.param !== '_lastUpdated';

/** The tie-break on id follows the last sort key's direction (so `-_lastUpdated` scans one index). */
const idDescending = (sort: readonly SortKey[]) => sort.at(-1)?.descending ?? false;

export function orderBy(sort: readonly SortKey[], r: string, back: boolean): Sql {
  const terms = sort.map((key, i) => {
    const desc = key.descending !== back;
    return raw(`k${i} ${desc ? 'DESC' : 'ASC'} NULLS ${back ? 'FIRST' : 'LAST'}`);
  });
  terms.push(raw(`${r}.id ${idDescending(sort) !== back ? 'DESC' : 'ASC'}`));
  return join(terms, ', ');
}

/** Rows strictly after (or, for a "previous" cursor, strictly before) the cursor's row. */
export function cursorCondition(sort: readonly SortKey[], r: string, cursor: Cursor): Sql {
  const keys = sort.map((key, i) => ({ expr: sortExpression(key, r), value: cursor.values[i]!, key }));
  const beyond = (expr: Sql, value: string | null, key: SortKey, descending: boolean): Sql => {
    const v = sql`${value}::${raw(castOf(key))}`;
    if (!cursor.back) {
      if (value === null) return raw('FALSE');
      const after = sql`${expr} ${raw(descending ? '<' : '>')} ${v}`;
      return nullable(key) ? sql`(${after} OR ${expr} IS NULL)` : after;
    }
    if (value === null) return sql`${expr} IS NOT NULL`;
    return sql`${expr} ${raw(descending ? '>' : '<')} ${v}`;
  };
  const idOp = raw(idDescending(sort) !== cursor.back ? '<' : '>');
  const alternatives: Sql[] = [];
  for (let i = 0; i <= keys.length; i++) {
    const equal = keys
      .slice(0, i)
      .map(({ expr, value, key }) => sql`${expr} IS NOT DISTINCT FROM ${value}::${raw(castOf(key))}`);
    const last =
      i < keys.length
        ? beyond(keys[i]!.expr, keys[i]!.value, keys[i]!.key, keys[i]!.key.descending)
        : sql`${raw(r)}.id ${idOp} ${cursor.id}`;
    alternatives.push(and([...equal, last]));
  }
  return or(alternatives);
}
