// Security tests of the authorization server, each failing closed, over HTTP on both engines:
// forged, expired, retargeted and revoked tokens; replayed codes and refresh tokens; PKCE and
// redirect mismatches; brute force, rate limits, replayed or foreign client assertions; scope
// escalation. Token checks go through authenticate() on an admin-only route.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { type JWK, SignJWT, decodeJwt, importJWK } from 'jose';
import {
  BASE,
  ISSUER,
  REDIRECT,
  type AuthApi,
  authorizeParams,
  describeAuthApi,
  handleOf,
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
  systemClient,
} from './support/auth-fixtures.ts';

/** Exchanges a fresh code; returns what the token endpoint answers and the verifier used. */
async function codeFor(api: AuthApi, accountId: string, login: string, scope: string) {
  const { verifier, challenge } = pkce();
  const res = await signIn(api, { clientId: 'web', login, password: PASSWORD, scope, challenge }, accountId);
  assert.equal(res.status, 302, res.text);
  return { code: redirectParams(res).get('code')!, verifier };
}

const exchange = (api: AuthApi, code: string, verifier: string, redirectUri = REDIRECT) =>
  api.post('/oauth2/token', {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: redirectUri,
    client_id: 'web',
  });

/** GET an admin-only route with a bearer token: 404 (no such account) means the token was accepted. */
const probe = async (api: AuthApi, token: string) => {
  const res = await api.get('/admin/auth/accounts/none', { authorization: `Bearer ${token}` });
  return {
    status: res.status,
    code: res.body?.issue?.[0]?.code,
    challenge: String(res.headers['www-authenticate'] ?? ''),
  };
};

const assertRejected = async (api: AuthApi, token: string) => {
  const res = await probe(api, token);
  assert.equal(res.status, 401);
  assert.equal(res.code, 'login');
  assert.match(res.challenge, /error="invalid_token"/);
};

