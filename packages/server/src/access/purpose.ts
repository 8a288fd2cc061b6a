// The purpose of use (v3 PurposeOfUse, v3-ActReason) each kind of caller accesses data for: what
// the audit trail records and what a Consent provision's `purpose` is matched against. Pure data.
import type { PrincipalKind } from '../auth/principal.ts';

export const PURPOSE_OF_USE: Readonly<Record<PrincipalKind, string>> = {
  patient: 'PATRQT',
  practitioner: 'TREAT',
  system: 'TREAT',
  analyst: 'PUBHLTH',
  admin: 'HOPERAT',
};
