// The access policy: one component deciding, for every read and write of every caller, what may be
// seen and changed — from the token's scopes, the caller's kind and facility, the patient's Consent
// grants, active referrals and break-the-glass access. Reads become SQL conditions that every query
// (search, includes, chains, `_has`, history, `$everything`, reads) ANDs in, so what a caller may not
// see is filtered out, never reported as forbidden, and never counted. Writes are checked as a
// batch inside their transaction. It does not authenticate (auth/) and does not audit (audit/).
import type { Queryable } from '../db/database.ts';
import { type Sql, or, raw, sql } from '../db/sql.ts';
import { FhirError } from '../errors.ts';
import type { Principal, PrincipalKind } from '../auth/principal.ts';
import type { AccessContext, AccessPolicy, PlannedWrite } from '../store/model.ts';
import { syncGrants } from './grant-store.ts';
import { hasAnyCode } from './index-match.ts';
import { PURPOSE_OF_USE } from './purpose.ts';
import { relatedIds } from './related.ts';
import { filteredRead } from './scope-filter.ts';
import { type Permission, type ScopeContext, allows, filteredTypes, permittedTypes } from './scopes.ts';

/** The scope contexts each kind of caller may use. */
const CONTEXTS: Record<PrincipalKind, readonly ScopeContext[]> = {
  patient: ['patient'],
  practitioner: ['user', 'patient'],
  system: ['system'],
  analyst: ['user'],
  admin: ['user', 'system', 'patient'],
};

const SENSITIVE_CATEGORIES = ['hiv', 'mental-health', 'reproductive', 'substance-use', 'violence'];
/** Types that identify a person directly: analysts never see them. */
const IDENTIFYING_TYPES = ['Patient', 'Person', 'RelatedPerson'];

const forbidden = (diagnostics: string) => FhirError.of(403, 'forbidden', diagnostics);

/** Every Patient id a person's records go by: the id itself, its person and that person's records. */
export function personRecords(patient: string): Sql {
  return sql`ARRAY(SELECT ${patient}::text
     UNION SELECT m.patient_id FROM mpi_record m
      WHERE m.person_id = ${patient} OR m.person_id = (SELECT person_id FROM mpi_record WHERE patient_id = ${patient}))`;
}

export const grantees = (p: Principal): string[] => [
  ...(p.organization ? [`Organization/${p.organization}`] : []),
  ...(p.fhirUser?.startsWith('Practitioner') ? [p.fhirUser] : []),
];

/**
 * Whether one of the row's compartment ids is among `ids` (an uncorrelated query), in a form the
 * planner can run either way: `ids` hashed once per query and probed per row when the set is small,
 * or an index probe per compartment id when it is large. The correlated `EXISTS` it replaces could
 * only scan the whole set for every row (docs/BENCHMARKS.md, "Access policy and audit").
 */
const compartmentIn = (a: string, ids: Sql) =>
  sql`EXISTS (SELECT 1 FROM unnest(${raw(a)}.compartment) AS c(id) WHERE c.id IN (${ids}))`;

/**
 * Whether row `a` is in the record of a Patient the facility `org` manages (Patient.managingOrganization).
 * For a set of rows, the facility's patients as one set (see compartmentIn). For one row, each of its
 * compartment Patients' own reference rows instead (the OFFSET 0 fence keeps the probe on the
 * (type, id) index): a facility's whole patient list costs 0.44 ms to hash for 196 patients, and
 * grows with the facility, where the probe reads a handful of rows.
 */
const managedBy = (org: string | null, a: string, rows: 'one' | 'set' = 'set') =>
  rows === 'one'
    ? sql`EXISTS (SELECT 1 FROM unnest(${raw(a)}.compartment) AS c(id) CROSS JOIN LATERAL (
         SELECT x.param, x.target_type, x.target_id FROM idx_reference x
          WHERE x.type = 'Patient' AND x.id = c.id OFFSET 0) x
        WHERE x.param = 'organization' AND x.target_type = 'Organization' AND x.target_id = ${org}::text)`
    : compartmentIn(
        a,
        sql`SELECT x.id FROM idx_reference x WHERE x.target_id = ${org}::text AND x.type = 'Patient'
          AND x.param = 'organization' AND x.target_type = 'Organization'`,
      );

