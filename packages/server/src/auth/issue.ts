// Turns an authorized principal into the token endpoint's answer: who the tokens speak for (the
// patient's person, the practitioner's facility and role, the system's facility), a signed access
// token, a rotating refresh token when offline_access was granted, and an id token for openid.
import type { Database, Queryable } from '../db/database.ts';
import type { Scopes } from '../access/scopes.ts';
import { formatScopes } from '../access/scopes.ts';
import type { Account } from './accounts.ts';
import type { Client } from './clients.ts';
import { issueRefreshToken } from './grants.ts';
import type { SigningKey } from './keys.ts';
import { OAuthError } from './oauth-error.ts';
import { personOfCitizenId } from './patient-context.ts';
import {
  ACCESS_TOKEN_SECONDS,
  type Audience,
  type TokenSubject,
  signAccessToken,
  signIdToken,
} from './tokens.ts';

export interface IssueContext {
  db: Database;
  key: SigningKey;
  audience: Audience;
}

type Identity = Omit<TokenSubject, 'clientId' | 'scope' | 'grantId'>;

/** The identity claims of an account's tokens; a patient without a linked record cannot get one. */
export async function accountIdentity(db: Queryable, account: Account): Promise<Identity> {
  if (account.kind === 'patient') {
    const person = await personOfCitizenId(db, account.login);
    if (!person) {
      throw new OAuthError('access_denied', 'no health record is linked to this citizen ID yet', 400);
    }
    return { kind: 'patient', subject: account.id, patient: person, fhirUser: `Patient/${person}` };
  }
  if (account.kind === 'practitioner') {
    return {
      kind: 'practitioner',
      subject: account.id,
      fhirUser: `Practitioner/${account.practitionerId}`,
      organization: account.organizationId!,
      role: account.role!,
    };
  }
  return { kind: account.kind, subject: account.id };
}

export const systemIdentity = (client: Client): Identity => ({
  kind: 'system',
  subject: client.id,
  ...(client.organizationId ? { organization: client.organizationId } : {}),
});

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  patient?: string;
}

export async function tokenResponse(
  ctx: IssueContext,
  identity: Identity,
  client: Client,
  scopes: Scopes,
  grantId: string,
  nonce?: string,
): Promise<TokenResponse> {
  const scope = formatScopes(scopes);
  const accessToken = await signAccessToken(ctx.key, ctx.audience, {
    ...identity,
    clientId: client.id,
    scope,
    grantId,
  });
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    scope,
  };
  if (scopes.other.has('offline_access') && client.grantTypes.includes('refresh_token')) {
    response.refresh_token = await issueRefreshToken(ctx.db, grantId, scope);
  }
  if (scopes.other.has('openid')) {
    response.id_token = await signIdToken(ctx.key, ctx.audience.issuer, {
      subject: identity.subject,
      clientId: client.id,
      ...(scopes.other.has('fhirUser') && identity.fhirUser ? { fhirUser: identity.fhirUser } : {}),
      ...(nonce ? { nonce } : {}),
    });
  }
  if (identity.patient && scopes.other.has('launch/patient')) response.patient = identity.patient;
  return response;
}
