// Which scopes a token may carry: the requested scopes narrowed to what the kind of principal may
// hold and to what the client is registered for. Asking for more silently yields less, never more.
// Pure: no accounts, no SQL, no tokens.
import type { PrincipalKind } from './principal.ts';
import { type ResourceScope, type Scopes, narrowScopes, parseScopes, queryOf } from '../access/scopes.ts';

const IDENTITY = ['openid', 'fhirUser', 'profile', 'offline_access'];

interface Ceiling {
  resources: Scopes;
  other: ReadonlySet<string>;
}

const CEILINGS: Record<PrincipalKind, Ceiling> = {
  // Patients read and search their own record and manage their consents; they do not write clinical data.
  patient: {
    resources: parseScopes('patient/*.rs patient/Consent.cud'),
    other: new Set([...IDENTITY, 'launch/patient']),
  },
  practitioner: { resources: parseScopes('user/*.cruds'), other: new Set(IDENTITY) },
  analyst: { resources: parseScopes('user/*.rs'), other: new Set(IDENTITY) },
  admin: { resources: parseScopes('user/*.cruds system/*.cruds'), other: new Set(IDENTITY) },
  // Facility systems: system/ scopes, further limited by their registration.
  system: { resources: parseScopes('system/*.cruds'), other: new Set() },
};

/**
 * `scopes` with each wildcard request also asked for every type (and query) the bound names in that
 * context, so `system/*.rs` against a registration for `system/Observation.rs` narrows to the latter.
 */
function expandWildcards(scopes: Scopes, bound: Scopes): Scopes {
  const expanded = scopes.resources.flatMap((want) =>
    want.type !== '*'
      ? [want]
      : [
          want,
          ...bound.resources
            .filter((b) => b.context === want.context && b.type !== '*')
            .map((b) => ({ ...want, type: b.type, ...(b.filters ? { filters: b.filters } : {}) })),
        ],
  );
  return { resources: expanded, other: scopes.other };
}

/**
 * One scope per context, type and query, with the union of their permissions, and without scopes a
 * wildcard of the same context already covers.
 */
function merge(scopes: Scopes): Scopes {
  const byKey = new Map<string, ResourceScope>();
  for (const s of scopes.resources) {
    const key = `${s.context}/${s.type}?${queryOf(s)}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...s, permissions: new Set([...seen.permissions, ...s.permissions]) } : s);
  }
  const covered = (s: ResourceScope) => {
    const wildcard = byKey.get(`${s.context}/*?`);
    return s.type !== '*' && !!wildcard && [...s.permissions].every((p) => wildcard.permissions.has(p));
  };
  return { resources: [...byKey.values()].filter((s) => !covered(s)), other: scopes.other };
}

/**
 * The scopes to grant: `requested` within the principal kind's ceiling and the client's registered
 * scopes. Undefined when nothing of a resource scope remains (the caller answers invalid_scope).
 */
export function grantScopes(
  requested: string,
  kind: PrincipalKind,
  clientScopes: string,
): Scopes | undefined {
  const ceiling = CEILINGS[kind];
  const client = parseScopes(clientScopes);
  const byKind = narrowScopes(parseScopes(requested), ceiling.resources, ceiling.other);
  const granted = merge(narrowScopes(expandWildcards(byKind, client), client, client.other));
  return granted.resources.length > 0 ? granted : undefined;
}

/** `requested` narrowed to a scope set already granted (a refresh asking for a subset). */
export function narrowToGranted(requested: string, granted: string): Scopes | undefined {
  const held = parseScopes(granted);
  const narrowed = narrowScopes(parseScopes(requested), held, held.other);
  return narrowed.resources.length > 0 ? narrowed : undefined;
}
