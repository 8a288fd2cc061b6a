// Hand-compiled FHIR R4 invariants: for a chosen set of constraint keys, a JavaScript predicate
// equivalent to the constraint's FHIRPath expression (which, with its severity and human text, comes
// from the definitions). A general FHIRPath engine costs ~1 ms per resource, too slow for every
// write; these cost nanoseconds. test/validator-invariants.test.ts checks each predicate against
// fhirpath.js on the published expression. Predicates are pure and never throw on odd shapes
// (structure errors are reported elsewhere): when unsure they return true (constraint satisfied).
// Structural core invariants (ele-1, dom-2..5, ref-1, txt-1/2) live in the walker, not here.

type Json = Record<string, unknown>;
/** `node` is the object carrying the constraint, `resource` the resource it is in (%resource). */
export type InvariantPredicate = (node: Json, resource: Json) => boolean;

const has = (v: unknown): boolean => v !== undefined && v !== null;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : has(v) ? [v] : []);
const objects = (v: unknown): Json[] => list(v).filter((x): x is Json => obj(x) !== undefined);
const codings = (cc: unknown): Json[] => objects(obj(cc)?.coding);
const hasCoding = (cc: unknown, system: string, codes: readonly string[]): boolean =>
  codings(cc).some((c) => c.system === system && codes.includes(c.code as string));
/** True if any property `base` + type suffix is present (a choice element such as value[x]). */
const hasChoice = (node: Json, base: string): boolean =>
  Object.keys(node).some(
    (k) => k.startsWith(base) && k.length > base.length && /^[A-Z]/.test(k.slice(base.length)),
  );

/** Compares two FHIR date/dateTime/instant strings; undefined when FHIRPath would say "unknown". */
function compareDates(a: string, b: string): number | undefined {
  if (a.includes('T') && b.includes('T')) {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    return Number.isNaN(ta) || Number.isNaN(tb) ? undefined : Math.sign(ta - tb);
  }
  const n = Math.min(a.length, b.length, 10);
  const pa = a.slice(0, n);
  const pb = b.slice(0, n);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.length === b.length ? 0 : undefined;
}

/** Compares two Quantities when they share a unit (no UCUM conversion); undefined otherwise. */
function compareQuantities(a: Json, b: Json): number | undefined {
  if (typeof a.value !== 'number' || typeof b.value !== 'number') return undefined;
  if ((a.code ?? a.unit) !== (b.code ?? b.unit) || a.system !== b.system) return undefined;
  return Math.sign(a.value - b.value);
}

const UCUM = 'http://unitsofmeasure.org';
const CHOICE_OR_TYPED_ITEMS = [
  'choice',
  'open-choice',
  'decimal',
  'integer',
  'date',
  'dateTime',
  'time',
  'string',
  'quantity',
];
const MAX_LENGTH_ITEMS = ['boolean', 'decimal', 'integer', 'string', 'text', 'url', 'open-choice'];
const CONDITION_VER = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const ALLERGY_VER = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const conditionErased = (n: Json) => hasCoding(n.verificationStatus, CONDITION_VER, ['entered-in-error']);
const allergyErased = (n: Json) => hasCoding(n.verificationStatus, ALLERGY_VER, ['entered-in-error']);

/** FHIRPath `intersect` compares Codings by value: every property counts. */
const codingKey = (c: Json): string =>
  [c.system, c.version, c.code, c.display, c.userSelected, c.id].map((v) => String(v ?? '')).join('|');

const entries = (n: Json): Json[] => objects(n.entry);

/**
 * Implemented invariants, by where the constraint is declared (a type, resource or backbone path, or
 * a typed element's path) and its key: keys alone are not unique (Parameters, Task and TestReport
 * each have an unrelated inv-1).
 */
