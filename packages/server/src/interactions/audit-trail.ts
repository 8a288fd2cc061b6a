// Records what a request's interactions read and wrote as AuditEvents, through the same queryable
// as the access (the write's transaction; for reads, before the response leaves), so an access whose
// audit record cannot be written fails instead of happening unrecorded. Decides the purpose of use
// from the caller's kind and flags accesses made under a break-the-glass grant. The server's own
// work (`internal`) is not a caller and is not audited here.
import { grantees } from '../access/policy.ts';
import { emergencyCoverage } from '../access/grant-store.ts';
import { PURPOSE_OF_USE } from '../access/purpose.ts';
import { type AccessEvent, eventsByPatient } from '../audit/event.ts';
import { recordAccess } from '../audit/record.ts';
import { confirmedBy } from '../auth/authenticate.ts';
import type { Queryable } from '../db/database.ts';
import type { AccessContext } from '../store/model.ts';
import type { InteractionResult } from './services.ts';

export type RecordResults = (results: readonly InteractionResult[]) => Promise<void>;

/**
 * Starts recording a request's accesses before they are known. When the caller's credential check
 * has not started, the record confirms it (recordAccess with a GrantCheck) and flags
 * break-the-glass access in the same statement. Otherwise a practitioner's break-the-glass coverage
 * is looked up at once (with `db`, beside whatever the request does next).
 */
export function beginAudit(db: Queryable, ctx: AccessContext): RecordResults {
  const p = ctx.principal;
  const confirming = ctx.credential !== undefined && !ctx.credential.started;
  const emergency =
    p !== 'internal' && p.kind === 'practitioner' && !confirming
      ? emergencyCoverage(db, grantees(p))
      : undefined;
  // Handled here so that a failure nobody awaits yet is not an unhandled rejection; recording still
  // receives it.
  emergency?.catch(() => undefined);
  return (results) => record(db, ctx, results, emergency);
}

/** Records a request's accesses (beginAudit in one step). */
export const auditResults = (db: Queryable, ctx: AccessContext, results: readonly InteractionResult[]) =>
  beginAudit(db, ctx)(results);

async function record(
  db: Queryable,
  ctx: AccessContext,
  results: readonly InteractionResult[],
  emergency: Promise<Set<string>> | undefined,
): Promise<void> {
  const p = ctx.principal;
  const events: AccessEvent[] =
    p === 'internal'
      ? []
      : results.flatMap((r) =>
          r.access
            ? eventsByPatient(
                { interaction: r.access.interaction, outcome: 0, purpose: PURPOSE_OF_USE[p.kind], actor: p },
                r.access.touched,
                r.access.patients ?? [],
              )
            : [],
        );
  const credential = ctx.credential;
  if (p !== 'internal' && credential && !credential.started && events.length > 0) {
    const check = { grantId: credential.grantId, grantees: p.kind === 'practitioner' ? grantees(p) : [] };
    return confirmedBy(credential, recordAccess(db, events, check));
  }
  // A caller whose credentials turn out not to hold gets no record, and so no answer and no commit.
  await credential?.confirmed();
  if (events.length === 0) return;
  if (emergency) {
    const covered = await emergency;
    for (const e of events) {
      if (e.patient && covered.has(e.patient)) Object.assign(e, { breakGlass: true, purpose: 'ETREAT' });
    }
  }
  await recordAccess(db, events);
}
