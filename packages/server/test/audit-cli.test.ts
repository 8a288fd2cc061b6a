// `hoso audit verify` as a real process on both engines: exit 0 and the counts on an intact trail,
// exit 1 naming the chain and sequence after a row was edited behind the append-only guard.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recordAccess } from '../src/audit/record.ts';
import type { Database } from '../src/db/database.ts';
import { openPglite } from '../src/db/pglite.ts';
import { type Engine, openTestDatabase, postgresSkipReason } from './support/engines.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function verifyCli(engine: Engine, location: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOSO_ENV: 'production' };
  delete env.NODE_TEST_CONTEXT;
  delete env.HOSO_DATABASE_URL;
  delete env.HOSO_DATA_DIR;
  const where = engine === 'pglite' ? ['--data-dir', location] : ['--database-url', location];
  const run = spawnSync(process.execPath, ['bin/hoso.mjs', 'audit', 'verify', ...where], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

async function record(db: Database) {
  const actor = { kind: 'system', subject: 'lab', clientId: 'lab' } as const;
  for (const patient of ['a', 'b', 'c']) {
    for (let i = 0; i < 2; i++) {
      await db.transaction((tx) =>
        recordAccess(tx, [
          { patient, interaction: 'create', outcome: 0, purpose: 'TREAT', actor, resources: [] },
        ]),
      );
    }
  }
}

async function editRow(db: Database) {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
    await tx.query(
      `UPDATE audit_event SET content = replace(content, '"C"', '"R"') WHERE chain_key = 'Patient/b' AND seq = 2`,
    );
    await tx.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
  });
}

describe('hoso audit verify', () => {
  test('security: PGlite — intact trail exits 0, an edited row exits 1 naming chain and sequence', async () => {
    const database = await openTestDatabase('pglite');
    try {
      await record(database.db);
      await database.db.close();
      const ok = verifyCli('pglite', database.location);
      assert.equal(ok.code, 0, ok.out + ok.err);
      assert.match(ok.out, /3 chains, 6 events checked/);
      assert.match(ok.out, /every chain holds/);
      const db = await openPglite(join(database.location, 'pglite'));
      await editRow(db);
      await db.close();
      const broken = verifyCli('pglite', database.location);
      assert.equal(broken.code, 1, broken.out + broken.err);
      assert.match(broken.out, /BROKEN Patient\/b at sequence 2/);
      assert.match(broken.out, /1 broken chain/);
    } finally {
      rmSync(database.location, { recursive: true, force: true });
    }
  });

  test(
    'security: PostgreSQL — intact trail exits 0, an edited row exits 1 naming chain and sequence',
    { skip: postgresSkipReason() },
    async () => {
      const database = await openTestDatabase('postgres');
      try {
        await record(database.db);
        const ok = verifyCli('postgres', database.location);
        assert.equal(ok.code, 0, ok.out + ok.err);
        assert.match(ok.out, /3 chains, 6 events checked/);
        await editRow(database.db);
        const broken = verifyCli('postgres', database.location);
        assert.equal(broken.code, 1, broken.out + broken.err);
        assert.match(broken.out, /BROKEN Patient\/b at sequence 2/);
      } finally {
        await database.dispose();
      }
    },
  );
});
