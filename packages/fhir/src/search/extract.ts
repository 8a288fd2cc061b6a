// Extracts every R4 SearchParameter value of a resource into index rows (index-rows.ts): the
// resource type's own parameters plus `_tag`, `_profile`, `_security` and `_source`. `_id` and
// `_lastUpdated` are not extracted: the store keeps them as columns. Identical rows are removed.
// Pure and synchronous: no I/O, no SQL, no FHIRPath engine (expressions are precompiled closures).

import type { CompiledComponent, CompiledParameter, TypedValue } from './compile.ts';
import type { CompositeRow, IndexRows, IndexValueRow } from './index-rows.ts';
import { parametersFor } from './parameters.ts';
import { appendValueRows } from './value-rows.ts';

export interface IndexableResource {
  resourceType: string;
  id?: string;
}

function emptyRows(): IndexRows {
  return { string: [], token: [], date: [], number: [], quantity: [], reference: [], uri: [], composite: [] };
}

/** Every combination of one row per component, for each occurrence of the composite's element. */
function compositeRows(
  param: CompiledParameter,
  values: TypedValue[],
  resource: unknown,
  out: CompositeRow[],
): void {
  const seen = new Set<string>();
  for (const element of values) {
    const components = param.components?.find((c) => c.element === element.type)?.list;
    if (!components) continue;
    // Select every component's values before converting any: most composites miss one, usually the
    // last (a code is nearly always there, a value of the wanted type often not), so look from the end.
    const selected: TypedValue[][] = new Array<TypedValue[]>(components.length);
    let missing = false;
    for (let i = components.length - 1; i >= 0 && !missing; i--) {
      selected[i] = (components[i] as CompiledComponent).evaluate(element.value, resource);
      missing = selected[i]?.length === 0;
    }
    if (missing) continue;
    let combos: { key: string; parts: CompositeRow['components'] }[] = [{ key: param.code, parts: [] }];
    for (const [i, component] of components.entries()) {
      const scratch = emptyRows();
      for (const v of selected[i] as TypedValue[])
        appendValueRows(component.type, component.code, v, scratch);
      const rows: IndexValueRow[] = scratch[component.type];
      const key = KEYS[component.type] as (row: IndexValueRow) => string;
      const next: typeof combos = [];
      for (const combo of combos) {
        for (const row of rows) {
          next.push({
            key: `${combo.key}\u0001${key(row)}`,
            parts: [...combo.parts, { param: component.code, row }],
          });
        }
      }
      combos = next;
      if (combos.length === 0) break;
    }
    for (const { key, parts } of combos) {
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ param: param.code, components: parts });
    }
  }
}

/** Identity of a row within its kind, for de-duplication (composites are de-duplicated as built). */
const KEYS: { [K in Exclude<keyof IndexRows, 'composite'>]: (row: IndexRows[K][number]) => string } = {
  string: (r) => `${r.param}\0${r.exact}`,
  token: (r) => `${r.param}\0${r.system}\0${r.code}\0${r.text}\0${r.typeSystem}\0${r.typeCode}`,
  date: (r) => `${r.param}\0${r.start}\0${r.end}`,
  number: (r) => `${r.param}\0${r.value}`,
  quantity: (r) => `${r.param}\0${r.value}\0${r.system}\0${r.code}\0${r.unit}`,
  reference: (r) => `${r.param}\0${r.targetType}\0${r.targetId}\0${r.url}`,
  uri: (r) => `${r.param}\0${r.value}`,
};

/** Row equality per kind: cheaper than keys for the few rows one parameter usually yields. */
const SAME: { [K in keyof typeof KEYS]: (a: IndexRows[K][number], b: IndexRows[K][number]) => boolean } = {
  string: (a, b) => a.param === b.param && a.exact === b.exact,
  token: (a, b) =>
    a.param === b.param &&
    a.code === b.code &&
    a.system === b.system &&
    a.text === b.text &&
    (a.typeSystem ?? null) === (b.typeSystem ?? null) &&
    (a.typeCode ?? null) === (b.typeCode ?? null),
  date: (a, b) => a.param === b.param && a.start === b.start && a.end === b.end,
  number: (a, b) => a.param === b.param && a.value === b.value,
  quantity: (a, b) =>
    a.param === b.param &&
    a.value === b.value &&
    a.system === b.system &&
    a.code === b.code &&
    a.unit === b.unit,
  reference: (a, b) =>
    a.param === b.param && a.targetType === b.targetType && a.targetId === b.targetId && a.url === b.url,
  uri: (a, b) => a.param === b.param && a.value === b.value,
};

/** Removes repeated rows from `list[start…]` in place (rows of different parameters never repeat). */
function dedupeFrom<K extends keyof typeof KEYS>(kind: K, list: IndexRows[K], start: number): void {
  const n = list.length - start;
  if (n < 2) return;
  let kept = start;
  if (n <= 16) {
    const same = SAME[kind] as (a: IndexRows[K][number], b: IndexRows[K][number]) => boolean;
    for (let i = start; i < list.length; i++) {
      const row = list[i] as IndexRows[K][number];
      let repeated = false;
      for (let j = start; j < kept && !repeated; j++) repeated = same(list[j] as IndexRows[K][number], row);
      if (!repeated) list[kept++] = row;
    }
  } else {
    const key = KEYS[kind] as (row: IndexRows[K][number]) => string;
    const seen = new Set<string>();
    for (let i = start; i < list.length; i++) {
      const row = list[i] as IndexRows[K][number];
      const k = key(row);
      if (seen.has(k)) continue;
      seen.add(k);
      list[kept++] = row;
    }
  }
  list.length = kept;
}

/** The index rows of `resource`; throws for a resource type R4 does not define. */
export function extractIndexRows(resource: IndexableResource): IndexRows {
  const params = parametersFor(resource.resourceType);
  if (params.length === 0) throw new Error(`unknown resource type: ${resource.resourceType}`);
  const rows = emptyRows();
  for (const param of params) {
    const values = param.evaluate(resource, resource);
    if (values.length === 0) continue;
    const { type } = param;
    if (type === 'composite') {
      compositeRows(param, values, resource, rows.composite);
      continue;
    }
    const start = rows[type].length;
    const tokenStart = rows.token.length; // reference parameters also add `<code>:identifier` tokens
    for (const v of values) appendValueRows(type, param.code, v, rows);
    dedupeFrom(type, rows[type], start);
    if (type === 'reference') dedupeFrom('token', rows.token, tokenStart);
  }
  return rows;
}
