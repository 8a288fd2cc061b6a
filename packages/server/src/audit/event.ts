// What an access is (AccessEvent, filled by the request paths) and the FHIR R4 AuditEvent recorded
// for it: one per chain key (patient, or the client for no patient's data) per call, merging the
// interactions that differ only in the resources they touched. Pure; never puts query strings,
// search values or resource content into a record.
import type { Principal } from '../auth/principal.ts';

export type AuditInteraction =
  'read' | 'vread' | 'search-type' | 'history' | 'create' | 'update' | 'patch' | 'delete' | 'operation';
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';
/** 0 success, 4 minor failure, 8 serious failure, 12 major failure (R4 audit-event-outcome). */
export type AuditOutcome = 0 | 4 | 8 | 12;
/** The caller as far as the audit trail needs it: a whole `Principal` fits. */
export type AuditActor = Pick<Principal, 'kind' | 'subject' | 'clientId'> &
  Partial<Pick<Principal, 'fhirUser' | 'organization' | 'role'>>;

export interface AccessEvent {
  /** The facility Patient id the access concerns; none for data that is no patient's. */
  patient?: string;
  interaction: AuditInteraction;
  /** Default from the interaction: create C; read, vread, search, history R; update, patch U; delete D; operation E. */
  action?: AuditAction;
  outcome: AuditOutcome;
  /** A v3 PurposeOfUse code (v3-ActReason), e.g. `TREAT`, `PATRQT`, `HOPERAT`. Break-glass records ETREAT. */
  purpose: string;
  /** Emergency access: recorded with purpose ETREAT and the BTG security label, flagged to the patient. */
  breakGlass?: boolean;
  /** The break-glass justification the caller gave (kept in purposeOfEvent.text). */
  reason?: string;
  actor: AuditActor;
  /** `Type/id` of each resource read or written that belongs to this patient (or to no patient). */
  resources: readonly string[];
  /** When the access happened; default: when recordAccess is called. */
  recorded?: Date;
}

/** A resource a request touched and the facility Patients whose compartments hold it. */
export interface TouchedResource {
  reference: string;
  patients: readonly string[];
}

/** At most this many resource references per AuditEvent; one more entity counts the rest. */
export const MAX_ENTITIES = 100;

const CLIENT_SYSTEM = 'urn:hoso:oauth-client';
const REST_TYPE = {
  system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  code: 'rest',
  display: 'RESTful Operation',
};
export const BREAK_GLASS_LABEL = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  code: 'BTG',
  display: 'break the glass',
};
const SOURCE = {
  site: 'Hồ Sơ',
  observer: { display: 'Hồ Sơ FHIR server' },
  type: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
      code: '4',
      display: 'Application Server',
    },
  ],
};
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const ENTITY_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';

const DEFAULT_ACTION: Record<AuditInteraction, AuditAction> = {
  read: 'R',
  vread: 'R',
  'search-type': 'R',
  history: 'R',
  create: 'C',
  update: 'U',
  patch: 'U',
  delete: 'D',
  operation: 'E',
};

/** Patient events are chained per facility Patient; the rest per OAuth client. */
/**
 * Accesses to no patient's data go into one of CLIENT_LANES chains of their client
 * (`Client/{id}/{lane}`), chosen per request, so a busy client's concurrent requests do not queue
 * behind one chain head (each head is locked until its transaction commits).
 */
export const CLIENT_LANES = 16;

export const chainKeyOf = (event: Pick<AccessEvent, 'patient' | 'actor'>, lane = 0) =>
  event.patient !== undefined ? `Patient/${event.patient}` : `Client/${event.actor.clientId}/${lane}`;

/**
 * One AccessEvent per patient a request's resources belong to (each listing only that patient's
 * resources), plus one for resources of no patient; `patients` adds patients the request concerned
 * even when nothing of theirs was returned (e.g. the target of `$everything`). With neither, one
 * patient-less event, so an empty search is still recorded (in the client's chain).
 */
