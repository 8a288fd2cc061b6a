// Compiles a ValueSet.compose, with its code systems and nested value sets already resolved, into
// one SQL condition on the concept table (alias c): includes OR-ed, excludes AND NOT-ed, filters
// and hierarchy (is-a, descendent-of, generalizes, …) as index-backed predicates. Pure.
import { FhirError } from '../errors.ts';
import type { SqlParams } from './concept-store.ts';
import type { CodeSystemRow } from './model.ts';

export interface ComposeFilter {
  property: string;
  op: string;
  value: string;
}

export interface ResolvedInclude {
  /** The code system version, when the include names a system. */
  cs?: CodeSystemRow;
  concepts?: { code: string; display?: string }[];
  filters: ComposeFilter[];
  valueSets: ResolvedCompose[];
}

export interface ResolvedCompose {
  includes: ResolvedInclude[];
  excludes: ResolvedInclude[];
  /** compose.inactive: false excludes inactive concepts. */
  inactive?: boolean;
}

const notSupported = (what: string) => FhirError.of(400, 'not-supported', what);

function filterCondition(f: ComposeFilter, cs: number, p: SqlParams): string {
  const v = () => p.add(f.value);
  const selfOrBelow = () => `(c.code = ${v()} OR c.ancestors @> ARRAY[${v()}]::text[])`;
  const sub = (column: string) =>
    `(SELECT ${column} FROM tx_concept x WHERE x.cs = ${cs} AND x.code = ${v()})`;
  const list = () => p.add(f.value.split(',').map((s) => s.trim()));
  if (f.property === 'concept' || f.property === 'code') {
    switch (f.op) {
      case 'is-a':
        return selfOrBelow();
      case 'child-of':
        return `c.parents @> ARRAY[${v()}]::text[]`;
      case 'descendent-of':
        return `c.ancestors @> ARRAY[${v()}]::text[]`;
      case 'is-not-a':
        return `NOT ${selfOrBelow()}`;
      case 'generalizes':
        return `(c.code = ${v()} OR c.code = ANY(${sub('ancestors')}))`;
      case 'in':
        return `c.code = ANY(${list()}::text[])`;
      case 'not-in':
        return `NOT (c.code = ANY(${list()}::text[]))`;
      case 'regex':
        return `c.code ~ ${p.add(`^(?:${f.value})$`)}`;
      case '=':
        return `c.code = ${v()}`;
    }
    throw notSupported(`filter operator "${f.op}" is not supported on property ${f.property}`);
  }
  if (f.property === 'parent' && f.op === '=') return `c.parents @> ARRAY[${v()}]::text[]`;
  if (f.property === 'child' && f.op === '=') return `c.code = ANY(${sub('parents')})`;
  if (f.property === 'display' && f.op === 'regex') return `c.display ~ ${p.add(`^(?:${f.value})$`)}`;
  if (f.property === 'display' && f.op === '=') return `c.display = ${v()}`;
  if (f.property === 'inactive' && f.op === '=') return f.value === 'true' ? 'c.inactive' : 'NOT c.inactive';
  if (f.property === 'notSelectable' && f.op === '=')
    return f.value === 'true' ? 'c.abstract' : 'NOT c.abstract';
  const prop = p.add(f.property);
  const element = `EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(c.properties, '[]')::jsonb) e
    WHERE e ->> 'code' = ${prop}`;
  const value = `COALESCE(e ->> 'valueCode', e ->> 'valueString', e ->> 'valueBoolean', e ->> 'valueInteger',
    e ->> 'valueDecimal', e -> 'valueCoding' ->> 'code', e ->> 'valueDateTime')`;
  switch (f.op) {
    case '=':
      return `${element} AND ${value} = ${v()})`;
    case 'in':
      return `${element} AND ${value} = ANY(${list()}::text[]))`;
    case 'not-in':
      return `NOT ${element} AND ${value} = ANY(${list()}::text[]))`;
    case 'regex':
      return `${element} AND ${value} ~ ${p.add(`^(?:${f.value})$`)})`;
    case 'exists':
      return f.value === 'false' ? `NOT ${element})` : `${element})`;
  }
  throw notSupported(`filter operator "${f.op}" is not supported on property ${f.property}`);
}

function includeCondition(inc: ResolvedInclude, p: SqlParams): string {
  const parts: string[] = [];
  if (inc.cs) {
    parts.push(`c.cs = ${inc.cs.id}`);
    if (inc.concepts?.length) parts.push(`c.code = ANY(${p.add(inc.concepts.map((c) => c.code))}::text[])`);
    for (const f of inc.filters) parts.push(filterCondition(f, inc.cs.id, p));
  }
  for (const vs of inc.valueSets) parts.push(composeCondition(vs, p));
  return parts.length === 0 ? 'false' : `(${parts.join(' AND ')})`;
}

/** The SQL condition selecting exactly the concepts of a resolved compose. */
export function composeCondition(compose: ResolvedCompose, p: SqlParams): string {
  const included = compose.includes.map((i) => includeCondition(i, p));
  let cond = included.length === 0 ? 'false' : `(${included.join(' OR ')})`;
  for (const e of compose.excludes) cond += ` AND NOT ${includeCondition(e, p)}`;
  if (compose.inactive === false) cond += ' AND NOT c.inactive';
  return cond;
}

/** Display overrides an extensional include gives its concepts (system|code → display). */
export function displayOverrides(compose: ResolvedCompose): Map<string, string> {
  const out = new Map<string, string>();
  for (const inc of compose.includes) {
    for (const c of inc.concepts ?? [])
      if (c.display && inc.cs) out.set(`${inc.cs.url}|${c.code}`, c.display);
  }
  return out;
}
