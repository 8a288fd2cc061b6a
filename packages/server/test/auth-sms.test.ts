// One-time codes over an SMS gateway, on both engines: a production server configured by
// HOSO_SMS_* sends each code as one JSON POST to a stand-in gateway on 127.0.0.1 and the sign-in
// completes with the code it received; a gateway that answers 500 or never answers, and an
// account without a mobile number, end the sign-in with a clear page and no usable code; without
// a gateway, production still refuses. Also the pure parts: phone numbers and configuration.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createAccount } from '../src/auth/accounts.ts';
import { registerClient } from '../src/auth/clients.ts';
import { smsNumber, smsText } from '../src/auth/sms-message.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import type { Queryable } from '../src/db/database.ts';
import { type Engine, type TestDatabase, openTestDatabase, postgresSkipReason } from './support/engines.ts';
import {
  type Gateway,
  REDIRECT,
  SMS_SENDER,
  SMS_TOKEN,
  type Served,
  handleOf,
  passwordStep,
  signInOverSms,
  startGateway,
  startProduction,
} from './support/production-server.ts';

const PASSWORD = 'a long enough password';
const SCOPE = 'openid user/*.rs';

async function fixtures(db: Queryable): Promise<void> {
  for (const [login, phone] of [
    ['with.phone', '+84 91 234 5678'],
    ['no.phone', undefined],
    ['landline', '024 3825 1234'],
  ] as const) {
    await createAccount(db, { kind: 'analyst', login, password: PASSWORD, ...(phone ? { phone } : {}) });
  }
  await registerClient(db, {
    id: 'web',
    name: 'web',
    confidential: false,
    redirectUris: [REDIRECT],
    scopes: SCOPE,
  });
}

const signIn = (login: string) => ({ clientId: 'web', login, password: PASSWORD, scope: SCOPE });

describe('SMS one-time codes: pure parts', () => {
  test('Vietnamese mobile numbers become E.164; anything else is refused', () => {
    for (const typed of ['0912345678', '84912345678', '+84 91 234 5678', '0912.345.678', '(091) 234-5678'])
      assert.equal(smsNumber(typed), '+84912345678', typed);
    assert.equal(smsNumber('01623456789'), '+84323456789', 'the 2018 renumbering');
    for (const typed of [undefined, '', '024 3825 1234', '091234567', '+1 202 555 0100', '0012345678', 'abc'])
      assert.equal(smsNumber(typed), undefined, String(typed));
  });

  test('the message says what the code is for and how long it lives', () => {
    assert.equal(smsText('012345'), 'Mã đăng nhập Hồ Sơ: 012345 (hết hạn sau 5 phút)');
  });

  test('HOSO_SMS_* configuration: https or a local http URL, URL and token together', () => {
    const load = (env: NodeJS.ProcessEnv) => loadConfig({ HOSO_ENV: 'production', ...env }, '/srv');
    assert.equal(load({}).sms, undefined);
    assert.deepEqual(load({ HOSO_SMS_URL: 'https://sms.example/send', HOSO_SMS_TOKEN: 't' }).sms, {
      url: 'https://sms.example/send',
      token: 't',
      sender: 'HoSo',
      timeoutMs: 10_000,
    });
    const local = load({
      HOSO_SMS_URL: 'http://127.0.0.1:9000/sms',
      HOSO_SMS_TOKEN: 't',
      HOSO_SMS_SENDER: 'BV-Bach-Mai',
      HOSO_SMS_TIMEOUT_MS: '3000',
    }).sms;
    assert.equal(local?.sender, 'BV-Bach-Mai');
    assert.equal(local?.timeoutMs, 3000);
    assert.ok(load({ HOSO_SMS_URL: 'http://localhost/sms', HOSO_SMS_TOKEN: 't' }).sms);
    for (const env of [
      { HOSO_SMS_URL: 'http://sms.example/send', HOSO_SMS_TOKEN: 't' },
      { HOSO_SMS_URL: 'https://sms.example/send' },
      { HOSO_SMS_TOKEN: 't' },
      { HOSO_SMS_URL: 'not a url', HOSO_SMS_TOKEN: 't' },
      { HOSO_SMS_URL: 'https://sms.example/send', HOSO_SMS_TOKEN: 't', HOSO_SMS_TIMEOUT_MS: '0' },
    ])
      assert.throws(() => load(env), ConfigError, JSON.stringify(env));
  });
});

