// Interoperability: the SMART on FHIR JavaScript library (`fhirclient`, unmodified, its Node
// adapter) makes a standalone launch against a real listening Hồ Sơ server and reads a patient's
// data. A tiny node:http app is the launching app (launch and redirect pages); fetch plays the
// browser (sign-in form, one-time code, redirect back); fhirclient discovers the endpoints, sends
// PKCE, exchanges the code and calls the FHIR API. It checks what the patient sees (both facility
// records linked to them) and what they must not (another patient). No mocks, on both engines.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import smart from 'fhirclient';
import { buildApp } from '../src/app.ts';
import { type Account, createAccount } from '../src/auth/accounts.ts';
import { registerClient } from '../src/auth/clients.ts';
import { processOutbox } from '../src/mpi/linker.ts';
import { describeEachEngine } from './support/engines.ts';
import { patient } from './support/mpi-fixtures.ts';

type SmartClient = Awaited<ReturnType<ReturnType<typeof smart>['ready']>>;

const CCCD_HUNG = '025086113770';
const CCCD_OTHER = '001090123456';
const PASSWORD = 'correct horse battery';
const CLIENT_ID = 'fhirclient-app';
const SCOPE = 'openid fhirUser launch/patient offline_access patient/*.rs';

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/** The hidden and named inputs of the first form on a page, and where it posts to. */
function formOf(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const unescape = (s: string) =>
    s.replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!,
    );
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  assert.ok(action !== undefined, 'the page has a form');
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[unescape(name!)] = unescape(value!);
  return { action: new URL(unescape(action), pageUrl).toString(), fields };
}

const postForm = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

