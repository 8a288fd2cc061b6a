// Gives each test file fresh, already-migrated databases on both engines: a copy of the PGlite
// template folder, and on PostgreSQL a database created from the template. The PostgreSQL variant
// is skipped (with a reason shown by the runner) when HOSO_TEST_DATABASE_URL is not set.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrations.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';

export type Engine = 'pglite' | 'postgres';

export interface TestDatabase {
  db: Database;
  /** PGlite folder or PostgreSQL URL of this copy, for tests that start a server process on it. */
  location: string;
  dispose(): Promise<void>;
}

export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'hoso-test-'));
    const template = process.env.HOSO_TEST_PGLITE_TEMPLATE;
    if (template) cpSync(template, join(dir, 'pglite'), { recursive: true });
    const db = await openPglite(join(dir, 'pglite'));
    if (!template) await migrate(db);
    return {
      db,
      location: dir,
      dispose: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.HOSO_TEST_DATABASE_URL!;
  const name = `hoso_test_${process.env.HOSO_TEST_RUN ?? process.pid}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const template = process.env.HOSO_TEST_PG_TEMPLATE;
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = await openPostgres(dbUrl.toString(), 4);
  if (!template) await migrate(db);
  return {
    db,
    location: dbUrl.toString(),
    dispose: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export const postgresSkipReason = () =>
  process.env.HOSO_TEST_DATABASE_URL
    ? false
    : 'HOSO_TEST_DATABASE_URL is not set: PostgreSQL variant skipped';

/** Declares `body` once per engine, with a fresh database opened before and disposed after. */
export function describeEachEngine(
  title: string,
  body: (get: () => TestDatabase, engine: Engine) => void,
): void {
  for (const engine of ['pglite', 'postgres'] as const) {
    describe(`${title} [${engine}]`, { skip: engine === 'postgres' ? postgresSkipReason() : false }, () => {
      let current: TestDatabase | undefined;
      before(async () => {
        current = await openTestDatabase(engine);
      });
      after(async () => {
        await current?.dispose();
      });
      body(() => current!, engine);
    });
  }
}
