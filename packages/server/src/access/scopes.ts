// SMART App Launch 2.x scopes: parses `patient/Observation.rs`, `user/*.cruds`, `system/*.rs` (and
// the v1 forms `.read`, `.write`, `.*`) and the fine-grained form that reads only resources matching
// a query (`patient/Observation.rs?category=http://…|laboratory`: `category` and `code` token
// parameters of the type only), decides what a set of scopes permits, and narrows a requested set
// to what a principal may hold. Pure: strings in, decisions out; knows nothing of tokens, accounts
// or SQL.
import { SEARCH_PARAMETERS } from '@hoso/fhir/search/definitions.generated';

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

const PERMISSION_ORDER: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

/** One search parameter of a fine-grained scope: the resource has one of `values` (tokens). */
export interface ScopeFilter {
  param: 'category' | 'code';
  /** `system|code`, `code`, `|code` (no system) or `system|` (any code of the system). */
  values: readonly string[];
}

export interface ResourceScope {
  context: ScopeContext;
  /** A resource type or `*`. */
  type: string;
  permissions: ReadonlySet<Permission>;
  /** A fine-grained scope's query: the resource matches every filter. Only read and search. */
  filters?: readonly ScopeFilter[];
}

export interface Scopes {
  resources: readonly ResourceScope[];
  /** Every other scope granted: openid, fhirUser, profile, launch, launch/patient, offline_access, … */
  other: ReadonlySet<string>;
}

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)(?:\?(.*))?$/;
const FILTER_PARAMS: ReadonlySet<string> = new Set(['category', 'code']);
/** A token value written so that it needs no escaping in a scope string or a query. */
const TOKEN_VALUE = /^(?=.*[^|])[A-Za-z0-9\-._~:/]*(\|[A-Za-z0-9\-._~:/]*)?$/;
/** Fine-grained scopes only narrow what is read; writes need a scope without a query. */
const FILTERED_PERMISSIONS: ReadonlySet<Permission> = new Set(['r', 's']);

const hasTokenParam = (type: string, param: string) =>
  (SEARCH_PARAMETERS[type] ?? []).some(([code, kind]) => code === param && kind === 'token');

/** The filters of a fine-grained scope's query, or undefined when any part is not supported. */
function parseFilters(type: string, query: string): ScopeFilter[] | undefined {
  if (type === '*') return undefined;
  const filters: ScopeFilter[] = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const param = part.slice(0, eq);
    const values = part.slice(eq + 1).split(',');
    if (eq < 0 || !FILTER_PARAMS.has(param) || !hasTokenParam(type, param)) return undefined;
    if (!values.every((v) => TOKEN_VALUE.test(v))) return undefined;
    filters.push({ param: param as ScopeFilter['param'], values });
  }
  return filters;
}

const formatFilters = (filters: readonly ScopeFilter[]) =>
  filters.map((f) => `${f.param}=${f.values.join(',')}`).join('&');

const V1_PERMISSIONS: Record<string, Permission[]> = {
  '*': ['c', 'r', 'u', 'd', 's'],
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
};

/**
 * One resource scope, or undefined when the text is not one (another kind of scope, an empty
 * permission string, or a `?query` this server does not support: anything but `category` and `code`
 * token parameters the type defines, or on `*`). A query keeps only the read and search permissions.
 */
export function parseResourceScope(text: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(text);
  if (!match) return undefined;
  const [, context, type, perms, query] = match as unknown as [
    string,
    ScopeContext,
    string,
    string,
    string | undefined,
  ];
  const asked = V1_PERMISSIONS[perms] ?? ([...perms] as Permission[]);
  if (query === undefined)
    return asked.length > 0 ? { context, type, permissions: new Set(asked) } : undefined;
  const filters = parseFilters(type, query);
  const permissions = asked.filter((p) => FILTERED_PERMISSIONS.has(p));
  return filters && permissions.length > 0
    ? { context, type, permissions: new Set(permissions), filters }
    : undefined;
}

