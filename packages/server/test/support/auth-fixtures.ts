// Fixtures for the authorization server tests: a patient with a facility record linked by the
// patient index, accounts of each kind, and registered clients, created through the server's own
// modules and APIs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type JWK, SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { type Account, type AccountKind, createAccount } from '../../src/auth/accounts.ts';
import { registerClient } from '../../src/auth/clients.ts';
import { type AuthApi, ISSUER, REDIRECT, pkce, redirectParams, signIn } from './auth-api.ts';
import type { Reply } from './api.ts';
import { patient } from './mpi-fixtures.ts';

export const PASSWORD = 'correct horse battery';
export const PATIENT_CCCD = '025086113770';

/** A facility Patient record with the CCCD, linked by the patient index; returns its person id. */
export async function patientRecord(api: AuthApi, id: string, cccd: string): Promise<string> {
  const res = await api.request('PUT', `Patient/${id}`, patient(id, { cccd }));
  assert.ok(res.status === 201 || res.status === 200, res.text);
  const processed = await api.app.inject({
    method: 'POST',
    url: '/admin/mpi/$process',
    headers: { authorization: `Bearer ${await adminToken(api)}` },
  });
  assert.equal(processed.statusCode, 200, processed.body);
  const [row] = await api.db.db.query<{ person_id: string }>(
    'SELECT person_id FROM mpi_record WHERE patient_id = $1',
    [id],
  );
  assert.ok(row, 'the patient index linked the record');
  return row.person_id;
}

export function account(api: AuthApi, kind: AccountKind, login: string, extra: Partial<Account> = {}) {
  return createAccount(api.db.db, {
    kind,
    login,
    password: PASSWORD,
    ...(kind === 'practitioner' ? { practitionerId: 'pr-1', organizationId: 'org-a', role: 'doctor' } : {}),
    ...extra,
  });
}

export async function publicClient(
  api: AuthApi,
  id: string,
  scopes = 'openid fhirUser launch/patient offline_access patient/*.rs user/*.cruds user/*.rs system/*.cruds',
) {
  return (
    await registerClient(api.db.db, {
      id,
      name: `app ${id}`,
      confidential: false,
      redirectUris: [REDIRECT],
      scopes,
    })
  ).client;
}

export interface SystemClient {
  id: string;
  secret: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A facility system with a secret and a private_key_jwt key pair (ES384). */
export async function systemClient(
  api: AuthApi,
  id: string,
  scopes = 'system/*.rs system/Observation.cruds',
): Promise<SystemClient> {
  const pair = await generateKeyPair('ES384', { extractable: true });
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: `${id}-key`, alg: 'ES384' };
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid: `${id}-key`, alg: 'ES384' };
  const { secret } = await registerClient(api.db.db, {
    id,
    name: `facility system ${id}`,
    confidential: true,
    secret: true,
    jwks: { keys: [publicJwk] },
    scopes,
    organizationId: 'org-a',
  });
  return { id, secret: secret!, privateJwk, publicJwk };
}

export const TOKEN_ENDPOINT = 'http://localhost:8080/oauth2/token';

/** A SMART Backend Services client assertion, signed with `key` (the client's own by default). */
export async function clientAssertion(
  client: SystemClient,
  o: { jti?: string; expiresIn?: number; aud?: string; key?: JWK } = {},
): Promise<string> {
  const key = o.key ?? client.privateJwk;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', kid: String(key.kid) })
    .setIssuer(client.id)
    .setSubject(client.id)
    .setAudience(o.aud ?? TOKEN_ENDPOINT)
    .setJti(o.jti ?? randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + (o.expiresIn ?? 120))
    .sign(await importJWK(key, 'ES384'));
}

export const assertionForm = (assertion: string, scope: string) => ({
  grant_type: 'client_credentials',
  scope,
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: assertion,
});

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/**
 * Signs an account in through the authorization code flow (password, captured one-time code, PKCE)
 * with a public client, checks the redirect back (state, issuer) and returns the token response.
 */
export async function signInTokens(
  api: AuthApi,
  o: { clientId: string; accountId: string; login: string; scope: string; nonce?: string },
): Promise<Reply['body']> {
  const { verifier, challenge } = pkce();
  const res = await signIn(
    api,
    {
      clientId: o.clientId,
      login: o.login,
      password: PASSWORD,
      scope: o.scope,
      challenge,
      ...(o.nonce ? { nonce: o.nonce } : {}),
    },
    o.accountId,
  );
  assert.equal(res.status, 302, res.text);
  const params = redirectParams(res);
  assert.equal(params.get('state'), 'state-123');
  assert.equal(params.get('iss'), ISSUER);
  const token = await api.post('/oauth2/token', {
    grant_type: 'authorization_code',
    code: params.get('code') ?? '',
    code_verifier: verifier,
    redirect_uri: REDIRECT,
    client_id: o.clientId,
  });
  assert.equal(token.status, 200, token.text);
  return token.body;
}

const adminTokens = new WeakMap<AuthApi, Promise<string>>();

/** An administrator's access token, obtained once per app through the sign-in flow. */
export function adminToken(api: AuthApi): Promise<string> {
  let token = adminTokens.get(api);
  if (!token) {
    token = (async () => {
      const console = await registerClient(api.db.db, {
        id: 'admin-console',
        name: 'admin console',
        confidential: false,
        redirectUris: [REDIRECT],
        scopes: 'user/*.cruds',
      });
      const root = await account(api, 'admin', 'fixture.admin');
      const tokens = await signInTokens(api, {
        clientId: console.client.id,
        accountId: root.id,
        login: 'fixture.admin',
        scope: 'user/*.cruds',
      });
      return tokens.access_token;
    })();
    adminTokens.set(api, token);
  }
  return token;
}
