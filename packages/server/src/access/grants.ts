// Turns the resources that open or close access to a patient's record into grant rows: Consent
// (permit or deny a facility or practitioner, for a period, optionally for data categories, with
// nested exceptions) and referrals (an active ServiceRequest of category "Patient referral" opens
// the patient's record to the receiving facility for the referral's period). Pure: resource in,
// rows out; the store keeps the rows (access/grant-store.ts) and the policy queries them.
import { dateRange } from '@hoso/fhir/search/date-range';
import { type DataCategory, categoryOfSecurityLabel } from '../store/data-category.ts';
import type { Resource } from '../store/model.ts';

export type GrantEffect = 'permit' | 'deny' | 'emergency';

export interface Grant {
  /** The Patient id the grant is about: a facility record or a golden (person) id. */
  patient: string;
  /** `Organization/{id}`, `Practitioner/{id}` or `PractitionerRole/{id}`. */
  grantee: string;
  effect: GrantEffect;
  /** First instant covered (ISO, UTC) or null for "since always". */
  start: string | null;
  /** Last instant covered (inclusive, ISO, UTC) or null for "until revoked". */
  end: string | null;
  /** The data categories the grant covers; empty = all data. */
  categories: DataCategory[];
}

const REFERRAL_CODING = { system: 'http://snomed.info/sct', code: '3457005' };
const GRANTEE = /^(Organization|Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/;
const PATIENT = /^Patient\/([A-Za-z0-9\-.]{1,64})$/;

interface Reference {
  reference?: unknown;
}
interface Period {
  start?: unknown;
  end?: unknown;
}
interface Provision {
  type?: unknown;
  period?: Period;
  actor?: { reference?: Reference }[];
  securityLabel?: { system?: unknown; code?: unknown }[];
  provision?: Provision[];
}

const patientOf = (ref: Reference | undefined) =>
  typeof ref?.reference === 'string' ? PATIENT.exec(ref.reference)?.[1] : undefined;

function bounds(period: Period | undefined): { start: string | null; end: string | null } {
  const start = typeof period?.start === 'string' ? (dateRange(period.start)?.start ?? null) : null;
  const end = typeof period?.end === 'string' ? (dateRange(period.end)?.end ?? null) : null;
  return { start, end };
}

/** The later of two starts and the earlier of two ends: a nested provision never outlives its parent. */
function within(outer: { start: string | null; end: string | null }, inner: Period | undefined) {
  const own = bounds(inner);
  const start =
    [outer.start, own.start]
      .filter((s): s is string => s !== null)
      .sort()
      .pop() ?? null;
  const end = [outer.end, own.end].filter((s): s is string => s !== null).sort()[0] ?? null;
  return { start, end };
}

function actorsOf(provision: Provision): string[] {
  return (provision.actor ?? [])
    .map((a) => a.reference?.reference)
    .filter((r): r is string => typeof r === 'string' && GRANTEE.test(r));
}

function categoriesOf(provision: Provision): DataCategory[] {
  const found = new Set<DataCategory>();
  for (const label of provision.securityLabel ?? []) {
    const category = categoryOfSecurityLabel(label.system, label.code);
    if (category) found.add(category);
  }
  return [...found].sort();
}

function consentGrants(consent: Resource): Grant[] {
  if (consent.status !== 'active') return [];
  const patient = patientOf(consent.patient as Reference | undefined);
  const root = consent.provision as Provision | undefined;
  if (!patient || !root) return [];
  const grants: Grant[] = [];
  const visit = (
    provision: Provision,
    inherited: { effect: GrantEffect; actors: string[]; start: string | null; end: string | null },
  ) => {
    const effect: GrantEffect =
      provision.type === 'deny' || provision.type === 'permit' ? provision.type : inherited.effect;
    const own = actorsOf(provision);
    const actors = own.length > 0 ? own : inherited.actors;
    const { start, end } = within(inherited, provision.period);
    const categories = categoriesOf(provision);
    const labelled = (provision.securityLabel ?? []).length > 0;
    // A provision restricted to labels this server does not classify covers nothing it can name.
    if (!(labelled && categories.length === 0)) {
      for (const grantee of actors) grants.push({ patient, grantee, effect, start, end, categories });
    }
    for (const child of provision.provision ?? []) visit(child, { effect, actors, start, end });
  };
  visit(root, { effect: 'deny', actors: [], start: null, end: null });
  return grants;
}

function isReferral(request: Resource): boolean {
  const categories = (request.category ?? []) as { coding?: { system?: unknown; code?: unknown }[] }[];
  return categories.some((c) =>
    (c.coding ?? []).some((k) => k.system === REFERRAL_CODING.system && k.code === REFERRAL_CODING.code),
  );
}

function referralGrants(request: Resource): Grant[] {
  if (request.status !== 'active' || !isReferral(request)) return [];
  const patient = patientOf(request.subject as Reference | undefined);
  if (!patient) return [];
  const { start, end } = bounds(request.occurrencePeriod as Period | undefined);
  const performers = ((request.performer ?? []) as Reference[])
    .map((p) => p.reference)
    .filter((r): r is string => typeof r === 'string' && GRANTEE.test(r));
  return performers.map((grantee) => ({ patient, grantee, effect: 'permit', start, end, categories: [] }));
}

/** The grants a resource opens or closes; empty for every other resource. */
export function grantsOf(resource: Resource): Grant[] {
  if (resource.resourceType === 'Consent') return consentGrants(resource);
  if (resource.resourceType === 'ServiceRequest') return referralGrants(resource);
  return [];
}

/** Whether writing a resource of this type can change grants (so other writes skip the grant store). */
export const GRANTING_TYPES: ReadonlySet<string> = new Set(['Consent', 'ServiceRequest']);
