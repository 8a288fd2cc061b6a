// Who a verified access token speaks for. Produced by token verification (auth/), consumed by the
// access policy (access/) and the audit trail (audit/). Types only.
import type { Scopes } from '../access/scopes.ts';

export type PrincipalKind = 'patient' | 'practitioner' | 'system' | 'analyst' | 'admin';

export interface Principal {
  kind: PrincipalKind;
  /** The account id (people) or client id (facility systems): the `sub` claim. */
  subject: string;
  /** The OAuth client the token was issued to. */
  clientId: string;
  scopes: Scopes;
  /** `Patient/{golden id}` or `Practitioner/{id}` when the principal is a person with a FHIR record. */
  fhirUser?: string;
  /** The SMART `patient` launch context: a golden Patient (person) id. */
  patient?: string;
  /** The facility (Organization id) a practitioner works at or a facility system belongs to. */
  organization?: string;
  /** The practitioner's role code at that facility (PractitionerRole.code), e.g. `doctor`, `nurse`. */
  role?: string;
  /** The token's id (`jti`), for revocation and the audit trail. */
  tokenId: string;
  /** Expiry, in seconds since the epoch. */
  expiresAt: number;
}