/**
 * Staff (a practitioner, or a facility's system) see non-patient data, their facility's patients'
 * data, and other data their grants open: emergency access wins, then a deny covering the row (its
 * categories, type, id, codes, and the caller's purpose of use), then a permit covering it; without
 * a grant, only what their facility recorded or manages.
 */
function staffRule(p: Principal, a: string, rows: 'one' | 'set' = 'set'): Sql {
  const org = p.organization ?? null;
  const who = grantees(p);
  const verdict = sql`(SELECT CASE
        WHEN bool_or(g.effect = 'emergency') THEN TRUE
        WHEN bool_or(g.effect = 'deny') THEN FALSE
        WHEN bool_or(g.effect = 'permit') THEN TRUE END
      FROM access_grant g
     WHERE g.grantee = ANY(${who}::text[]) AND g.patient = ANY(${relatedIds(`${a}.compartment`)})
       AND (g.period_start IS NULL OR g.period_start <= now())
       AND (g.period_end IS NULL OR g.period_end >= now())
       AND (g.effect = 'emergency' OR cardinality(g.categories) = 0 OR ${raw(a)}.category && g.categories)
       AND (cardinality(g.types) = 0 OR ${raw(a)}.type = ANY(g.types))
       AND (cardinality(g.instances) = 0 OR ${raw(a)}.type || '/' || ${raw(a)}.id = ANY(g.instances))
       AND (cardinality(g.purposes) = 0 OR ${PURPOSE_OF_USE[p.kind]}::text = ANY(g.purposes))
       AND (cardinality(g.codes) = 0 OR ${hasAnyCode(a, raw('g.codes'))}))`;
  const ownFacility = sql`(${raw(a)}.organization = ${org}::text OR ${managedBy(org, a, rows)})`;
  // Whether the caller holds any grant at all, asked once per query: most staff hold none, and then
  // no row needs the grant lookup (a subquery started again for every row a search walks).
  const holdsGrants = sql`(SELECT EXISTS (SELECT 1 FROM access_grant WHERE grantee = ANY(${who}::text[])))`;
  return or([
    raw(`cardinality(${a}.compartment) = 0`),
    sql`CASE WHEN ${holdsGrants} THEN COALESCE(${verdict}, ${ownFacility}) ELSE ${ownFacility} END`,
  ]);
}

function rowRule(p: Principal, a: string, rows: 'one' | 'set'): Sql | undefined {
  switch (p.kind) {
    case 'admin':
      return undefined;
    case 'system':
      return p.organization ? staffRule(p, a, rows) : undefined;
    case 'practitioner':
      return staffRule(p, a, rows);
    case 'analyst':
      return sql`NOT (${raw(a)}.category && ${SENSITIVE_CATEGORIES}::text[]) AND ${raw(a)}.type <> ALL(${IDENTIFYING_TYPES}::text[])`;
    case 'patient':
      return p.patient
        ? or([
            raw(`cardinality(${a}.compartment) = 0`),
            sql`${raw(a)}.compartment && ${personRecords(p.patient)}`,
          ])
        : raw(`cardinality(${a}.compartment) = 0`);
  }
}

function typeRule(p: Principal, a: string): Sql | undefined {
  const contexts = CONTEXTS[p.kind];
  const scoped = { ...p.scopes, resources: p.scopes.resources.filter((s) => contexts.includes(s.context)) };
  const types = permittedTypes(scoped, 'r');
  if (types === '*') return undefined;
  return or([
    sql`${raw(a)}.type = ANY(${[...types]}::text[])`,
    ...filteredRead(a, filteredTypes(scoped, 'r')),
  ]);
}

