// Types of a parsed search: the filters it names (parameters, chains, reverse chains), their
// definitions, the result controls (sort, paging, includes, summary) and the supported feature set.
// Types and constants only: no behaviour lives here.

export type SearchParamType =
  'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';

/** Parameter types the search compiler handles (`special`: only `_text` and `_content`). */
export const SUPPORTED_SEARCH_TYPES: ReadonlySet<SearchParamType> = new Set([
  'number',
  'date',
  'string',
  'token',
  'reference',
  'quantity',
  'uri',
  'composite',
]);

/** The special parameters implemented; other `special` parameters (e.g. Location.near) are not. */
export const SUPPORTED_SPECIAL = new Set(['_text', '_content']);

/** Modifiers accepted per parameter type (reference also takes a resource type, e.g. `:Patient`). */
export const MODIFIERS: Readonly<Record<string, readonly string[]>> = {
  string: ['exact', 'contains', 'missing'],
  token: ['missing', 'not', 'text', 'of-type', 'in', 'not-in'],
  reference: ['missing', 'identifier'],
  uri: ['missing', 'below', 'above'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
  composite: ['missing'],
  special: [],
};

export interface ComponentDef {
  code: string;
  type: SearchParamType;
}

export interface SearchParamDef {
  code: string;
  type: SearchParamType;
  /** Components of a composite parameter, in order. */
  components?: readonly ComponentDef[];
}

/** Looks up the SearchParameter `code` of `resourceType` (including the common `_tag`, `_profile`, …). */
export interface SearchParamRegistry {
  get(resourceType: string, code: string): SearchParamDef | undefined;
  /** Every parameter of `resourceType`, the common ones included. */
  list(resourceType: string): SearchParamDef[];
  /** Every resource type defining a parameter `code` (chain targets without a type modifier). */
  typesWith(code: string): string[];
}

/** A parameter test on the resource itself. */
export interface Criterion {
  kind: 'param';
  /** The parameter as written, e.g. `subject:Patient`. */
  name: string;
  code: string;
  modifier: string | undefined;
  def: SearchParamDef;
  /** Comma-separated alternatives (OR), unescaped. */
  values: string[];
}

/** `subject:Patient.name=…`: some resource the reference parameter `code` points to matches `next`. */
export interface ChainCriterion {
  kind: 'chain';
  name: string;
  code: string;
  /** The target types `next` is evaluated on. */
  targetTypes: string[];
  next: Filter;
}

/** `_has:Observation:patient:code=…`: some `type` whose parameter `code` points here matches `next`. */
export interface HasCriterion {
  kind: 'has';
  name: string;
  type: string;
  code: string;
  next: Filter;
}

export type Filter = Criterion | ChainCriterion | HasCriterion;

export interface SortKey {
  /** `_id`, `_lastUpdated` or any parameter of the searched type. */
  param: string;
  def: SearchParamDef;
  descending: boolean;
}

/** `_include` / `_revinclude` = `source:param[:target]`, `*` for every reference parameter. */
export interface Include {
  source: string;
  param: string | '*';
  target: string | undefined;
  iterate: boolean;
}

export type Summary = 'true' | 'false' | 'text' | 'data' | 'count';

export interface SearchRequest {
  type: string;
  criteria: Filter[];
  count: number;
  sort: SortKey[];
  cursor: string | undefined;
  total: 'none' | 'estimate' | 'accurate';
  summary: Summary;
  elements: string[] | undefined;
  include: Include[];
  revinclude: Include[];
  /** Parameters ignored because they are unknown or not supported (lenient handling only). */
  ignored: string[];
}