for (const engine of ['pglite', 'postgres'] as const satisfies readonly Engine[]) {
  describe(`SMS one-time codes [${engine}]`, { skip: engine === 'postgres' && postgresSkipReason() }, () => {
    let database: TestDatabase;
    let gateway: Gateway;
    let served: Served | undefined;

    before(async () => {
      gateway = await startGateway();
      database = await openTestDatabase(engine);
      await fixtures(database.db);
      if (engine === 'pglite') await database.db.close();
      served = await startProduction(engine, database.location, gateway, 500);
    });
    after(async () => {
      await served?.close();
      await gateway.close();
      if (engine === 'pglite') rmSync(database.location, { recursive: true, force: true });
      else await database.dispose();
    });

    test('the code goes to the gateway as one SMS and signs the account in', async () => {
      gateway.mode = 'ok';
      const token = await signInOverSms(served!, gateway, signIn('with.phone'));
      assert.ok(token);
      assert.equal(gateway.requests.length, 1);
      const [sms] = gateway.requests;
      assert.equal(sms!.headers.authorization, `Bearer ${SMS_TOKEN}`);
      assert.match(String(sms!.headers['content-type']), /^application\/json/);
      assert.equal(sms!.body.to, '+84912345678');
      assert.equal(sms!.body.from, SMS_SENDER);
      assert.match(sms!.body.text, /^Mã đăng nhập Hồ Sơ: \d{6} \(hết hạn sau 5 phút\)$/);
    });

    test('a gateway answering 500 ends the sign-in with a clear page and no code page', async () => {
      gateway.mode = 'fail';
      const before = gateway.requests.length;
      const { reply } = await passwordStep(served!, signIn('with.phone'));
      assert.equal(reply.status, 503, reply.text);
      assert.match(reply.text, /The one-time code could not be sent; try again later/);
      assert.equal(handleOf(reply.text), '', 'no handle: the code that was sent cannot be entered');
      assert.equal(gateway.requests.length, before + 1);
      gateway.mode = 'ok';
      assert.ok(await signInOverSms(served!, gateway, signIn('with.phone')), 'the next sign-in works');
    });

    test('a gateway that never answers is given up after the timeout', async () => {
      gateway.mode = 'hang';
      const started = performance.now();
      const { reply } = await passwordStep(served!, signIn('with.phone'));
      assert.equal(reply.status, 503, reply.text);
      assert.match(reply.text, /could not be sent/);
      assert.equal(handleOf(reply.text), '');
      assert.ok(performance.now() - started < 5000, 'answered soon after the 500 ms timeout');
      gateway.mode = 'ok';
    });

    test('an account without a mobile number is told so and nothing is sent', async () => {
      const before = gateway.requests.length;
      for (const login of ['no.phone', 'landline']) {
        const { reply } = await passwordStep(served!, signIn(login));
        assert.equal(reply.status, 403, reply.text);
        assert.match(reply.text, /The account has no mobile phone number for one-time codes/);
        assert.equal(handleOf(reply.text), '');
      }
      assert.equal(gateway.requests.length, before);
    });

    test('production without a gateway still refuses sign-in by code', async () => {
      await served!.close();
      served = undefined;
      served = await startProduction(engine, database.location, undefined);
      const { reply } = await passwordStep(served, signIn('with.phone'));
      assert.equal(reply.status, 503, reply.text);
      assert.equal(handleOf(reply.text), '');
    });
  });
}
