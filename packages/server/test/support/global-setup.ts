// Runs once before the whole suite (called by scripts/test.mjs): migrates a PGlite template folder
// and, when HOSO_TEST_DATABASE_URL is set, a PostgreSQL template database. Test files copy these
// instead of migrating again. Names carry the runner's pid so concurrent runs never share or drop
// each other's databases; leftovers of runs that died are removed. Fails loudly if the configured
// PostgreSQL is unreachable.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { isAlive } from '../../src/db/folder-lock.ts';
import { migrate } from '../../src/db/migrations.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const testDir = join(root, '.hoso-test');
const run = String(process.pid);
const templateName = `hoso_test_${run}_template`;

const deadRun = (name: string) => {
  const pid = Number(/^(?:hoso_test_)?(\d+)/.exec(name)?.[1]);
  return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
};

async function withAdmin<T>(url: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

export async function globalSetup(): Promise<Record<string, string>> {
  mkdirSync(testDir, { recursive: true });
  for (const name of readdirSync(testDir)) {
    if (deadRun(name)) rmSync(join(testDir, name), { recursive: true, force: true });
  }
  const template = join(testDir, run, 'pglite-template');
  mkdirSync(join(testDir, run), { recursive: true });
  const db = await openPglite(template);
  await migrate(db);
  await db.close();
  const env: Record<string, string> = { HOSO_TEST_RUN: run, HOSO_TEST_PGLITE_TEMPLATE: template };
  const url = process.env.HOSO_TEST_DATABASE_URL;
  if (url) {
    await withAdmin(url, async (admin) => {
      const existing = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'hoso_test_%'",
      );
      for (const { datname } of existing.rows) {
        if (deadRun(datname)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await admin.query(`CREATE DATABASE ${templateName}`);
    });
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${templateName}`;
    const tdb = await openPostgres(templateUrl.toString(), 1);
    await migrate(tdb);
    await tdb.close();
    env.HOSO_TEST_PG_TEMPLATE = templateName;
  }
  return env;
}

export async function globalTeardown(): Promise<void> {
  rmSync(join(testDir, run), { recursive: true, force: true });
  const url = process.env.HOSO_TEST_DATABASE_URL;
  if (url)
    await withAdmin(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`));
}
