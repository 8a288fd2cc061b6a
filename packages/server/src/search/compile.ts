// Compiles parsed search filters into SQL conditions over a resource row alias: EXISTS probes into
// the typed index tables, chains as semi-joins to the referenced resources and `_has` as semi-joins
// from the referring ones. Every resource a chain or `_has` reaches must pass `visible` (not
// deleted, and the access policy's conditions), so a filter can never see what a read cannot.
// Pure: builds parameterised SQL, runs nothing.
import { foldText } from '@hoso/vn/text';
import { type Sql, and, join, or, raw, sql } from '../db/sql.ts';
import { badRequest } from '../errors.ts';
import type { ChainCriterion, Criterion, Filter, HasCriterion, SearchParamType } from './model.ts';
import {
  type Columns,
  componentValue,
  dateValue,
  escapeLike,
  numberValue,
  quantityValue,
  referenceValue,
  stringValue,
  tokenModified,
  tokenValue,
  uriValue,
} from './values.ts';
import type { Visibility } from './visibility.ts';

export interface CompileOptions {
  /** The visible-resource condition for an alias (see visibility.ts). */
  visible: Visibility;
  /** This server's base URL: absolute references to it match local ones. */
  baseUrl: string;
}

const TABLES: Partial<Record<SearchParamType, string>> = {
  string: 'idx_string',
  token: 'idx_token',
  reference: 'idx_reference',
  uri: 'idx_uri',
  date: 'idx_date',
  number: 'idx_number',
  quantity: 'idx_quantity',
  composite: 'idx_composite',
};

/** Field names of index rows inside a composite's JSON (see @hoso/fhir/search/index-rows). */
const JSON_FIELDS: Record<string, string> = {
  type_system: 'typeSystem',
  type_code: 'typeCode',
  target_type: 'targetType',
  target_id: 'targetId',
  lo: 'start',
  hi: 'end',
};

/** Splits a composite value on unescaped `$`. */
function splitComposite(value: string): string[] {
  return value.split(/(?<!\\)\$/).map((part) => part.replace(/\\\$/g, '$'));
}

/** Most target-type arms the chains of one search may expand to (untyped chains fan out). */
const MAX_CHAIN_ARMS = 100;

class Compiler {
  private aliases = 0;
  private arms = 0;
  constructor(private readonly options: CompileOptions) {}

