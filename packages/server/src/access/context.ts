// Builds the AccessContext of a request from its verified Principal, and names the context of the
// server's own work. Pure: no I/O.
import type { Principal } from '../auth/principal.ts';
import type { AccessContext } from '../store/model.ts';

/** The server itself (seeding, patient-index linking): no caller restrictions apply. */
export const INTERNAL_ACCESS: AccessContext = Object.freeze({ organization: null, principal: 'internal' });

export function accessContextOf(principal: Principal): AccessContext {
  return { organization: principal.organization ?? null, principal };
}
