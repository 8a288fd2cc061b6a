// What a Consent provision covers besides its period: its actors, resource types (`class`),
// instances (`data`), data categories (`securityLabel`), purposes of use (`purpose`) and codes
// (`code`), each narrowed by the provision's ancestors (an exception never widens its parent). Where
// a provision restricts by something this server cannot evaluate (`dataPeriod`, an unknown label,
// class, data meaning, purpose or code system, an action other than reading), it keeps two
// approximations that fail closed: `inner`, the most a permit may be trusted to open (possibly
// nothing), and `outer`, the least a deny must be taken to close. Codes are found only where the
// search index looks, so they narrow what a permit opens and never what a deny closes. Pure: no
// I/O, no SQL.
import { type DataCategory, categoryOfSecurityLabel } from '../store/data-category.ts';

/** One restriction per dimension: null = unrestricted, [] = nothing matches. */
export interface Reach {
  actors: readonly string[] | null;
  categories: readonly DataCategory[] | null;
  types: readonly string[] | null;
  instances: readonly string[] | null;
  purposes: readonly string[] | null;
  /** `system|code` tokens, one of which the resource must contain. */
  codes: readonly string[] | null;
}

export interface Coverage {
  /** What a permit opens: contained in what the provision means; null when nothing can be trusted. */
  inner: Reach | null;
  /** What a deny closes: containing what the provision means. */
  outer: Reach;
}

interface Coding {
  system?: unknown;
  code?: unknown;
}
export interface Provision {
  type?: unknown;
  period?: { start?: unknown; end?: unknown };
  actor?: { reference?: { reference?: unknown } }[];
  securityLabel?: Coding[];
  class?: Coding[];
  data?: { meaning?: unknown; reference?: { reference?: unknown } }[];
  purpose?: Coding[];
  action?: { coding?: Coding[] }[];
  code?: { coding?: Coding[] }[];
  dataPeriod?: unknown;
  provision?: Provision[];
}

/** A reference a grant can name as its grantee. */
export const GRANTEE = /^(Organization|Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/;
const TOKEN_PART = /^[^|\s]{1,256}$/;
const INSTANCE = /^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}$/;
const RESOURCE_TYPES = 'http://hl7.org/fhir/resource-types';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const CONSENT_ACTION = 'http://terminology.hl7.org/CodeSystem/consentaction';
/** Consent actions that include reading the data (the only thing grants decide). */
const READING_ACTIONS = new Set(['access', 'use', 'disclose']);

export const UNRESTRICTED: Reach = {
  actors: null,
  categories: null,
  types: null,
  instances: null,
  purposes: null,
  codes: null,
};

/**
 * A restriction as listed: the entries understood, and whether some were not. Entries are
 * alternatives, so the understood ones are what can be trusted, and any unknown one means the
 * listed restriction cannot be bounded.
 */
interface Listed<T> {
  known: T[];
  unknown: boolean;
}

const nonEmpty = (value: unknown): value is unknown[] => Array.isArray(value) && value.length > 0;

function listed<E, T>(
  entries: readonly E[] | undefined,
  read: (entry: E) => T | undefined,
): Listed<T> | undefined {
  if (!nonEmpty(entries)) return undefined;
  const known = new Set<T>();
  let unknown = false;
  for (const entry of entries) {
    const value = read(entry);
    if (value === undefined) unknown = true;
    else known.add(value);
  }
  return { known: [...known].sort(), unknown };
}

const codeIn = (system: string, pattern: RegExp) => (c: Coding) =>
  c?.system === system && typeof c.code === 'string' && pattern.test(c.code) ? c.code : undefined;

const actorsOf = (p: Provision) =>
  listed(p.actor, (a) => {
    const ref = a?.reference?.reference;
    return typeof ref === 'string' && GRANTEE.test(ref) ? ref : undefined;
  });
const categoriesOf = (p: Provision) =>
  listed(p.securityLabel, (l) => categoryOfSecurityLabel(l?.system, l?.code));
