// `hoso admin create-admin` as a real process in production on both engines: it creates the first
// administrator of a new PGlite folder (migrating it) or PostgreSQL database with the password
// piped on stdin or generated, refuses an existing login (exit 1), bad options (exit 2) and a
// folder a running server holds; then each created administrator signs in to a production server
// (password, then the one-time code from the stand-in SMS gateway) and uses /admin/auth.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { registerClient } from '../src/auth/clients.ts';
import type { Queryable } from '../src/db/database.ts';
import { lockFolder } from '../src/db/folder-lock.ts';
import { openPglite } from '../src/db/pglite.ts';
import { type Engine, openTestDatabase, postgresSkipReason } from './support/engines.ts';
import {
  type Gateway,
  REDIRECT,
  type Served,
  signInOverSms,
  startGateway,
  startProduction,
} from './support/production-server.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PASSWORD = 'a long enough password';

function createAdminCli(engine: Engine, location: string, args: string[], input = '') {
  const env: NodeJS.ProcessEnv = { ...process.env, HOSO_ENV: 'production' };
  delete env.NODE_TEST_CONTEXT;
  delete env.HOSO_DATABASE_URL;
  delete env.HOSO_DATA_DIR;
  const where = engine === 'pglite' ? ['--data-dir', location] : ['--database-url', location];
  const run = spawnSync(process.execPath, ['bin/hoso.mjs', 'admin', ...args, ...where], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const consoleClient = (db: Queryable) =>
  registerClient(db, {
    id: 'console',
    name: 'admin console',
    confidential: false,
    redirectUris: [REDIRECT],
    scopes: 'openid user/*.cruds',
  });

for (const engine of ['pglite', 'postgres'] as const) {
  describe(
    `hoso admin create-admin [${engine}]`,
    { skip: engine === 'postgres' && postgresSkipReason() },
    () => {
      let location: string;
      let dispose: () => Promise<void>;
      let gateway: Gateway;
      let generated: string;
      let postgres: Queryable | undefined;

      before(async () => {
        gateway = await startGateway();
        if (engine === 'pglite') {
          location = mkdtempSync(join(tmpdir(), 'hoso-admin-cli-'));
          dispose = async () => rmSync(location, { recursive: true, force: true });
        } else {
          const database = await openTestDatabase('postgres');
          location = database.location;
          postgres = database.db;
          dispose = () => database.dispose();
        }
      });
      after(async () => {
        await gateway.close();
        await dispose();
      });

      test('creates administrators (password from stdin or generated) and refuses what it must', () => {
        const first = createAdminCli(
          engine,
          location,
          ['create-admin', '--login', 'Root.Admin', '--phone', '0912 345 678'],
          `${PASSWORD}\n`,
        );
        assert.equal(first.code, 0, first.out + first.err);
        assert.match(first.out, /created administrator root\.admin \(account [0-9a-f-]{36}\)/);
        assert.ok(
          !first.out.includes(PASSWORD) && !first.err.includes(PASSWORD),
          'the password is not echoed',
        );

        const second = createAdminCli(engine, location, [
          'create-admin',
          '--login',
          'ops.admin',
          '--phone',
          '+84 91 234 5678',
          '--generate-password',
        ]);
        assert.equal(second.code, 0, second.out + second.err);
        generated = /password \(shown once, keep it safe\): (\S+)/.exec(second.out)?.[1] ?? '';
        assert.ok(generated.length >= 24, second.out);

        const again = createAdminCli(
          engine,
          location,
          ['create-admin', '--login', 'root.admin'],
          `${PASSWORD}\n`,
        );
        assert.equal(again.code, 1, again.out + again.err);
        assert.match(again.err, /an account with the login "root\.admin" already exists/);

        const short = createAdminCli(engine, location, ['create-admin', '--login', 'short.pw'], 'short\n');
        assert.equal(short.code, 1, short.out + short.err);
        assert.match(short.err, /at least 10 characters/);

        const badPhone = createAdminCli(
          engine,
          location,
          ['create-admin', '--login', 'bad.phone', '--phone', '024 3825 1234'],
          `${PASSWORD}\n`,
        );
        assert.equal(badPhone.code, 1, badPhone.out + badPhone.err);
        assert.match(badPhone.err, /not a Vietnamese mobile number/);

        for (const args of [
          ['create-admin'],
          ['create-admin', '--login', 'x.admin', '--password', 'p'],
          ['create'],
        ]) {
          const bad = createAdminCli(engine, location, args, `${PASSWORD}\n`);
          assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.out}${bad.err}`);
          assert.match(bad.out, /usage: hoso admin create-admin/);
        }
        const noPassword = createAdminCli(engine, location, ['create-admin', '--login', 'no.password']);
        assert.equal(noPassword.code, 2, noPassword.out + noPassword.err);
        assert.match(noPassword.err, /no password on stdin/);

        if (engine === 'pglite') {
          const lock = lockFolder(location);
          try {
            const held = createAdminCli(
              engine,
              location,
              ['create-admin', '--login', 'late.admin'],
              `${PASSWORD}\n`,
            );
            assert.equal(held.code, 1, held.out + held.err);
            assert.match(held.err, /in use by process \d+/);
            assert.match(held.err, /stop the server, then create the account/);
          } finally {
            lock.release();
          }
        }
      });

      test('each administrator signs in with an SMS code to a production server and uses /admin/auth', async () => {
        if (postgres) await consoleClient(postgres);
        else {
          const db = await openPglite(join(location, 'pglite'));
          await consoleClient(db);
          await db.close();
        }
        let served: Served | undefined;
        try {
          served = await startProduction(engine, location, gateway);
          for (const [login, password] of [
            ['root.admin', PASSWORD],
            ['ops.admin', generated],
          ] as const) {
            const token = await signInOverSms(served, gateway, {
              clientId: 'console',
              login,
              password,
              scope: 'openid user/*.cruds',
            });
            assert.equal(gateway.requests.at(-1)?.body.to, '+84912345678');
            const created: Response = await fetch(`${served.origin}/admin/auth/accounts`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ kind: 'analyst', login: `analyst.by.${login}`, password: PASSWORD }),
            });
            assert.equal(created.status, 201, await created.text());
          }
        } finally {
          await served?.close();
        }
      });
    },
  );
}
