// The authorization server end to end over HTTP, on both engines: discovery, a patient's and a
// practitioner's authorization code flow with PKCE and one-time code, refresh rotation, client
// credentials with a secret and with private_key_jwt, introspection, revocation, userinfo and the
// accounts administration API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { purgeExpired } from '../src/auth/purge.ts';
import {
  BASE,
  ISSUER,
  type AuthApi,
  describeAuthApi,
  pkce,
  redirectParams,
  signIn,
} from './support/auth-api.ts';
import {
  PASSWORD,
  PATIENT_CCCD,
  account,
  assertionForm,
  basic,
  clientAssertion,
  patientRecord,
  publicClient,
  signInTokens,
  systemClient,
} from './support/auth-fixtures.ts';

/** Signs in and exchanges the code: the token response. */
const tokensFor = (api: AuthApi, accountId: string, login: string, scope: string, clientId = 'web') =>
  signInTokens(api, { clientId, accountId, login, scope, nonce: 'n-1' });

describeAuthApi('authorization server', (api) => {
  let person: string;
  let patientId: string;

  test('discovery documents name the endpoints under the server origin', async () => {
    const smart = await api.get('/fhir/.well-known/smart-configuration');
    assert.equal(smart.status, 200);
    assert.equal(smart.body.issuer, ISSUER);
    assert.equal(smart.body.token_endpoint, `${ISSUER}/oauth2/token`);
    assert.deepEqual(smart.body.code_challenge_methods_supported, ['S256']);
    assert.ok(smart.body.capabilities.includes('client-confidential-asymmetric'));
    const oidc = await api.get('/.well-known/openid-configuration');
    assert.equal(oidc.body.jwks_uri, `${ISSUER}/oauth2/jwks`);
    const jwks = await api.get('/oauth2/jwks');
    assert.equal(jwks.body.keys.length, 1);
    assert.equal(jwks.body.keys[0].alg, 'ES256');
    assert.equal(jwks.body.keys[0].d, undefined, 'no private key material');
  });

  test('a patient signs in with citizen ID, password and one-time code and gets their person as context', async () => {
    person = await patientRecord(api, 'p-hung', PATIENT_CCCD);
    patientId = (await account(api, 'patient', PATIENT_CCCD)).id;
    await publicClient(api, 'web');
    const body = await tokensFor(
      api,
      patientId,
      '025 086 113 770',
      'openid fhirUser launch/patient offline_access patient/*.rs',
    );
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 900);
    assert.equal(body.scope, 'openid fhirUser launch/patient offline_access patient/*.rs');
    assert.equal(body.patient, person);
    assert.ok(body.refresh_token);
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, BASE);
    assert.equal(claims.sub, patientId);
    assert.equal(claims.kind, 'patient');
    assert.equal(claims.patient, person);
    assert.equal(claims.fhirUser, `Patient/${person}`);
    const id = decodeJwt(body.id_token);
    assert.equal(id.aud, 'web');
    assert.equal(id.fhirUser, `Patient/${person}`);
    assert.equal(id.nonce, 'n-1');
    const userinfo = await api.get('/oauth2/userinfo', { authorization: `Bearer ${body.access_token}` });
    assert.deepEqual(userinfo.body, { sub: patientId, fhirUser: `Patient/${person}` });
  });

  test('a patient whose citizen ID has no record yet is sent back with access_denied', async () => {
    const lonely = await account(api, 'patient', '001090123456');
    const res = await signIn(
      api,
      {
        clientId: 'web',
        login: '001090123456',
        password: PASSWORD,
        scope: 'patient/*.rs',
        challenge: pkce().challenge,
      },
      lonely.id,
    );
    assert.equal(res.status, 302);
    assert.equal(redirectParams(res).get('error'), 'access_denied');
    assert.equal(redirectParams(res).get('code'), null);
  });

  test('a patient asking for write or user scopes gets read and search of their own record only', async () => {
    const body = await tokensFor(
      api,
      patientId,
      PATIENT_CCCD,
      'patient/Observation.cruds user/*.cruds patient/Condition.read',
    );
    assert.equal(body.scope, 'patient/Observation.rs patient/Condition.rs');
    assert.equal(body.refresh_token, undefined, 'no offline_access, no refresh token');
    assert.equal(body.patient, undefined, 'no launch/patient, no patient in the response');
  });

  test('a refresh token rotates and keeps (or narrows) the granted scopes', async () => {
    const first = await tokensFor(api, patientId, PATIENT_CCCD, 'offline_access patient/*.rs launch/patient');
    const second = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: 'web',
    });
    assert.equal(second.status, 200, second.text);
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.equal(second.body.patient, person);
    const narrowed = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: second.body.refresh_token,
      client_id: 'web',
      scope: 'patient/Observation.r user/*.cruds',
    });
    assert.equal(narrowed.status, 200, narrowed.text);
    assert.equal(narrowed.body.scope, 'patient/Observation.r');
  });

  test('a practitioner signs in with username and gets facility, role and fhirUser', async () => {
    const doctor = await account(api, 'practitioner', 'bs.lan');
    const body = await tokensFor(
      api,
      doctor.id,
      'BS.Lan',
      'openid fhirUser user/*.cruds patient/*.rs system/*.rs',
    );
    assert.equal(body.scope, 'openid fhirUser user/*.cruds');
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.kind, 'practitioner');
    assert.equal(claims.organization, 'org-a');
    assert.equal(claims.role, 'doctor');
    assert.equal(claims.fhirUser, 'Practitioner/pr-1');
    const analyst = await account(api, 'analyst', 'analyst.one');
    const a = await tokensFor(api, analyst.id, 'analyst.one', 'user/*.cruds');
    assert.equal(a.scope, 'user/*.rs');
  });

  test('a facility system gets a token with client_secret_basic, client_secret_post and private_key_jwt', async () => {
    const system = await systemClient(api, 'his-a');
    const viaBasic = await api.post(
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'system/*.rs' },
      { authorization: basic(system.id, system.secret) },
    );
    assert.equal(viaBasic.status, 200, viaBasic.text);
    assert.equal(viaBasic.body.scope, 'system/*.rs');
    assert.equal(viaBasic.body.refresh_token, undefined);
    const claims = decodeJwt(viaBasic.body.access_token);
    assert.equal(claims.kind, 'system');
    assert.equal(claims.sub, 'his-a');
    assert.equal(claims.organization, 'org-a');
    const viaPost = await api.post('/oauth2/token', {
      grant_type: 'client_credentials',
      scope: 'system/Observation.cruds',
      client_id: system.id,
      client_secret: system.secret,
    });
    assert.equal(viaPost.body.scope, 'system/Observation.cruds');
    const viaJwt = await api.post(
      '/oauth2/token',
      assertionForm(await clientAssertion(system), 'system/*.rs system/Patient.c'),
    );
    assert.equal(viaJwt.status, 200, viaJwt.text);
    assert.equal(viaJwt.body.scope, 'system/*.rs', 'system/Patient.c is not registered: dropped');
  });

  test('introspection (confidential clients) and revocation of a whole grant', async () => {
    const system = await systemClient(api, 'his-b');
    const auth = { authorization: basic(system.id, system.secret) };
    const user = await tokensFor(api, patientId, PATIENT_CCCD, 'offline_access patient/*.rs');
    const active = await api.post('/oauth2/introspect', { token: user.access_token }, auth);
    assert.equal(active.status, 200);
    assert.equal(active.body.active, true);
    assert.equal(active.body.patient, person);
    assert.equal(active.body.scope, 'offline_access patient/*.rs');
    const refresh = await api.post('/oauth2/introspect', { token: user.refresh_token }, auth);
    assert.equal(refresh.body.active, true);
    const publicOnly = await api.post('/oauth2/introspect', { token: user.access_token, client_id: 'web' });
    assert.equal(publicOnly.status, 401);
    assert.equal(publicOnly.body.error, 'invalid_client');
    const revoked = await api.post('/oauth2/revoke', { token: user.refresh_token, client_id: 'web' });
    assert.equal(revoked.status, 200);
    assert.equal(
      (await api.post('/oauth2/introspect', { token: user.access_token }, auth)).body.active,
      false,
      'the access token of the grant too',
    );
    const refreshAfter = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: user.refresh_token,
      client_id: 'web',
    });
    assert.equal(refreshAfter.body.error, 'invalid_grant');
    assert.equal(
      (await api.post('/oauth2/revoke', { token: 'unknown', client_id: 'web' })).status,
      200,
      'unknown tokens: 200 too',
    );
  });

  test('the accounts API is for administrators only', async () => {
    const root = await account(api, 'admin', 'root.admin');
    const token = (await tokensFor(api, root.id, 'root.admin', 'user/*.cruds')).access_token;
    const created = await api.app.inject({
      method: 'POST',
      url: '/admin/auth/accounts',
      headers: { authorization: `Bearer ${token}` },
      payload: { kind: 'analyst', login: 'so.y.te', password: 'a long enough password' },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(JSON.parse(created.body).password_hash, undefined);
    const invalid = await api.app.inject({
      method: 'POST',
      url: '/admin/auth/accounts',
      headers: { authorization: `Bearer ${token}` },
      payload: { kind: 'patient', login: '123', password: 'a long enough password' },
    });
    assert.equal(invalid.statusCode, 400);
    assert.equal(JSON.parse(invalid.body).resourceType, 'OperationOutcome');
    const client = await api.app.inject({
      method: 'POST',
      url: '/admin/auth/clients',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        name: 'HIS',
        confidential: true,
        secret: true,
        scopes: 'system/*.rs',
        organizationId: 'org-b',
      },
    });
    assert.equal(client.statusCode, 201, client.body);
    assert.ok(JSON.parse(client.body).secret);
    const patientToken = (await tokensFor(api, patientId, PATIENT_CCCD, 'patient/*.rs')).access_token;
    const forbidden = await api.app.inject({
      method: 'GET',
      url: `/admin/auth/accounts/${root.id}`,
      headers: { authorization: `Bearer ${patientToken}` },
    });
    assert.equal(forbidden.statusCode, 403);
    const anonymous = await api.app.inject({ method: 'GET', url: `/admin/auth/accounts/${root.id}` });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(JSON.parse(anonymous.body).issue[0].code, 'login');
    assert.match(String(anonymous.headers['www-authenticate']), /^Bearer/);
  });
});