const typesOf = (p: Provision) => listed(p.class, codeIn(RESOURCE_TYPES, /^[A-Z][A-Za-z]{1,63}$/));
/** The codes of `code` (alternatives); a concept with no usable coding is an unknown entry. */
const codesOf = (p: Provision) =>
  listed(
    (Array.isArray(p.code) ? p.code : []).flatMap((concept) =>
      Array.isArray(concept?.coding) && concept.coding.length > 0 ? concept.coding : [{}],
    ),
    (c: Coding) =>
      typeof c?.system === 'string' &&
      typeof c.code === 'string' &&
      TOKEN_PART.test(c.system) &&
      TOKEN_PART.test(c.code)
        ? `${c.system}|${c.code}`
        : undefined,
  );
const purposesOf = (p: Provision) => listed(p.purpose, codeIn(ACT_REASON, /^[A-Z][A-Z]{1,31}$/));

/**
 * The instances a provision names. `instance` is exactly the resource; `related` and `dependents`
 * also reach resources it refers to or that refer to it, which this server does not follow: it
 * trusts them for the named resource only and cannot bound them.
 */
function instancesOf(p: Provision): { inner: Listed<string>; outer: Listed<string> } | undefined {
  const named = (meanings: readonly string[]) =>
    listed(p.data, (d) => {
      const ref = d?.reference?.reference;
      return meanings.includes(d?.meaning as string) && typeof ref === 'string' && INSTANCE.test(ref)
        ? ref
        : undefined;
    });
  const inner = named(['instance', 'related', 'dependents']);
  const outer = named(['instance']);
  return inner && outer ? { inner, outer } : undefined;
}

/** Whether the provision restricts by something never evaluated here (nothing can be trusted). */
function opaque(p: Provision): boolean {
  const reads = (a: { coding?: Coding[] }) =>
    Array.isArray(a?.coding) &&
    a.coding.some((c) => c?.system === CONSENT_ACTION && READING_ACTIONS.has(c.code as string));
  return p.dataPeriod !== undefined || (nonEmpty(p.action) && !p.action.some(reads));
}

/** Both restrictions at once (null = unrestricted). */
function meet<T>(a: readonly T[] | null, b: readonly T[] | null): readonly T[] | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.filter((x) => b.includes(x));
}

/** The trusted part of a listed restriction (null = unrestricted). */
const trusted = <T>(l: Listed<T> | undefined) => (l ? l.known : null);
/** The bound of a listed restriction (null = unbounded). */
const bound = <T>(l: Listed<T> | undefined) => (l && !l.unknown ? l.known : null);

/**
 * What a provision covers within its parent's coverage. A row has one type, one id and a caller
 * reads for one purpose, so those restrictions meet exactly in both approximations. A row may have
 * several categories and codes and a caller several identities (facility and practitioner), so a
 * permit keeps their intersection and a deny the provision's own bound rather than an intersection
 * that could miss rows.
 */
export function narrow(parent: Coverage, p: Provision): Coverage {
  const actors = actorsOf(p);
  const categories = categoriesOf(p);
  const types = typesOf(p);
  const purposes = purposesOf(p);
  const instances = instancesOf(p);
  const codes = codesOf(p);
  const outer: Reach = {
    actors: bound(actors) ?? parent.outer.actors,
    categories: bound(categories) ?? parent.outer.categories,
    types: meet(parent.outer.types, bound(types)),
    instances: meet(parent.outer.instances, bound(instances?.outer)),
    purposes: meet(parent.outer.purposes, bound(purposes)),
    codes: null,
  };
  if (!parent.inner || opaque(p)) return { inner: null, outer };
  const inner: Reach = {
    actors: meet(parent.inner.actors, trusted(actors)),
    categories: meet(parent.inner.categories, trusted(categories)),
    types: meet(parent.inner.types, trusted(types)),
    instances: meet(parent.inner.instances, trusted(instances?.inner)),
    purposes: meet(parent.inner.purposes, trusted(purposes)),
    codes: meet(parent.inner.codes, trusted(codes)),
  };
  return { inner, outer };
}
