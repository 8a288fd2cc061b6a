// A read by id (GET Type/id) in one round trip: one statement reads the current row under the
// caller's access conditions, confirms that the token's grant is not revoked (settling the
// request's CredentialCheck) and appends the read's AuditEvent, which the server renders and the
// database completes with the row's Patient and the caller's break-the-glass coverage
// (audit_read, migration 52). The answer leaves only after that statement has committed. What the
// statement cannot finish alone goes the usual way: an id of the patient index's Person views, and
// a row in more than one Patient's compartment (recorded by the audit trail afterwards).
// Only for a request's own read, never inside a transaction or a Bundle.
import { grantees } from '../access/policy.ts';
import { PURPOSE_OF_USE } from '../access/purpose.ts';
import { CLIENT_LANES, readRecordTemplate } from '../audit/event.ts';
import { timeOrderedId } from '../audit/record.ts';
import { confirmedBy } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import { preparedShape } from '../db/prepared.ts';
import { raw, sql } from '../db/sql.ts';
import { notFound } from '../errors.ts';
import { mayBePersonRead } from '../mpi/fhir-read.ts';
import type { AccessContext, CredentialCheck } from '../store/model.ts';
import { type VersionRow, currentRow, toStoredVersion } from '../store/read.ts';
import { auditResults } from './audit-trail.ts';
import { resultOf } from './read.ts';
import type { InteractionResult, Services } from './services.ts';

interface Row extends VersionRow {
  person: boolean;
  audited: boolean | null;
}

/**
 * Whether the request's read of Type/id can be answered by readById: a verified caller whose
 * credential check has not started elsewhere.
 */
export const canReadById = (
  ctx: AccessContext,
): ctx is AccessContext & { principal: Principal; credential: CredentialCheck } =>
  ctx.principal !== 'internal' && ctx.credential !== undefined && !ctx.credential.started;

/**
 * Reads Type/id for the caller and records the read; undefined when the id is one of the patient
 * index's Persons (the caller answers it through its views). Throws 404, 410, or the 401 of a
 * revoked token.
 */
export async function readById(
  services: Services,
  ctx: AccessContext & { principal: Principal; credential: CredentialCheck },
  type: string,
  id: string,
): Promise<InteractionResult | undefined> {
  const p = ctx.principal;
  const flaggable = p.kind === 'practitioner';
  const base = {
    interaction: 'read' as const,
    outcome: 0 as const,
    purpose: PURPOSE_OF_USE[p.kind],
    actor: p,
  };
  // The lane only spreads a client's concurrent requests over chain heads; it needs no secrecy.
  const lane = Math.floor(Math.random() * CLIENT_LANES);
  const t = readRecordTemplate(base, `${type}/${id}`, timeOrderedId(), new Date(), lane, flaggable);
  const person = mayBePersonRead(type, id)
    ? sql`EXISTS (SELECT 1 FROM mpi_person WHERE id = ${id})`
    : raw('false');
  const { text, params } = sql`SELECT r.*, p.person, audit_read(${ctx.credential.grantId},
         ${flaggable ? grantees(p) : []}::text[], CASE WHEN p.person OR r.deleted THEN NULL ELSE r.compartment END,
         ${t.onlyPatient}::text, ${t.clientChain}, ${t.id}, ${t.recorded}::timestamptz, ${t.client},
         ${t.patient[0]}, ${t.patient[1]}, ${t.breakGlass?.[0] ?? null}::text, ${t.breakGlass?.[1] ?? null}::text) AS audited
       FROM (SELECT ${person} AS person) p
       LEFT JOIN LATERAL (${currentRow(services.policy, ctx, type, id)}) r ON NOT p.person`.render();
  const [row] = await confirmedBy(ctx.credential, services.db.query<Row>(preparedShape(text), params));
  if (!row || row.person) return undefined;
  if (row.type === null) throw notFound(`${type}/${id} is not known`);
  const result = resultOf(services, toStoredVersion(row), 'read');
  if (row.audited === false) await auditResults(services.db, ctx, [result]);
  return result;
}
