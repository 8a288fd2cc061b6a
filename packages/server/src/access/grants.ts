// Turns the resources that open or close access to a patient's record into grant rows: Consent
// (permit or deny a facility or practitioner, for a period, optionally for data categories, resource
// types, resources, purposes of use and codes, with nested exceptions — what each provision covers is
// decided by access/provision.ts) and referrals (an active ServiceRequest of category "Patient
// referral" opens the patient's record to the receiving facility for the referral's period). Pure:
// resource in, rows out; the store keeps the rows (access/grant-store.ts) and the policy queries them.
import { dateRange } from '@hoso/fhir/search/date-range';
import type { DataCategory } from '../store/data-category.ts';
import type { Resource } from '../store/model.ts';
import { type Coverage, GRANTEE, type Provision, UNRESTRICTED, narrow } from './provision.ts';

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
  /** The resource types the grant covers; empty = every type. */
  types: string[];
  /** The resources (`Type/id`) the grant covers; empty = every resource. */
  instances: string[];
  /** The purposes of use (v3 ActReason codes) the grant applies to; empty = any purpose. */
  purposes: string[];
  /** `system|code` tokens, one of which a covered resource contains (search index); empty = any. */
  codes: string[];
}

const REFERRAL_CODING = { system: 'http://snomed.info/sct', code: '3457005' };
const PATIENT = /^Patient\/([A-Za-z0-9\-.]{1,64})$/;

interface Reference {
  reference?: unknown;
}
interface Period {
  start?: unknown;
  end?: unknown;
}
interface Span {
  start: string | null;
  end: string | null;
}

const patientOf = (ref: Reference | undefined) =>
  typeof ref?.reference === 'string' ? PATIENT.exec(ref.reference)?.[1] : undefined;

function bounds(period: Period | undefined): Span {
  const start = typeof period?.start === 'string' ? (dateRange(period.start)?.start ?? null) : null;
  const end = typeof period?.end === 'string' ? (dateRange(period.end)?.end ?? null) : null;
  return { start, end };
}

/** The later of two starts and the earlier of two ends: a nested provision never outlives its parent. */
function within(outer: Span, inner: Period | undefined): Span {
  const own = bounds(inner);
  const start =
    [outer.start, own.start]
      .filter((s): s is string => s !== null)
      .sort()
      .pop() ?? null;
  const end = [outer.end, own.end].filter((s): s is string => s !== null).sort()[0] ?? null;
  return { start, end };
}

/**
 * The rows of one provision: a permit opens what can be trusted of it, a deny closes all it may
 * mean. Rows name their grantees, so a provision for everyone (no actor) yields none; a restriction
 * that matches nothing yields none.
 */
function rowsOf(patient: string, effect: 'permit' | 'deny', span: Span, coverage: Coverage): Grant[] {
  const reach = effect === 'permit' ? coverage.inner : coverage.outer;
  if (!reach || !reach.actors) return [];
  const { categories, types, instances, purposes, codes } = reach;
  if ([categories, types, instances, purposes, codes].some((r) => r !== null && r.length === 0)) return [];
  return reach.actors.map((grantee) => ({
    patient,
    grantee,
    effect,
    ...span,
    categories: [...(categories ?? [])],
    types: [...(types ?? [])],
    instances: [...(instances ?? [])],
    purposes: [...(purposes ?? [])],
    codes: [...(codes ?? [])],
  }));
}

function consentGrants(consent: Resource): Grant[] {
  if (consent.status !== 'active') return [];
  const patient = patientOf(consent.patient as Reference | undefined);
  const root = consent.provision as Provision | undefined;
  if (!patient || !root) return [];
  const grants: Grant[] = [];
  const visit = (
    provision: Provision,
    inherited: { effect: 'permit' | 'deny'; span: Span; coverage: Coverage },
  ) => {
    const effect =
      provision.type === 'deny' || provision.type === 'permit' ? provision.type : inherited.effect;
    const span = within(inherited.span, provision.period);
    const coverage = narrow(inherited.coverage, provision);
    grants.push(...rowsOf(patient, effect, span, coverage));
    const children = Array.isArray(provision.provision) ? provision.provision : [];
    for (const child of children) visit(child, { effect, span, coverage });
  };
  const everything = { inner: UNRESTRICTED, outer: UNRESTRICTED };
  visit(root, { effect: 'deny', span: { start: null, end: null }, coverage: everything });
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
  return performers.map((grantee) => ({
    patient,
    grantee,
    effect: 'permit',
    start,
    end,
    categories: [],
    types: [],
    instances: [],
    purposes: [],
    codes: [],
  }));
}

/** The grants a resource opens or closes; empty for every other resource. */
export function grantsOf(resource: Resource): Grant[] {
  if (resource.resourceType === 'Consent') return consentGrants(resource);
  if (resource.resourceType === 'ServiceRequest') return referralGrants(resource);
  return [];
}

/** Whether writing a resource of this type can change grants (so other writes skip the grant store). */
export const GRANTING_TYPES: ReadonlySet<string> = new Set(['Consent', 'ServiceRequest']);