function permissionOf(w: PlannedWrite): Permission {
  if (w.op.action === 'delete') return 'd';
  return w.existing && !w.existing.deleted ? 'u' : 'c';
}

async function checkPatientWrites(tx: Queryable, p: Principal, writes: readonly PlannedWrite[]) {
  const wrong = writes.find((w) => w.op.type !== 'Consent');
  if (wrong) throw forbidden(`a patient may only record consents, not write ${wrong.op.type}`);
  if (!p.patient) throw forbidden('the token has no patient context');
  const { text, params } = sql`SELECT unnest(${personRecords(p.patient)}) AS id`.render();
  const own = new Set((await tx.query<{ id: string }>(text, params)).map((r) => r.id));
  for (const w of writes) {
    const patients = [...w.compartment, ...(w.existing?.compartment ?? [])];
    if (patients.length === 0 || patients.some((id) => !own.has(id))) {
      throw forbidden(`Consent/${w.op.id} is not about the signed-in patient`);
    }
  }
}

async function checkStaffWrites(tx: Queryable, p: Principal, writes: readonly PlannedWrite[]) {
  const changed = writes.filter((w) => w.existing && !w.existing.deleted);
  if (changed.length > 0) {
    const { text, params } = sql`SELECT a.type, a.id FROM resource a
       JOIN unnest(${changed.map((w) => w.op.type)}::text[], ${changed.map((w) => w.op.id)}::text[]) AS k(type, id)
         ON a.type = k.type AND a.id = k.id
      WHERE NOT COALESCE(a.organization = ${p.organization ?? null}::text,
                         a.organization IS NULL AND ${managedBy(p.organization ?? null, 'a')})
      LIMIT 1`.render();
    const [foreign] = await tx.query<{ type: string; id: string }>(text, params);
    if (foreign) throw forbidden(`${foreign.type}/${foreign.id} was not recorded by your facility`);
  }
  const inBatch = new Set(writes.filter((w) => w.op.type === 'Patient').map((w) => w.op.id));
  const patients = [...new Set(writes.flatMap((w) => w.compartment))].filter((id) => !inBatch.has(id));
  if (patients.length === 0) return;
  const { text, params } = sql`SELECT a.id FROM resource a
     WHERE a.type = 'Patient' AND a.id = ANY(${patients}::text[]) AND NOT a.deleted AND ${staffRule(p, 'a')}`.render();
  const visible = new Set((await tx.query<{ id: string }>(text, params)).map((r) => r.id));
  const hidden = patients.find((id) => !visible.has(id));
  if (hidden) throw forbidden(`you have no access to the record of Patient/${hidden}`);
}

export const accessPolicy: AccessPolicy = {
  readConditions(ctx: AccessContext, alias: string, rows: 'one' | 'set' = 'set'): Sql[] {
    const p = ctx.principal;
    if (p === 'internal') return [];
    return [typeRule(p, alias), rowRule(p, alias, rows)].filter((c): c is Sql => c !== undefined);
  },

  async checkWrites(tx, ctx, writes) {
    const p = ctx.principal;
    if (p === 'internal' || writes.length === 0) return;
    for (const w of writes) {
      if (w.op.type === 'AuditEvent') {
        throw FhirError.of(405, 'not-supported', 'the audit trail is written by the server only');
      }
      const permission = permissionOf(w);
      if (!allows(p.scopes, w.op.type, permission, CONTEXTS[p.kind])) {
        throw forbidden(`the token's scopes do not permit '${permission}' on ${w.op.type}`);
      }
    }
    if (p.kind === 'admin' || (p.kind === 'system' && !p.organization)) return;
    if (p.kind === 'analyst') throw forbidden('analysts have read-only access');
    if (p.kind === 'patient') return checkPatientWrites(tx, p, writes);
    return checkStaffWrites(tx, p, writes);
  },

  afterWrites: (tx, _ctx, written) => syncGrants(tx, written),
};