describeAuthApi('authorization server housekeeping', (api) => {
  test('expired sign-ins, codes, refresh tokens and spent grants are purged; live ones stay', async () => {
    await publicClient(api, 'web');
    const user = await account(api, 'practitioner', 'bs.keep');
    const live = await tokensFor(api, user.id, 'bs.keep', 'user/*.rs offline_access');
    const old = await tokensFor(api, user.id, 'bs.keep', 'user/*.rs offline_access');
    const db = api.db.db;
    await db.query("UPDATE auth_login SET expires_at = now() - interval '2 days'");
    await db.query("UPDATE auth_code SET expires_at = now() - interval '2 days'");
    await db.query(
      `UPDATE auth_refresh SET expires_at = now() - interval '1 second'
       WHERE grant_id = (SELECT grant_id FROM auth_refresh ORDER BY expires_at DESC LIMIT 1)`,
    );
    await db.query("UPDATE auth_grant SET created_at = now() - interval '40 days'");
    await purgeExpired(db);
    const [left] = await db.query<{ logins: number; codes: number; grants: number }>(
      `SELECT (SELECT count(*)::int FROM auth_login) AS logins, (SELECT count(*)::int FROM auth_code) AS codes,
              (SELECT count(*)::int FROM auth_grant) AS grants`,
    );
    assert.deepEqual(
      left,
      { logins: 0, codes: 0, grants: 1 },
      'only the grant with a live refresh token stays',
    );
    const results = await Promise.all(
      [live, old].map((t) =>
        api.post('/oauth2/token', {
          grant_type: 'refresh_token',
          refresh_token: t.refresh_token,
          client_id: 'web',
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
  });
});