const isResourceScopeShaped = (text: string) => /^(patient|user|system)\//.test(text);

/** Parses a space-separated scope string; malformed resource scopes are dropped, never widened. */
export function parseScopes(text: string): Scopes {
  const resources: ResourceScope[] = [];
  const other = new Set<string>();
  for (const item of text.split(/\s+/).filter(Boolean)) {
    const scope = parseResourceScope(item);
    if (scope) resources.push(scope);
    else if (!isResourceScopeShaped(item)) other.add(item);
  }
  return { resources, other };
}

export function formatScope(scope: ResourceScope): string {
  const perms = PERMISSION_ORDER.filter((p) => scope.permissions.has(p)).join('');
  const query = scope.filters ? `?${formatFilters(scope.filters)}` : '';
  return `${scope.context}/${scope.type}.${perms}${query}`;
}

/** The query of a scope in canonical form ('' for none): equal queries select the same resources. */
export const queryOf = (scope: ResourceScope) => (scope.filters ? formatFilters(scope.filters) : '');

export function formatScopes(scopes: Scopes): string {
  return [...scopes.other, ...scopes.resources.map(formatScope)].join(' ');
}

/** Whether the scopes permit `permission` on every `type` resource in any of the given contexts. */
export function allows(
  scopes: Scopes,
  type: string,
  permission: Permission,
  contexts: readonly ScopeContext[] = ['patient', 'user', 'system'],
): boolean {
  return scopes.resources.some(
    (s) =>
      !s.filters &&
      contexts.includes(s.context) &&
      (s.type === '*' || s.type === type) &&
      s.permissions.has(permission),
  );
}

/** The resource types the scopes permit `permission` on without a query: every type, or a finite set. */
export function permittedTypes(scopes: Scopes, permission: Permission): '*' | ReadonlySet<string> {
  const types = new Set<string>();
  for (const s of scopes.resources) {
    if (!s.permissions.has(permission) || s.filters) continue;
    if (s.type === '*') return '*';
    types.add(s.type);
  }
  return types;
}

/**
 * The types the scopes permit `permission` on only through queries, each with its queries (any one
 * of them, all its filters): what a read must match beyond permittedTypes.
 */
export function filteredTypes(scopes: Scopes, permission: Permission): Map<string, ScopeFilter[][]> {
  const whole = permittedTypes(scopes, permission);
  const byType = new Map<string, ScopeFilter[][]>();
  if (whole === '*') return byType;
  for (const s of scopes.resources) {
    if (!s.filters || !s.permissions.has(permission) || whole.has(s.type)) continue;
    byType.set(s.type, [...(byType.get(s.type) ?? []), [...s.filters]]);
  }
  return byType;
}

/**
 * What may actually be granted of `requested`: resource scopes only in the contexts the principal
 * may use and only with the permissions `ceiling` allows for that context and type (a ceiling scope
 * with a query covers only the same query); other scopes only when listed in `otherAllowed`. Never
 * returns more than was requested.
 */
export function narrowScopes(requested: Scopes, ceiling: Scopes, otherAllowed: ReadonlySet<string>): Scopes {
  const resources: ResourceScope[] = [];
  for (const want of requested.resources) {
    const granted = new Set<Permission>();
    const bounds = ceiling.resources.filter(
      (c) => c.context === want.context && (!c.filters || queryOf(c) === queryOf(want)),
    );
    for (const p of want.permissions) {
      const coveredForAll = bounds.some((c) => c.type === '*' && c.permissions.has(p));
      const coveredForType =
        want.type !== '*' && bounds.some((c) => c.type === want.type && c.permissions.has(p));
      if (coveredForAll || coveredForType) granted.add(p);
    }
    if (granted.size > 0) resources.push({ ...want, permissions: granted });
  }
  const other = new Set([...requested.other].filter((s) => otherAllowed.has(s)));
  return { resources, other };
}