export function eventsByPatient(
  base: Omit<AccessEvent, 'patient' | 'resources'>,
  touched: readonly TouchedResource[],
  patients: readonly string[] = [],
): AccessEvent[] {
  const byPatient = new Map<string | undefined, string[]>(patients.map((p) => [p, []]));
  for (const { reference, patients: owners } of touched) {
    for (const owner of owners.length > 0 ? owners : [undefined]) {
      const list = byPatient.get(owner) ?? [];
      list.push(reference);
      byPatient.set(owner, list);
    }
  }
  if (byPatient.size === 0) byPatient.set(undefined, []);
  return [...byPatient].map(([patient, resources]) => ({
    ...base,
    ...(patient !== undefined ? { patient } : {}),
    resources,
  }));
}

/** One record to append: its chain, the AuditEvent JSON and the copies the table indexes. */
export interface AuditRecord {
  chainKey: string;
  id: string;
  recorded: Date;
  breakGlass: boolean;
  content: string;
}

/**
 * Merges events that differ only in their resources (same chain, interaction, action, outcome,
 * purpose, break-glass and actor) and renders each group as an AuditEvent. Records of one chain
 * keep the order of their first event.
 */
export function auditRecords(
  events: readonly AccessEvent[],
  newId: () => string,
  now: Date,
  lane = 0,
): AuditRecord[] {
  const groups = new Map<string, { event: AccessEvent; resources: Set<string> }>();
  for (const event of events) {
    if (event.patient !== undefined && event.patient.length === 0) {
      throw new Error('an audit event names an empty patient id');
    }
    const key = JSON.stringify([
      chainKeyOf(event, lane),
      event.interaction,
      event.action ?? DEFAULT_ACTION[event.interaction],
      event.outcome,
      event.purpose,
      event.breakGlass ?? false,
      event.reason ?? null,
      actorFields(event.actor),
    ]);
    const group = groups.get(key);
    if (group) for (const r of event.resources) group.resources.add(r);
    else groups.set(key, { event, resources: new Set(event.resources) });
  }
  return [...groups.values()].map(({ event, resources }) => {
    const id = newId();
    const recorded = event.recorded ?? now;
    const breakGlass = event.breakGlass ?? false;
    const content = JSON.stringify(auditEvent(event, id, recorded, [...resources]));
    return { chainKey: chainKeyOf(event, lane), id, recorded, breakGlass, content };
  });
}

/**
 * The AuditEvent of one read by id, for the database to complete once it has the row
 * (audit_read, migration 52): `client` when the row is in no Patient's compartment, otherwise
 * `patient[0] + the Patient id + patient[1]` (`breakGlass` instead, under an emergency grant). A
 * Patient's own row is assumed to be in its own compartment only (`onlyPatient`); any other
 * compartment is left to auditRecords.
 */
export interface ReadRecordTemplate {
  id: string;
  recorded: Date;
  clientChain: string;
  client: string;
  patient: [string, string];
  /** Only for callers whose reads can be made under break-the-glass access. */
  breakGlass: [string, string] | null;
  onlyPatient: string | null;
}

export function readRecordTemplate(
  base: Omit<AccessEvent, 'patient' | 'resources' | 'breakGlass'>,
  reference: string,
  id: string,
  recorded: Date,
  lane: number,
  flaggable: boolean,
): ReadRecordTemplate {
  const [type, ownId] = reference.split('/') as [string, string];
  const onlyPatient = type === 'Patient' ? ownId : null;
  // A stand-in no id can equal ('*'), whose reference is the last one rendered: entities come last.
  const stand = onlyPatient ?? '*';
  const split = (breakGlass: boolean): [string, string] => {
    const text = JSON.stringify(
      auditEvent({ ...base, patient: stand, breakGlass, resources: [] }, id, recorded, [reference]),
    );
    const at = text.lastIndexOf(`"Patient/${stand}"`) + '"Patient/'.length;
    return [text.slice(0, at), text.slice(at + stand.length)];
  };
  return {
    id,
    recorded,
    clientChain: chainKeyOf(base, lane),
    client: JSON.stringify(auditEvent({ ...base, resources: [] }, id, recorded, [reference])),
    patient: split(false),
    breakGlass: flaggable ? split(true) : null,
    onlyPatient,
  };
}

