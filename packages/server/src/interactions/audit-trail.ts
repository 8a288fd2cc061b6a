// Records what a request's interactions read and wrote as AuditEvents, through the same queryable
// as the access (the write's transaction; for reads, before the response leaves), so an access whose
// audit record cannot be written fails instead of happening unrecorded. Decides the purpose of use
// from the caller's kind and flags accesses made under a break-the-glass grant. The server's own
// work (`internal`) is not a caller and is not audited here.
import { grantees } from '../access/policy.ts';
import { emergencyPatients } from '../access/grant-store.ts';
import { type AccessEvent, eventsByPatient } from '../audit/event.ts';
import { recordAccess } from '../audit/record.ts';
import type { PrincipalKind } from '../auth/principal.ts';
import type { Queryable } from '../db/database.ts';
import type { AccessContext } from '../store/model.ts';
import type { InteractionResult } from './services.ts';

/** v3 PurposeOfUse (v3-ActReason) per kind of caller. */
const PURPOSE: Record<PrincipalKind, string> = {
  patient: 'PATRQT',
  practitioner: 'TREAT',
  system: 'TREAT',
  analyst: 'PUBHLTH',
  admin: 'HOPERAT',
};

export async function auditResults(
  db: Queryable,
  ctx: AccessContext,
  results: readonly InteractionResult[],
): Promise<void> {
  // A caller whose credentials turn out not to hold gets no record, and so no answer and no commit.
  if (ctx.confirmed) await ctx.confirmed;
  const p = ctx.principal;
  if (p === 'internal') return;
  const events: AccessEvent[] = results.flatMap((r) =>
    r.access
      ? eventsByPatient(
          { interaction: r.access.interaction, outcome: 0, purpose: PURPOSE[p.kind], actor: p },
          r.access.touched,
          r.access.patients ?? [],
        )
      : [],
  );
  if (events.length === 0) return;
  if (p.kind === 'practitioner') {
    const patients = [...new Set(events.flatMap((e) => (e.patient ? [e.patient] : [])))];
    const emergency = await emergencyPatients(db, grantees(p), patients);
    for (const e of events) {
      if (e.patient && emergency.has(e.patient)) Object.assign(e, { breakGlass: true, purpose: 'ETREAT' });
    }
  }
  await recordAccess(db, events);
}
