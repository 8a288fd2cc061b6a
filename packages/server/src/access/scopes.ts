// SMART App Launch 2.x scopes: parses `patient/Observation.rs`, `user/*.cruds`, `system/*.rs` (and
// the v1 forms `.read`, `.write`, `.*`), decides what a set of scopes permits, and narrows a
// requested set to what a principal may hold. Pure: strings in, decisions out; knows nothing of
// tokens, accounts or SQL.

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

const PERMISSION_ORDER: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

export interface ResourceScope {
  context: ScopeContext;
  /** A resource type or `*`. */
  type: string;
  permissions: ReadonlySet<Permission>;
}

export interface Scopes {
  resources: readonly ResourceScope[];
  /** Every other scope granted: openid, fhirUser, profile, launch, launch/patient, offline_access, … */
  other: ReadonlySet<string>;
}

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)$/;

const V1_PERMISSIONS: Record<string, Permission[]> = {
  '*': ['c', 'r', 'u', 'd', 's'],
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
};

/**
 * One resource scope, or undefined when the text is not one (another kind of scope, a scope with a
 * fine-grained `?query`, which this server does not grant, or an empty permission string).
 */
export function parseResourceScope(text: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(text);
  if (!match) return undefined;
  const [, context, type, perms] = match as unknown as [string, ScopeContext, string, string];
  const permissions = V1_PERMISSIONS[perms] ?? ([...perms] as Permission[]);
  if (permissions.length === 0) return undefined;
  return { context, type, permissions: new Set(permissions) };
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

function formatScope(scope: ResourceScope): string {
  const perms = PERMISSION_ORDER.filter((p) => scope.permissions.has(p)).join('');
  return `${scope.context}/${scope.type}.${perms}`;
}

export function formatScopes(scopes: Scopes): string {
  return [...scopes.other, ...scopes.resources.map(formatScope)].join(' ');
}

/** Whether the scopes permit `permission` on `type` in any of the given contexts. */
export function allows(
  scopes: Scopes,
  type: string,
  permission: Permission,
  contexts: readonly ScopeContext[] = ['patient', 'user', 'system'],
): boolean {
  return scopes.resources.some(
    (s) =>
      contexts.includes(s.context) && (s.type === '*' || s.type === type) && s.permissions.has(permission),
  );
}

/** The resource types the scopes permit `permission` on: every type, or a finite set. */
export function permittedTypes(scopes: Scopes, permission: Permission): '*' | ReadonlySet<string> {
  const types = new Set<string>();
  for (const s of scopes.resources) {
    if (!s.permissions.has(permission)) continue;
    if (s.type === '*') return '*';
    types.add(s.type);
  }
  return types;
}

/**
 * What may actually be granted of `requested`: resource scopes only in the contexts the principal
 * may use and only with the permissions `ceiling` allows for that context and type; other scopes
 * only when listed in `otherAllowed`. Never returns more than was requested.
 */
export function narrowScopes(requested: Scopes, ceiling: Scopes, otherAllowed: ReadonlySet<string>): Scopes {
  const resources: ResourceScope[] = [];
  for (const want of requested.resources) {
    const granted = new Set<Permission>();
    for (const p of want.permissions) {
      const coveredForAll = ceiling.resources.some(
        (c) => c.context === want.context && c.type === '*' && c.permissions.has(p),
      );
      const coveredForType =
        want.type !== '*' &&
        ceiling.resources.some(
          (c) => c.context === want.context && c.type === want.type && c.permissions.has(p),
        );
      if (coveredForAll || coveredForType) granted.add(p);
    }
    if (granted.size > 0) resources.push({ ...want, permissions: granted });
  }
  const other = new Set([...requested.other].filter((s) => otherAllowed.has(s)));
  return { resources, other };
}
