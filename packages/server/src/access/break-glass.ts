// `POST /fhir/Patient/{id}/$break-glass`: emergency access for a practitioner to a patient whose
// record the policy would otherwise hide. A reason is required, access lasts BREAK_GLASS_MINUTES,
// and the grant is written together with a flagged AuditEvent (purpose ETREAT) that the patient
// sees in their access log — both in one transaction, or neither.
import type { Database } from '../db/database.ts';
import { FhirError, badRequest, notFound } from '../errors.ts';
import { recordAccess } from '../audit/record.ts';
import type { InteractionResult } from '../interactions/services.ts';
import type { AccessContext, Resource } from '../store/model.ts';
import { addEmergencyGrant } from './grant-store.ts';

export const BREAK_GLASS_MINUTES = 240;
const MAX_REASON = 1000;

function reasonOf(body: unknown): string {
  const parameters = body as Resource | undefined;
  if (parameters?.resourceType !== 'Parameters') {
    throw badRequest('$break-glass takes a Parameters resource with a "reason" (valueString)');
  }
  const entry = ((parameters.parameter ?? []) as { name?: unknown; valueString?: unknown }[]).find(
    (p) => p.name === 'reason',
  );
  const reason = typeof entry?.valueString === 'string' ? entry.valueString.trim() : '';
  if (reason.length === 0) throw badRequest('$break-glass requires a non-empty "reason"');
  if (reason.length > MAX_REASON) throw badRequest(`the reason must be at most ${MAX_REASON} characters`);
  return reason;
}

export async function breakGlass(
  db: Database,
  ctx: AccessContext,
  patientId: string,
  body: unknown,
  now: Date = new Date(),
): Promise<InteractionResult> {
  const p = ctx.principal;
  if (p === 'internal' || p.kind !== 'practitioner' || !p.fhirUser?.startsWith('Practitioner/')) {
    throw FhirError.of(403, 'forbidden', 'only a signed-in practitioner may break the glass');
  }
  const reason = reasonOf(body);
  const end = new Date(now.getTime() + BREAK_GLASS_MINUTES * 60_000);
  const grantId = await db.transaction(async (tx) => {
    const found = await tx.query(
      `SELECT 1 FROM resource WHERE type = 'Patient' AND id = $1 AND NOT deleted`,
      [patientId],
    );
    if (found.length === 0) throw notFound(`Patient/${patientId} is not known`);
    const id = await addEmergencyGrant(tx, {
      patient: patientId,
      grantee: p.fhirUser!,
      reason,
      start: now,
      end,
    });
    await recordAccess(tx, [
      {
        patient: patientId,
        interaction: 'operation',
        outcome: 0,
        purpose: 'ETREAT',
        breakGlass: true,
        reason,
        actor: p,
        resources: [`Patient/${patientId}`],
        recorded: now,
      },
    ]);
    return id;
  });
  return {
    status: 200,
    resource: {
      resourceType: 'Parameters',
      parameter: [
        { name: 'grant', valueString: grantId },
        { name: 'expires', valueInstant: end.toISOString() },
      ],
    },
  };
}