  private alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }

  filter(f: Filter, r: string): Sql {
    switch (f.kind) {
      case 'param':
        return this.criterion(f, r);
      case 'chain':
        return this.chain(f, r);
      case 'has':
        return this.has(f, r);
    }
  }

  /** One arm per target type, each with `type = constant` so every index probe leads with the type. */
  private chain(f: ChainCriterion, r: string): Sql {
    const x = this.alias('x');
    this.arms += f.targetTypes.length;
    if (this.arms > MAX_CHAIN_ARMS) {
      throw badRequest(
        `${f.name}: the chain reaches too many resource types; name them, e.g. ${f.code}:Patient`,
      );
    }
    const arms = f.targetTypes.map((type) => {
      const t = this.alias('r');
      return sql`SELECT ${raw(t)}.type, ${raw(t)}.id FROM resource ${raw(t)}
        WHERE ${raw(t)}.type = ${type} AND ${this.options.visible(t)} AND ${this.filter(f.next, t)}`;
    });
    return sql`EXISTS (SELECT 1 FROM idx_reference ${raw(x)} WHERE ${raw(x)}.type = ${raw(r)}.type AND ${raw(x)}.id = ${raw(r)}.id
      AND ${raw(x)}.param = ${f.code} AND (${raw(x)}.target_type, ${raw(x)}.target_id) IN (${join(arms, ' UNION ALL ')}))`;
  }

  private has(f: HasCriterion, r: string): Sql {
    const x = this.alias('x');
    const s = this.alias('r');
    return sql`EXISTS (SELECT 1 FROM idx_reference ${raw(x)} JOIN resource ${raw(s)} ON ${raw(s)}.type = ${raw(x)}.type AND ${raw(s)}.id = ${raw(x)}.id
      WHERE ${raw(x)}.type = ${f.type} AND ${raw(x)}.param = ${f.code} AND ${raw(x)}.target_type = ${raw(r)}.type
      AND ${raw(x)}.target_id = ${raw(r)}.id AND ${this.options.visible(s)} AND ${this.filter(f.next, s)})`;
  }

  /** EXISTS a row of `table` on resource `r` (of parameter `param`, if given) satisfying `condition`. */
  private exists(table: string, param: string | undefined, r: string, condition: (col: Columns) => Sql): Sql {
    const x = this.alias('x');
    const col: Columns = (column) => raw(`${x}.${column}`);
    const ofParam = param === undefined ? raw('') : sql` AND ${raw(x)}.param = ${param}`;
    return sql`EXISTS (SELECT 1 FROM ${raw(table)} ${raw(x)} WHERE ${raw(x)}.type = ${raw(r)}.type AND ${raw(x)}.id = ${raw(r)}.id${ofParam} AND ${condition(col)})`;
  }

  private criterion(c: Criterion, r: string): Sql {
    if (c.modifier === 'missing') return this.missing(c, r);
    switch (c.code) {
      case '_id': {
        const match = sql`${raw(r)}.id = ANY(${c.values}::text[])`;
        return c.modifier === 'not' ? sql`NOT ${match}` : match;
      }
      case '_lastUpdated': {
        const col: Columns = () => raw(`${r}.last_updated`);
        return or(c.values.map((v) => dateValue(c.name, col, v)));
      }
      case '_content':
        return this.content(c, r);
      case '_text':
        return or(
          c.values.map(
            (v) =>
              sql`lower((${raw(r)}.content::jsonb) #>> '{text,div}') LIKE ${`%${escapeLike(v.toLowerCase())}%`}`,
          ),
        );
    }
    const table = TABLES[c.def.type]!;
    const any = (fn: (col: Columns, v: string) => Sql) =>
      this.exists(table, c.code, r, (col) => or(c.values.map((v) => fn(col, v))));
    switch (c.def.type) {
      case 'string':
        return any((col, v) => stringValue(col, v, c.modifier));
      case 'token': {
        const negated = c.modifier === 'not' || c.modifier === 'not-in';
        const modifier = c.modifier === 'not-in' ? 'in' : c.modifier;
        const match = any((col, v) => tokenModified(c.name, col, v, modifier));
        return negated ? sql`NOT ${match}` : match;
      }
      case 'reference':
        if (c.modifier === 'identifier') {
          return this.exists('idx_token', `${c.code}:identifier`, r, (col) =>
            or(c.values.map((v) => tokenValue(col, v))),
          );
        }
        return any((col, v) => referenceValue(c.name, col, v, c.modifier, this.options.baseUrl));
      case 'uri':
        return any((col, v) => uriValue(col, v, c.modifier));
      case 'date':
        return any((col, v) => dateValue(c.name, col, v));
      case 'number':
        return any((col, v) => numberValue(c.name, col, v));
      case 'quantity':
        return any((col, v) => quantityValue(c.name, col, v));
      case 'composite':
        return any((col, v) => this.composite(c, col, v));
      default:
        throw badRequest(`${c.def.type} parameter "${c.code}" is not supported`);
    }
  }

  private composite(c: Criterion, col: Columns, value: string): Sql {
    const components = c.def.components ?? [];
    const parts = splitComposite(value);
    if (parts.length !== components.length || parts.some((p) => p === '')) {
      throw badRequest(`${c.name}: "${value}" needs ${components.length} $-separated components`);
    }
    return and(
      components.map((component, i) => {
        // Component index and field names are this module's constants, never caller input.
        const field = (name: string) =>
          sql`(${col('components')}::jsonb -> ${raw(String(i))} -> 'row' ->> '${raw(JSON_FIELDS[name] ?? name)}')`;
        const json: Columns = (name) => {
          if (name === 'lo') return sql`COALESCE(${field(name)}::timestamptz, '-infinity')`;
          if (name === 'hi') return sql`COALESCE(${field(name)}::timestamptz, 'infinity')`;
          if (name === 'value' && component.type !== 'uri') return sql`${field(name)}::numeric`;
          return field(name);
        };
        return componentValue(c.name, component.type, json, parts[i]!, this.options.baseUrl);
      }),
    );
  }

  /** `_content`: every word occurs in some indexed text of the resource (strings, codes' text). */
  private content(c: Criterion, r: string): Sql {
    return or(
      c.values.map((v) => {
        const words = foldText(v).split(/\s+/).filter(Boolean);
        if (words.length === 0) throw badRequest(`${c.name}: "${v}" has no words`);
        return and(
          words.map((w) => {
            const like = `%${escapeLike(w)}%`;
            return or([
              this.exists('idx_string', undefined, r, (col) => sql`${col('folded')} LIKE ${like}`),
              this.exists('idx_token', undefined, r, (col) => sql`${col('text')} LIKE ${like}`),
            ]);
          }),
        );
      }),
    );
  }

  private missing(c: Criterion, r: string): Sql {
    const table = TABLES[c.def.type];
    const [value] = c.values;
    if (!table || c.code === '_id' || c.code === '_lastUpdated') {
      throw badRequest(`${c.name}: :missing is not supported for this parameter`);
    }
    if (c.values.length !== 1 || (value !== 'true' && value !== 'false')) {
      throw badRequest(`${c.name} must be true or false`);
    }
    const present = this.exists(table, c.code, r, () => raw('TRUE'));
    return value === 'true' ? sql`NOT ${present}` : present;
  }
}

/** The conditions of `filters` (ANDed) over the resource alias `r`. */
export function compileFilters(filters: readonly Filter[], r: string, options: CompileOptions): Sql {
  const compiler = new Compiler(options);
  return and(filters.map((f) => compiler.filter(f, r)));
}

/**
 * A positive prefix or exact string criterion (name, family, address, …) that can drive a page
 * sorted by id: its ids, read from the string index alone and walked in order, are joined to their
 * resources only until the page is full, instead of joining every match before sorting (a name
 * prefix such as "xuan" matches hundreds of patients of which a page shows 20).
 */
export function stringDriver(filters: readonly Filter[]): Criterion | undefined {
  return filters.find(
    (f): f is Criterion =>
      f.kind === 'param' &&
      f.def.type === 'string' &&
      !f.code.startsWith('_') &&
      (f.modifier === undefined || f.modifier === 'exact'),
  );
}

/** `SELECT x.id FROM idx_string x WHERE …`: the ids of `type` the driver criterion matches. */
export function stringCandidates(c: Criterion, type: string): Sql {
  const col: Columns = (column) => raw(`x.${column}`);
  return sql`SELECT x.id FROM idx_string x WHERE x.type = ${type} AND x.param = ${c.code} AND ${or(
    c.values.map((v) => stringValue(col, v, c.modifier)),
  )}`;
}