describeAuthApi('authorization server security', (api) => {
  let adminId: string;
  let adminToken: string;
  let patientId: string;
  let serverKey: JWK;

  /** A token signed with the server's own key, with chosen claims (what only a key holder can do). */
  const forge = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => {
    const base = decodeJwt(adminToken);
    return new SignJWT({ ...base, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: String(serverKey.kid), ...header })
      .sign(await importJWK(serverKey, 'ES256'));
  };

  test('setup: an administrator with a valid token', async () => {
    await publicClient(api, 'web');
    adminId = (await account(api, 'admin', 'root.admin')).id;
    await patientRecord(api, 'p-1', PATIENT_CCCD);
    patientId = (await account(api, 'patient', PATIENT_CCCD)).id;
    const { code, verifier } = await codeFor(api, adminId, 'root.admin', 'user/*.cruds offline_access');
    adminToken = (await exchange(api, code, verifier)).body.access_token;
    assert.equal((await probe(api, adminToken)).status, 404, 'a valid token passes');
    const [row] = await api.db.db.query<{ private_jwk: string }>('SELECT private_jwk FROM auth_signing_key');
    serverKey = JSON.parse(row!.private_jwk) as JWK;
    assert.equal((await probe(api, await forge({}))).status, 404, 'the forging helper makes valid tokens');
  });

  test('security: a missing or non-Bearer token is refused', async () => {
    const none = await api.get('/admin/auth/accounts/none');
    assert.equal(none.status, 401);
    assert.equal(none.body.issue[0].code, 'login');
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="hoso"');
    const basicAuth = await api.get('/admin/auth/accounts/none', { authorization: 'Basic YTpi' });
    assert.equal(basicAuth.status, 401);
  });

  test('security: an expired token is refused', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    await assertRejected(api, await forge({ exp: past, iat: past - 900 }));
  });

  test('security: a tampered token (payload changed, signature kept) is refused', async () => {
    const [header, payload, signature] = adminToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const changed = Buffer.from(JSON.stringify({ ...claims, kind: 'admin', sub: 'someone-else' })).toString(
      'base64url',
    );
    await assertRejected(api, `${header}.${changed}.${signature}`);
    const flipped = signature!.slice(0, -2) + (signature!.endsWith('AA') ? 'BB' : 'AA');
    await assertRejected(api, `${header}.${payload}.${flipped}`);
  });

  test('security: a token for another audience or issuer is refused', async () => {
    await assertRejected(api, await forge({ aud: 'https://other.example/fhir' }));
    await assertRejected(api, await forge({ iss: 'https://other.example' }));
    await assertRejected(api, await forge({}, { typ: 'JWT' }));
  });

  test('security: an alg "none" token is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    const payload = adminToken.split('.')[1];
    await assertRejected(api, `${header}.${payload}.`);
    await assertRejected(api, `${header}.${payload}`);
  });

  test('security: an HS256 token signed with the server public key is refused', async () => {
    const jwks = (await api.get('/oauth2/jwks')).body;
    const payload = adminToken.split('.')[1];
    for (const secret of [JSON.stringify(jwks.keys[0]), JSON.stringify(jwks)]) {
      const header = Buffer.from(
        JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0].kid }),
      ).toString('base64url');
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await assertRejected(api, `${header}.${payload}.${signature}`);
    }
  });

  test('security: a replayed authorization code fails and revokes the tokens issued from it', async () => {
    const { code, verifier } = await codeFor(api, adminId, 'root.admin', 'user/*.rs offline_access');
    const first = await exchange(api, code, verifier);
    assert.equal(first.status, 200);
    const replay = await exchange(api, code, verifier);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    await assertRejected(api, first.body.access_token);
    const refresh = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      client_id: 'web',
    });
    assert.equal(refresh.body.error, 'invalid_grant');
  });

  test('security: a PKCE mismatch fails and burns the code; plain PKCE is refused', async () => {
    const { code } = await codeFor(api, adminId, 'root.admin', 'user/*.rs');
    const wrong = await exchange(api, code, pkce().verifier);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    const missing = await api.post('/oauth2/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'web',
    });
    assert.equal(missing.body.error, 'invalid_grant');
    const plain = await api.get(
      `/oauth2/authorize?${new URLSearchParams({ ...authorizeParams({ clientId: 'web', login: '', password: '', scope: 'user/*.rs', challenge: pkce().challenge }), code_challenge_method: 'plain' })}`,
    );
    assert.equal(plain.status, 302);
    assert.equal(redirectParams(plain).get('error'), 'invalid_request');
  });

  test('security: a redirect_uri mismatch is never redirected to, and fails at the token endpoint', async () => {
    const params = authorizeParams({
      clientId: 'web',
      login: '',
      password: '',
      scope: 'user/*.rs',
      challenge: pkce().challenge,
    });
    for (const redirect of ['https://evil.example/callback', `${REDIRECT}/more`, `${REDIRECT}?x=1`]) {
      const res = await api.get(
        `/oauth2/authorize?${new URLSearchParams({ ...params, redirect_uri: redirect })}`,
      );
      assert.equal(res.status, 400);
      assert.equal(res.headers.location, undefined);
      assert.match(String(res.headers['content-type']), /text\/html/);
    }
    const unknownClient = await api.get(
      `/oauth2/authorize?${new URLSearchParams({ ...params, client_id: 'nobody' })}`,
    );
    assert.equal(unknownClient.status, 400);
    assert.equal(unknownClient.headers.location, undefined);
    const { code, verifier } = await codeFor(api, adminId, 'root.admin', 'user/*.rs');
    const res = await exchange(api, code, verifier, 'https://evil.example/callback');
    assert.equal(res.body.error, 'invalid_grant');
    const wrongAud = await api.get(
      `/oauth2/authorize?${new URLSearchParams({ ...params, aud: 'https://other.example/fhir' })}`,
    );
    assert.equal(redirectParams(wrongAud).get('error'), 'invalid_request');
  });

  test('security: reusing a rotated refresh token revokes the whole family', async () => {
    const { code, verifier } = await codeFor(api, adminId, 'root.admin', 'user/*.rs offline_access');
    const first = (await exchange(api, code, verifier)).body;
    const rotated = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: 'web',
    });
    assert.equal(rotated.status, 200);
    const reuse = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: 'web',
    });
    assert.equal(reuse.body.error, 'invalid_grant');
    const next = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: rotated.body.refresh_token,
      client_id: 'web',
    });
    assert.equal(next.body.error, 'invalid_grant', 'the newer refresh token is revoked too');
    await assertRejected(api, rotated.body.access_token);
    const noOffline = (
      await exchange(
        api,
        ...(Object.values(await codeFor(api, adminId, 'root.admin', 'user/*.rs')) as [string, string]),
      )
    ).body;
    assert.equal(noOffline.refresh_token, undefined, 'refresh tokens only with offline_access');
  });

  /** A fresh access token of the administrator, signed in through the authorization code flow. */
  const adminAccessToken = async (scope: string): Promise<string> => {
    const { code, verifier } = await codeFor(api, adminId, 'root.admin', scope);
    return (await exchange(api, code, verifier)).body.access_token;
  };

  test('security: a revoked access token fails at once', async () => {
    const token = await adminAccessToken('user/*.rs');
    assert.equal((await probe(api, token)).status, 404);
    assert.equal((await api.post('/oauth2/revoke', { token, client_id: 'web' })).status, 200);
    await assertRejected(api, token);
  });

  test('security: a FHIR read with a revoked token answers 401 whatever the read found, and is not audited', async () => {
    const token = await adminAccessToken('user/*.rs');
    const bearer = { authorization: `Bearer ${token}` };
    const created = await api.request('POST', '/Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Revoked' }],
    });
    const patient = `/Patient/${(created.body as { id: string }).id}`;
    assert.equal((await api.request('GET', patient, undefined, bearer)).status, 200);
    assert.equal((await api.post('/oauth2/revoke', { token, client_id: 'web' })).status, 200);
    const audited = async () =>
      (await api.db.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event'))[0]!.n;
    const before = await audited();
    const paths = [
      patient,
      `${patient}/_history`,
      '/Patient?name=Revoked',
      '/Patient?_summary=count',
      '/CodeSystem/$lookup?system=http://hl7.org/fhir/administrative-gender&code=male',
      '/Patient/no-such-patient',
      '/Patient?_format=xml',
      '/Nonsense/1',
    ];
    for (const path of paths) {
      const res = await api.request('GET', path, undefined, bearer);
      assert.equal(res.status, 401, path);
      assert.equal((res.body as { issue: { code: string }[] }).issue[0]!.code, 'login', path);
      assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/, path);
      assert.doesNotMatch(
        res.text,
        /Patient\/|xml|Nonsense/,
        `${path}: the answer tells nothing about the read`,
      );
    }
    assert.equal(await audited(), before, 'a refused read leaves no audit record');
  });

  test('security: Bundles posted with a revoked token answer 401 and write nothing', async () => {
    const token = await adminAccessToken('user/*.cruds');
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await api.post('/oauth2/revoke', { token, client_id: 'web' })).status, 200);
    for (const type of ['transaction', 'batch']) {
      const id = `revoked-${type}`;
      const bundle = {
        resourceType: 'Bundle',
        type,
        entry: [
          {
            resource: { resourceType: 'Patient', id, name: [{ family: 'Revoked' }] },
            request: { method: 'PUT', url: `Patient/${id}` },
          },
        ],
      };
      const res = await api.request('POST', '/', bundle, bearer);
      assert.equal(res.status, 401, type);
      assert.equal((res.body as { issue: { code: string }[] }).issue[0]!.code, 'login', type);
      assert.equal((await api.request('GET', `/Patient/${id}`)).status, 404, `${type}: nothing was written`);
    }
    const malformed = await api.request('POST', '/', '{"resourceType": "Bundle",', bearer);
    assert.equal(malformed.status, 401, 'a body that does not parse still answers the 401');
  });

  test('security: brute-force sign-in locks the account without telling whether it exists', async () => {
    const victim = await account(api, 'practitioner', 'bs.victim');
    const params = authorizeParams({
      clientId: 'web',
      login: '',
      password: '',
      scope: 'user/*.rs',
      challenge: pkce().challenge,
    });
    const attempt = (login: string, password: string) =>
      api.post('/oauth2/authorize', { ...params, step: 'password', login, password });
    const failures = [];
    for (let i = 0; i < 5; i++) failures.push(await attempt('bs.victim', `wrong password ${i}`));
    const locked = await attempt('bs.victim', PASSWORD);
    const unknown = await attempt('bs.nobody', PASSWORD);
    for (const res of [...failures, locked, unknown]) {
      assert.equal(res.status, 401);
      assert.match(res.text, /Wrong citizen ID, username or password, or the account is locked/);
      assert.doesNotMatch(res.text, /name="handle"/);
    }
    assert.equal(locked.text, unknown.text, 'a locked account and an unknown one look the same');
    assert.equal(api.codes.has(victim.id), false, 'no one-time code was sent');
    await api.db.db.query(
      "UPDATE auth_account SET locked_until = now() - interval '1 second' WHERE id = $1",
      [victim.id],
    );
    assert.equal((await attempt('bs.victim', PASSWORD)).status, 200, 'usable again once the lock expires');
  });

  test('security: one-time codes allow 3 attempts, then the sign-in is void', async () => {
    const params = authorizeParams({
      clientId: 'web',
      login: '',
      password: '',
      scope: 'patient/*.rs',
      challenge: pkce().challenge,
    });
    const page = await api.post('/oauth2/authorize', {
      ...params,
      step: 'password',
      login: PATIENT_CCCD,
      password: PASSWORD,
    });
    assert.equal(page.status, 200);
    const handle = handleOf(page.text);
    const right = api.codes.get(patientId)!;
    const wrong = right === '000000' ? '111111' : '000000';
    assert.equal((await api.post('/oauth2/authorize', { step: 'code', handle, code: wrong })).status, 401);
    assert.equal((await api.post('/oauth2/authorize', { step: 'code', handle, code: wrong })).status, 401);
    assert.equal((await api.post('/oauth2/authorize', { step: 'code', handle, code: wrong })).status, 400);
    const late = await api.post('/oauth2/authorize', { step: 'code', handle, code: right });
    assert.equal(late.status, 400, 'the right code after the cap is refused');
    assert.equal(late.headers.location, undefined);
    const [row] = await api.db.db.query<{ otp_hash: string }>(
      'SELECT otp_hash FROM auth_login ORDER BY expires_at DESC LIMIT 1',
    );
    assert.ok(row && !row.otp_hash.includes(right), 'codes are stored hashed');
  });

  test('security: private_key_jwt refuses a replayed jti, a foreign key, a wrong audience and a long-lived assertion', async () => {
    const system = await systemClient(api, 'his-sec');
    const other = await systemClient(api, 'his-other');
    const assertion = await clientAssertion(system, { jti: 'once' });
    assert.equal((await api.post('/oauth2/token', assertionForm(assertion, 'system/*.rs'))).status, 200);
    const replay = await api.post('/oauth2/token', assertionForm(assertion, 'system/*.rs'));
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error, 'invalid_client');
    const foreignKey = await api.post(
      '/oauth2/token',
      assertionForm(await clientAssertion(system, { key: other.privateJwk }), 'system/*.rs'),
    );
    assert.equal(foreignKey.body.error, 'invalid_client');
    const wrongAud = await api.post(
      '/oauth2/token',
      assertionForm(await clientAssertion(system, { aud: `${BASE}` }), 'system/*.rs'),
    );
    assert.equal(wrongAud.body.error, 'invalid_client');
    const longLived = await api.post(
      '/oauth2/token',
      assertionForm(await clientAssertion(system, { expiresIn: 3600 }), 'system/*.rs'),
    );
    assert.equal(longLived.body.error, 'invalid_client');
    const wrongSecret = await api.post(
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'system/*.rs' },
      { authorization: basic(system.id, 'guess') },
    );
    assert.equal(wrongSecret.status, 401);
    assert.equal(wrongSecret.body.error, 'invalid_client');
  });

  test('security: asking for more scope yields less, never more; nothing grantable is invalid_scope', async () => {
    const system = await systemClient(api, 'his-scope', 'system/Observation.rs');
    const auth = { authorization: basic(system.id, system.secret) };
    const more = await api.post(
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'system/*.cruds system/Observation.cruds user/*.cruds' },
      auth,
    );
    assert.equal(more.status, 200);
    assert.equal(more.body.scope, 'system/Observation.rs');
    const nothing = await api.post(
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'system/Patient.rs' },
      auth,
    );
    assert.equal(nothing.status, 400);
    assert.equal(nothing.body.error, 'invalid_scope');
    const { code, verifier } = await codeFor(
      api,
      patientId,
      PATIENT_CCCD,
      'patient/Observation.rs offline_access',
    );
    const granted = (await exchange(api, code, verifier)).body;
    const widen = await api.post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: granted.refresh_token,
      client_id: 'web',
      scope: 'patient/*.cruds',
    });
    assert.equal(widen.body.error, 'invalid_scope');
    const forged = decodeJwt(granted.access_token);
    assert.equal(forged.scope, 'offline_access patient/Observation.rs');
    const publicCc = await api.post('/oauth2/token', {
      grant_type: 'client_credentials',
      scope: 'system/*.rs',
      client_id: 'web',
    });
    assert.equal(publicCc.body.error, 'unauthorized_client');
    assert.equal(
      (await api.post('/oauth2/token', { grant_type: 'password', client_id: 'web' })).body.error,
      'unsupported_grant_type',
    );
  });
});

describeAuthApi(
  'authorization server rate limit',
  (api) => {
    test('security: the OAuth endpoints limit requests per client IP', async () => {
      const form = {
        grant_type: 'client_credentials',
        scope: 'system/*.rs',
        client_id: 'x',
        client_secret: 'y',
      };
      const replies = [];
      for (let i = 0; i < 7; i++) replies.push(await api.post('/oauth2/token', form, {}, '203.0.113.7'));
      assert.deepEqual(
        replies.map((r) => r.status),
        [401, 401, 401, 401, 401, 429, 429],
      );
      assert.equal(replies[5]!.body.error, 'slow_down');
      assert.ok(Number(replies[5]!.headers['retry-after']) >= 1);
      assert.equal(
        (await api.post('/oauth2/token', form, {}, '203.0.113.8')).status,
        401,
        'another address is not limited',
      );
      assert.equal(
        (await api.get('/fhir/.well-known/smart-configuration')).status,
        200,
        'discovery is not limited',
      );
      assert.equal(ISSUER, 'http://localhost:8080');
    });
  },
  { rateLimit: { max: 5, windowMs: 60_000 } },
);