describeEachEngine('fhirclient (SMART on FHIR JS library) standalone launch', (get) => {
  let server: FastifyInstance;
  let fhirBase = '';
  let app: Server;
  let appUrl = '';
  let hung: Account;
  let person = '';
  const codes = new Map<string, string>();
  /** fhirclient's server-side state (one browser session in this test). */
  const session = new Map<string, unknown>();
  const storage = {
    get: async (key: string) => session.get(key),
    set: async (key: string, value: unknown) => (session.set(key, value), value),
    unset: async (key: string) => session.delete(key),
  };
  let ready: Promise<SmartClient>;
  let resolveReady: (client: SmartClient) => void;
  let rejectReady: (err: unknown) => void;
  let client: SmartClient;
  const issuer = () => fhirBase.replace(/\/fhir$/, '');

  /** The launching app: /launch starts authorization, /callback completes it. */
  const handleApp = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', appUrl).pathname;
    if (path === '/launch') {
      smart(req, res, storage)
        .authorize({ iss: fhirBase, clientId: CLIENT_ID, scope: SCOPE, redirectUri: '/callback' })
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    } else if (path === '/callback') {
      smart(req, res, storage)
        .ready()
        .then((c) => {
          resolveReady(c);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('signed in');
        })
        .catch((err: unknown) => {
          rejectReady(err);
          res.writeHead(500).end(String(err));
        });
    } else res.writeHead(404).end();
  };

  /** A facility system's token (client credentials with a secret), over HTTP. */
  async function facilityToken(organizationId: string): Promise<string> {
    const { client: system, secret } = await registerClient(get().db, {
      name: `facility ${organizationId}`,
      confidential: true,
      secret: true,
      scopes: 'system/*.cruds',
      grantTypes: ['client_credentials'],
      organizationId,
    });
    const res = await postForm(`${issuer()}/oauth2/token`, {
      grant_type: 'client_credentials',
      scope: 'system/*.cruds',
      client_id: system.id,
      client_secret: secret!,
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  /** Writes a facility's records (PUT, one transaction) as that facility. */
  async function record(organizationId: string, resources: { resourceType: string; id: string }[]) {
    const res = await fetch(fhirBase, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await facilityToken(organizationId)}`,
        'content-type': 'application/fhir+json',
      },
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: resources.map((resource) => ({
          resource,
          request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
        })),
      }),
    });
    assert.equal(res.status, 200, await res.text());
  }

  const observation = (id: string, subject: string, value: number) => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: `Patient/${subject}` },
    effectiveDateTime: '2026-01-15T09:00:00+07:00',
    valueQuantity: { value, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  });

  /** The browser's part: the sign-in form, the one-time code, and where the server sends it back. */
  async function signInAsHung(authorizeUrl: string): Promise<string> {
    const page = await fetch(authorizeUrl, { redirect: 'manual' });
    assert.equal(page.status, 200);
    const password = formOf(await page.text(), authorizeUrl);
    const codePage = await postForm(password.action, {
      ...password.fields,
      login: CCCD_HUNG,
      password: PASSWORD,
    });
    assert.equal(codePage.status, 200);
    const code = formOf(await codePage.text(), password.action);
    const back = await postForm(code.action, { ...code.fields, code: codes.get(hung.id) ?? '' });
    assert.equal(back.status, 302, await back.text());
    return back.headers.get('location')!;
  }

  before(async () => {
    const db = get().db;
    const otp = {
      async send(account: Account, code: string) {
        codes.set(account.id, code);
      },
    };
    server = await buildApp({
      db,
      baseUrl: () => fhirBase,
      bodyLimit: 1024 * 1024,
      auth: { otp },
      mpi: { linkEveryMs: 0 },
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    fhirBase = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/fhir`;
    app = createServer(handleApp);
    appUrl = `http://127.0.0.1:${await listen(app)}`;
    ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });

    // Nguyễn Văn Hùng has a record at two facilities; another patient has one at the first.
    await record('org-a', [
      patient('hung-a', { cccd: CCCD_HUNG }),
      observation('weight-a', 'hung-a', 61),
      patient('other-a', {
        cccd: CCCD_OTHER,
        family: 'Trần',
        given: ['Thị', 'Mai'],
        birthDate: '1990-07-01',
        gender: 'female',
      }),
      observation('weight-other', 'other-a', 52),
    ]);
    await record('org-b', [patient('hung-b', { cccd: CCCD_HUNG }), observation('weight-b', 'hung-b', 63)]);
    while ((await processOutbox(db)) > 0);
    const persons = await db.query<{ person_id: string }>(
      "SELECT DISTINCT person_id FROM mpi_record WHERE patient_id IN ('hung-a', 'hung-b')",
    );
    assert.equal(persons.length, 1, 'the patient index links both of his records to one person');
    person = persons[0]!.person_id;

    hung = await createAccount(db, { kind: 'patient', login: CCCD_HUNG, password: PASSWORD });
    await registerClient(db, {
      id: CLIENT_ID,
      name: 'fhirclient test app',
      confidential: false,
      redirectUris: [`${appUrl}/callback`],
      scopes: SCOPE,
    });
  });

  after(async () => {
    await new Promise((resolve) => app.close(resolve));
    await server.close();
  });

  test('the app launches, the patient signs in, fhirclient exchanges the code with PKCE', async () => {
    const launch = await fetch(`${appUrl}/launch`, { redirect: 'manual' });
    assert.equal(launch.status, 302, await launch.text());
    const authorizeUrl = launch.headers.get('location')!;
    const asked = new URL(authorizeUrl).searchParams;
    assert.equal(new URL(authorizeUrl).origin, new URL(fhirBase).origin);
    assert.equal(asked.get('aud'), fhirBase);
    assert.equal(asked.get('code_challenge_method'), 'S256');

    const callback = await signInAsHung(authorizeUrl);
    assert.ok(callback.startsWith(`${appUrl}/callback?`), callback);
    assert.equal(new URL(callback).searchParams.get('iss'), issuer());

    const landed = await fetch(callback, { redirect: 'manual' });
    client = await ready;
    assert.equal(landed.status, 200, await landed.text());
    assert.equal(client.getPatientId(), person);
    assert.equal(client.getFhirUser(), `Patient/${person}`);
    assert.equal(client.state.tokenResponse?.token_type, 'Bearer');
    assert.ok(client.state.tokenResponse?.refresh_token, 'offline_access gives a refresh token');
    assert.deepEqual(new Set(client.state.tokenResponse?.scope?.split(' ')), new Set(SCOPE.split(' ')));
  });

  test("client.patient.read() is the person's golden Patient across both facility records", async () => {
    const golden = (await client.patient.read()) as { id: string; link?: { other: { reference: string } }[] };
    assert.equal(golden.id, person);
    assert.deepEqual(golden.link?.map((l) => l.other.reference).sort(), ['Patient/hung-a', 'Patient/hung-b']);
  });

  test("the patient's observations come from both facilities, never another patient's", async () => {
    const observations = (await client.request('Observation?code=http://loinc.org|29463-7', {
      flat: true,
      pageLimit: 0,
    })) as { id: string }[];
    assert.deepEqual(observations.map((o) => o.id).sort(), ['weight-a', 'weight-b']);
    await assert.rejects(client.request('Observation/weight-other'), (err: { status?: number }) => {
      assert.equal(err.status, 404);
      return true;
    });
    await assert.rejects(client.request('Patient/other-a'), (err: { status?: number }) => err.status === 404);
    const records = (await client.request('Patient', { flat: true, pageLimit: 0 })) as { id: string }[];
    assert.deepEqual(records.map((r) => r.id).sort(), ['hung-a', 'hung-b']);
  });

  test('Patient/{id}/$everything through fhirclient spans both facility records and nothing else', async () => {
    const everything = (await client.request(`Patient/${client.patient.id}/$everything`, {
      flat: true,
      pageLimit: 0,
    })) as { resourceType: string; id: string }[];
    assert.deepEqual(everything.map((r) => `${r.resourceType}/${r.id}`).sort(), [
      'Observation/weight-a',
      'Observation/weight-b',
      'Patient/hung-a',
      'Patient/hung-b',
    ]);
  });

  test('fhirclient refreshes its token the way it does by default (a public client, no client_id) and reads on', async () => {
    const before = client.state.tokenResponse!;
    await client.refresh();
    const after = client.state.tokenResponse!;
    assert.notEqual(after.access_token, before.access_token);
    assert.ok(
      after.refresh_token && after.refresh_token !== before.refresh_token,
      'the refresh token rotates',
    );
    const golden = (await client.patient.read()) as { id: string };
    assert.equal(golden.id, person);
  });

  test("security: a refresh without client credentials is refused for a confidential client's token", async () => {
    const redirectUri = `${appUrl}/confidential`;
    const { client: confidential, secret } = await registerClient(get().db, {
      name: 'confidential app',
      confidential: true,
      secret: true,
      redirectUris: [redirectUri],
      scopes: 'offline_access patient/*.rs',
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${issuer()}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: confidential.id,
      redirect_uri: redirectUri,
      scope: 'offline_access patient/*.rs',
      state: 'confidential-state',
      aud: fhirBase,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const callback = new URL(await signInAsHung(authorize.toString()));
    const credentials = `Basic ${Buffer.from(`${confidential.id}:${secret}`).toString('base64')}`;
    const token = (form: Record<string, string>, authorization?: string) =>
      fetch(`${issuer()}/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(authorization ? { authorization } : {}),
        },
        body: new URLSearchParams(form).toString(),
      });
    const issued = await token(
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
      },
      credentials,
    );
    assert.equal(issued.status, 200);
    const { refresh_token: refreshToken } = (await issued.json()) as { refresh_token: string };

    const anonymous = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: string }).error, 'invalid_client');
    const unknown = await token({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' });
    assert.equal(unknown.status, 401);
    const authenticated = await token(
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      credentials,
    );
    assert.equal(authenticated.status, 200, 'the refused attempt did not use the token up');
  });

  test("client.patient.request('Observation') finds the person's observations at every facility", async () => {
    const observations = (await client.patient.request('Observation', {
      flat: true,
      pageLimit: 0,
    })) as { id: string }[];
    assert.deepEqual(observations.map((o) => o.id).sort(), ['weight-a', 'weight-b']);
  });
});