export const invariants: Readonly<Record<string, InvariantPredicate>> = {
  // Data types
  'Period per-1': (n) =>
    typeof n.start !== 'string' || typeof n.end !== 'string' || compareDates(n.start, n.end) !== 1,
  'Range rng-2': (n) => {
    const low = obj(n.low);
    const high = obj(n.high);
    return !low || !high || compareQuantities(low, high) !== 1;
  },
  'Ratio rat-1': (n) => has(n.numerator) === has(n.denominator) && (has(n.numerator) || has(n.extension)),
  'Quantity qty-3': (n) => !has(n.code) || has(n.system),
  'ContactPoint cpt-2': (n) => !has(n.value) || has(n.system),
  'Attachment att-1': (n) => !has(n.data) || has(n.contentType),
  'Extension ext-1': (n) => has(n.extension) !== hasChoice(n, 'value'),
  'Timing.repeat tim-1': (n) => !has(n.duration) || has(n.durationUnit),
  'Timing.repeat tim-2': (n) => !has(n.period) || has(n.periodUnit),
  'Timing.repeat tim-4': (n) => typeof n.duration !== 'number' || n.duration >= 0,
  'Timing.repeat tim-5': (n) => typeof n.period !== 'number' || n.period >= 0,
  'Timing.repeat tim-6': (n) => !has(n.periodMax) || has(n.period),
  'Timing.repeat tim-7': (n) => !has(n.durationMax) || has(n.duration),
  'Timing.repeat tim-8': (n) => !has(n.countMax) || has(n.count),
  'Timing.repeat tim-10': (n) => !has(n.timeOfDay) || !has(n.when),
  'Age age-1': (n) =>
    (has(n.code) || !has(n.value)) &&
    (!has(n.system) || n.system === UCUM) &&
    (typeof n.value !== 'number' || n.value > 0),
  'Count cnt-3': (n) =>
    (has(n.code) || !has(n.value)) &&
    (!has(n.system) || n.system === UCUM) &&
    (!has(n.code) || n.code === '1') &&
    (typeof n.value !== 'number' || Number.isInteger(n.value)),
  'Distance dis-1': (n) => (has(n.code) || !has(n.value)) && (!has(n.system) || n.system === UCUM),
  'Duration drt-1': (n) => !has(n.code) || (n.system === UCUM && has(n.value)),
  'Timing.repeat tim-9': (n) =>
    !has(n.offset) ||
    (has(n.when) && !list(n.when).some((w) => ['C', 'CM', 'CD', 'CV'].includes(w as string))),
  // Observation
  'Observation.referenceRange obs-3': (n) => has(n.low) || has(n.high) || has(n.text),
  'Observation obs-6': (n) => !has(n.dataAbsentReason) || !hasChoice(n, 'value'),
  'Observation obs-7': (n, r) => {
    if (!hasChoice(n, 'value')) return true;
    const own = new Set(codings(r.code).map(codingKey));
    return !list(n.component).some((comp) => codings(obj(comp)?.code).some((c) => own.has(codingKey(c))));
  },
  // Patient, Organization
  'Patient.contact pat-1': (n) => has(n.name) || has(n.telecom) || has(n.address) || has(n.organization),
  'Organization org-1': (n) => has(n.identifier) || has(n.name),
  'Organization.address org-2': (n) => n.use !== 'home',
  'Organization.telecom org-3': (n) => n.use !== 'home',
  // Condition, AllergyIntolerance
  'Condition.stage con-1': (n) => has(n.summary) || has(n.assessment),
  'Condition.evidence con-2': (n) => has(n.code) || has(n.detail),
  // The published expression compares the CodeableConcept itself with 'problem-list-item' (an R4
  // typo, fixed in R5 as category.coding.code): implemented as intended, so it differs from fhirpath.
  'Condition con-3': (n) =>
    has(n.clinicalStatus) ||
    conditionErased(n) ||
    !list(n.category).some((cc) => codings(cc).some((c) => c.code === 'problem-list-item')),
  'Condition con-4': (n) =>
    !hasChoice(n, 'abatement') ||
    hasCoding(n.clinicalStatus, CONDITION_CLINICAL, ['resolved', 'remission', 'inactive']),
  'Condition con-5': (n) => !conditionErased(n) || !has(n.clinicalStatus),
  'AllergyIntolerance ait-1': (n) => allergyErased(n) || has(n.clinicalStatus),
  'AllergyIntolerance ait-2': (n) => !allergyErased(n) || !has(n.clinicalStatus),
  // Bundle
  'Bundle bdl-1': (n) => !has(n.total) || n.type === 'searchset' || n.type === 'history',
  'Bundle bdl-2': (n) => n.type === 'searchset' || entries(n).every((e) => !has(e.search)),
  'Bundle bdl-3': (n) => {
    const want = n.type === 'batch' || n.type === 'transaction' || n.type === 'history';
    return entries(n).every((e) => has(e.request) === want);
  },
  'Bundle bdl-4': (n) => {
    const want = n.type === 'batch-response' || n.type === 'transaction-response' || n.type === 'history';
    return entries(n).every((e) => has(e.response) === want);
  },
  'Bundle.entry bdl-5': (n) => has(n.resource) || has(n.request) || has(n.response),
  'Bundle.entry bdl-8': (n) => typeof n.fullUrl !== 'string' || !n.fullUrl.includes('/_history/'),
  'Bundle bdl-7': (n) => {
    if (n.type === 'history') return true;
    const seen = new Set<string>();
    for (const e of entries(n)) {
      if (!has(e.fullUrl)) continue;
      const key = `${String(e.fullUrl)}|${String(obj(obj(e.resource)?.meta)?.versionId ?? '')}`;
      if (seen.has(key)) return false;
      seen.add(key);
    }
    return true;
  },
  'Bundle bdl-9': (n) =>
    n.type !== 'document' || (has(obj(n.identifier)?.system) && has(obj(n.identifier)?.value)),
  'Bundle bdl-10': (n) => n.type !== 'document' || typeof n.timestamp === 'string',
  'Bundle bdl-11': (n) =>
    n.type !== 'document' || obj(entries(n)[0]?.resource)?.resourceType === 'Composition',
  'Bundle bdl-12': (n) =>
    n.type !== 'message' || obj(entries(n)[0]?.resource)?.resourceType === 'MessageHeader',
  // Scheduling, orders and workflow (teleconsultation, referral)
  'Appointment app-2': (n) => has(n.start) === has(n.end),
  'Appointment app-3': (n) =>
    (has(n.start) && has(n.end)) || ['proposed', 'cancelled', 'waitlist'].includes(n.status as string),
  'Appointment app-4': (n) => !has(n.cancelationReason) || n.status === 'noshow' || n.status === 'cancelled',
  'Appointment.participant app-1': (n) => has(n.type) || has(n.actor),
  'AppointmentResponse apr-1': (n) => has(n.participantType) || has(n.actor),
  'ServiceRequest prr-1': (n) => !has(n.orderDetail) || has(n.code),
  'Task inv-1': (n) =>
    typeof n.lastModified !== 'string' ||
    typeof n.authoredOn !== 'string' ||
    compareDates(n.lastModified, n.authoredOn) !== -1,
  'CarePlan.activity cpl-3': (n) => !has(n.detail) || !has(n.reference),
  'Goal.target gol-1': (n) => !hasChoice(n, 'detail') || has(n.measure),
  'Consent ppc-1': (n) => has(n.policy) || has(n.policyRule),
  // Medication
  'MedicationAdministration.dosage mad-1': (n) => has(n.dose) || hasChoice(n, 'rate'),
  'MedicationDispense mdd-1': (n) =>
    typeof n.whenHandedOver !== 'string' ||
    typeof n.whenPrepared !== 'string' ||
    compareDates(n.whenHandedOver, n.whenPrepared) !== -1,
  'ImmunizationRecommendation.recommendation imr-1': (n) => has(n.vaccineCode) || has(n.targetDisease),
  // Questionnaire items (kiosk and intake forms)
  'Questionnaire.item que-1': (n) =>
    (n.type !== 'group' || has(n.item)) && (n.type !== 'display' || !has(n.item)),
  'Questionnaire.item que-3': (n) => n.type !== 'display' || !has(n.code),
  'Questionnaire.item que-4': (n) => !has(n.answerOption) || !has(n.answerValueSet),
  'Questionnaire.item que-5': (n) =>
    CHOICE_OR_TYPED_ITEMS.includes(n.type as string) || (!has(n.answerValueSet) && !has(n.answerOption)),
  'Questionnaire.item que-6': (n) => n.type !== 'display' || (!has(n.required) && !has(n.repeats)),
  'Questionnaire.item que-8': (n) => (n.type !== 'group' && n.type !== 'display') || !has(n.initial),
  'Questionnaire.item que-9': (n) => n.type !== 'display' || !has(n.readOnly),
  'Questionnaire.item que-10': (n) => MAX_LENGTH_ITEMS.includes(n.type as string) || !has(n.maxLength),
  'Questionnaire.item que-11': (n) => !has(n.answerOption) || !has(n.initial),
  'Questionnaire.item que-13': (n) => n.repeats === true || list(n.initial).length <= 1,
  // Others that guard common clinical content
  'Immunization.education imm-1': (n) => has(n.documentType) || has(n.reference),
  'QuestionnaireResponse.item qrs-1': (n) => !(has(n.answer) && has(n.item)),
  'Composition.section cmp-1': (n) => has(n.text) || has(n.entry) || has(n.section),
  'Composition.section cmp-2': (n) => !has(n.emptyReason) || !has(n.entry),
  'Parameters.parameter inv-1': (n) => {
    const value = hasChoice(n, 'value');
    const resource = has(n.resource);
    return has(n.part) ? !value && !resource : value !== resource;
  },
};