const actorFields = (a: AuditActor) => [a.kind, a.subject, a.clientId, a.fhirUser, a.organization, a.role];

function auditEvent(event: AccessEvent, id: string, recorded: Date, resources: string[]) {
  const breakGlass = event.breakGlass ?? false;
  const purposeCode = breakGlass ? 'ETREAT' : event.purpose;
  return {
    resourceType: 'AuditEvent',
    id,
    ...(breakGlass ? { meta: { security: [BREAK_GLASS_LABEL] } } : {}),
    type: REST_TYPE,
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: event.interaction }],
    action: event.action ?? DEFAULT_ACTION[event.interaction],
    recorded: recorded.toISOString(),
    outcome: String(event.outcome),
    purposeOfEvent: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: purposeCode }],
        ...(event.reason !== undefined ? { text: event.reason } : {}),
      },
    ],
    agent: agents(event.actor),
    source: SOURCE,
    ...optionalList('entity', entities(event.patient, resources)),
  };
}

function agents(actor: AuditActor) {
  const client = { identifier: { system: CLIENT_SYSTEM, value: actor.clientId } };
  const person = actor.fhirUser !== undefined;
  return [
    {
      type: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type',
            code: actor.kind === 'system' ? 'dataprocessor' : 'humanuser',
          },
        ],
        text: actor.kind,
      },
      ...(actor.role !== undefined ? { role: [{ text: actor.role }] } : {}),
      who: person ? { reference: actor.fhirUser } : client,
      altId: actor.subject,
      requestor: true,
    },
    ...(person
      ? [
          {
            type: {
              coding: [
                {
                  system: 'http://dicom.nema.org/resources/ontology/DCM',
                  code: '110150',
                  display: 'Application',
                },
              ],
            },
            who: client,
            requestor: false,
          },
        ]
      : []),
    ...(actor.organization !== undefined
      ? [
          {
            type: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass',
                  code: 'PROV',
                  display: 'healthcare provider',
                },
              ],
            },
            who: { reference: `Organization/${actor.organization}` },
            requestor: false,
          },
        ]
      : []),
  ];
}

function entities(patient: string | undefined, resources: string[]) {
  const patientRef = patient !== undefined ? `Patient/${patient}` : undefined;
  const others = resources.filter((r) => r !== patientRef);
  const listed = others.slice(0, MAX_ENTITIES);
  return [
    ...(patientRef
      ? [
          {
            what: { reference: patientRef },
            type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
            role: { system: ENTITY_ROLE, code: '1', display: 'Patient' },
          },
        ]
      : []),
    // Only the reference: type and role codings would triple the record, and on PGlite every
    // kilobyte sent costs ~70 µs of CPU.
    ...listed.map((reference) => ({ what: { reference } })),
    ...(others.length > listed.length
      ? [{ description: `${others.length - listed.length} more resources not listed` }]
      : []),
  ];
}

/** FHIR forbids empty arrays (ele-1): the element is left out instead. */
const optionalList = <K extends string, T>(key: K, list: T[]) => (list.length > 0 ? { [key]: list } : {});

/** Break-glass events carry the BTG security label. */
export const isBreakGlass = (event: { meta?: unknown }): boolean =>
  (event.meta as { security?: { system?: unknown; code?: unknown }[] } | undefined)?.security?.some(
    (label) => label.system === BREAK_GLASS_LABEL.system && label.code === BREAK_GLASS_LABEL.code,
  ) ?? false;
