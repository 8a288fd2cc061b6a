// Demo access (development): the seeded facility system client gets a token in one request with
// its secret and with its private_key_jwt key file, the persona and the clinician can sign in, the
// credentials survive a restart and are re-keyed when their file is gone. In production the
// server creates no client and no account. On both engines (production start: PGlite).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SignJWT, decodeJwt, importJWK, type JWK } from 'jose';
import { demoBundles } from '@hoso/generator';
import { loadConfig } from '../src/config.ts';
import { loadSeed } from '../src/seed.ts';
import { startServer } from '../src/start.ts';
import { openPglite } from '../src/db/pglite.ts';
import { DEMO_CLIENT_ID, demoPersona, ensureDemoAccess } from '../src/auth/demo.ts';
import { REDIRECT, describeAuthApi, pkce, redirectParams, signIn } from './support/auth-api.ts';
import { adminToken, assertionForm, basic, publicClient } from './support/auth-fixtures.ts';
import { randomUUID } from 'node:crypto';

describeAuthApi('demo access', (api) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoso-demo-access-'));
  const bundles = [...demoBundles({ patients: 5 })];
  const persona = async () => demoPersona(bundles);

  test('the demo system client, patient and clinician can get in', async () => {
    await loadSeed(api.app, bundles, () => {});
    const processed = await api.app.inject({
      method: 'POST',
      url: '/admin/mpi/$process',
      headers: { authorization: `Bearer ${await adminToken(api)}` },
    });
    assert.equal(processed.statusCode, 200);
    const access = await ensureDemoAccess(api.db.db, dataDir, persona);
    assert.equal(access.clientId, DEMO_CLIENT_ID);
    assert.equal(access.patient?.citizenId, (await persona()).citizenId);
    assert.equal(statSync(join(dataDir, 'demo-access.json')).mode & 0o777, 0o600);
    assert.equal(statSync(access.privateKeyFile).mode & 0o777, 0o600);

    const bySecret = await api.post(
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'system/*.rs' },
      { authorization: basic(access.clientId, access.clientSecret) },
    );
    assert.equal(bySecret.status, 200, bySecret.text);
    assert.equal(decodeJwt(bySecret.body.access_token).organization, (await persona()).organization);
    const key = JSON.parse(readFileSync(access.privateKeyFile, 'utf8')) as JWK;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES384', kid: String(key.kid) })
      .setIssuer(access.clientId)
      .setSubject(access.clientId)
      .setAudience('http://localhost:8080/oauth2/token')
      .setJti(randomUUID())
      .setExpirationTime('2m')
      .sign(await importJWK(key, 'ES384'));
    const byKey = await api.post('/oauth2/token', assertionForm(assertion, 'system/*.rs'));
    assert.equal(byKey.status, 200, byKey.text);

    await publicClient(api, 'web');
    const [patient] = await api.db.db.query<{ id: string }>('SELECT id FROM auth_account WHERE login = $1', [
      access.patient!.citizenId,
    ]);
    const { verifier, challenge } = pkce();
    const signedIn = await signIn(
      api,
      {
        clientId: 'web',
        login: access.patient!.citizenId,
        password: access.patient!.password,
        scope: 'launch/patient patient/*.rs',
        challenge,
      },
      patient!.id,
    );
    assert.equal(signedIn.status, 302, signedIn.text);
    const token = await api.post('/oauth2/token', {
      grant_type: 'authorization_code',
      code: redirectParams(signedIn).get('code') ?? '',
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: 'web',
    });
    assert.equal(token.status, 200, token.text);
    assert.ok(token.body.patient, 'the persona has a person in the patient index');

    const clinician = access.clinician!;
    assert.equal(clinician.organization, (await persona()).organization);
    const [doctor] = await api.db.db.query<{ id: string }>('SELECT id FROM auth_account WHERE login = $1', [
      clinician.username,
    ]);
    const staff = await signIn(
      api,
      {
        clientId: 'web',
        login: clinician.username,
        password: clinician.password,
        scope: 'user/*.rs',
        challenge,
      },
      doctor!.id,
    );
    assert.equal(staff.status, 302, staff.text);
  });

  test('the credentials survive a restart and are re-keyed when their file is gone', async () => {
    const first = await ensureDemoAccess(api.db.db, dataDir, persona);
    assert.deepEqual(await ensureDemoAccess(api.db.db, dataDir, persona), first);
    rmSync(join(dataDir, 'demo-access.json'));
    const second = await ensureDemoAccess(api.db.db, dataDir, persona);
    assert.notEqual(second.clientSecret, first.clientSecret);
    const old = await api.post(
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'system/*.rs' },
      { authorization: basic(first.clientId, first.clientSecret) },
    );
    assert.equal(old.status, 401);
    const fresh = await api.post(
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'system/*.rs' },
      { authorization: basic(second.clientId, second.clientSecret) },
    );
    assert.equal(fresh.status, 200);
    rmSync(dataDir, { recursive: true, force: true });
  });
});

/** Runs `fn` with console.log captured; returns the lines printed. */
async function captureLog(fn: () => Promise<void>): Promise<string[]> {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(' '));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return printed;
}

test('in development `npm start` prints the demo credentials and a token request that works', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoso-dev-'));
  let close: (() => Promise<void>) | undefined;
  try {
    const config = { ...loadConfig({ PORT: '0', HOST: '127.0.0.1' }, dataDir), dataDir };
    const printed = await captureLog(async () => {
      close = await startServer(config, { demo: async () => demoBundles({ patients: 3 }) });
    });
    const text = printed.join('\n');
    assert.match(text, /facility system client: id hoso-demo-system, secret \S+/);
    assert.match(text, /patient \(the persona Nguyễn Văn Hùng\): citizen ID \d{12}, password \S+/);
    assert.match(text, /clinician: username bs\.demo, password \S+/);
    const curl =
      /curl -s -u '([^:]+):([^']+)' -d grant_type=client_credentials -d 'scope=([^']+)' (\S+)/.exec(text);
    assert.ok(curl, text);
    const [, id, secret, scope, url] = curl;
    const res = await fetch(url!, {
      method: 'POST',
      headers: { authorization: basic(id!, secret!), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: scope! }),
    });
    const body = (await res.json()) as { scope?: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.scope, 'system/*.rs');
  } finally {
    await close?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('in production the server starts with no client, no account and no demo credentials', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoso-prod-'));
  const config = {
    ...loadConfig({ HOSO_ENV: 'production', PORT: '0', HOST: '127.0.0.1' }, dataDir),
    dataDir,
  };
  const printed = await captureLog(async () => {
    const close = await startServer(config, { demo: async () => demoBundles({ patients: 2 }) });
    await close();
  });
  const db = await openPglite(join(dataDir, 'pglite'));
  try {
    const [counts] = await db.query<{ clients: number; accounts: number }>(
      'SELECT (SELECT count(*)::int FROM auth_client) AS clients, (SELECT count(*)::int FROM auth_account) AS accounts',
    );
    assert.deepEqual(counts, { clients: 0, accounts: 0 });
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  assert.equal(
    printed.some((line) => /Demo access|secret|password/i.test(line)),
    false,
    printed.join('\n'),
  );
});
