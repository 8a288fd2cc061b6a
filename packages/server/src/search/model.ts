// Types of a parsed search: the parameters it names, their definitions and the paging controls.
// Types, and the set of parameter types the compiler supports.

export type SearchParamType =
  'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';

/** Parameter types the search compiler handles; composites and specials come with the search issue. */
export const SUPPORTED_SEARCH_TYPES: ReadonlySet<SearchParamType> = new Set([
  'number',
  'date',
  'string',
  'token',
  'reference',
  'quantity',
  'uri',
]);

export interface SearchParamDef {
  code: string;
  type: SearchParamType;
}

/** Looks up the SearchParameter `code` of `resourceType` (including the common `_tag`, `_profile`, …). */
export interface SearchParamRegistry {
  get(resourceType: string, code: string): SearchParamDef | undefined;
  /** Every parameter of `resourceType`, the common ones included. */
  list(resourceType: string): SearchParamDef[];
}

export interface Criterion {
  /** The parameter as written, e.g. `subject:Patient`. */
  name: string;
  code: string;
  modifier: string | undefined;
  def: SearchParamDef;
  /** Comma-separated alternatives (OR), unescaped. */
  values: string[];
}

export interface SortKey {
  param: '_id' | '_lastUpdated';
  descending: boolean;
}

export interface SearchRequest {
  type: string;
  criteria: Criterion[];
  count: number;
  sort: SortKey[];
  cursor: string | undefined;
  total: 'none' | 'estimate' | 'accurate';
  summaryCount: boolean;
  /** Parameters ignored because they are unknown or not supported (lenient handling only). */
  ignored: string[];
}
