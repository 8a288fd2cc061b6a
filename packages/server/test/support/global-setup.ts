// Runs once before the whole suite (called by scripts/test.mjs): migrates a PGlite template folder
// and, when HOSO_TEST_DATABASE_URL is set, a PostgreSQL template database. Test files copy these
// instead of migrating again. Fails loudly if the configured PostgreSQL is unreachable.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../../src/db/migrations.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const PG_TEMPLATE = 'hoso_test_template';

export async function globalSetup(): Promise<Record<string, string>> {
  const dir = join(root, '.hoso-test');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const template = join(dir, 'pglite-template');
  const db = await openPglite(template);
  await migrate(db);
  await db.close();
  const env: Record<string, string> = { HOSO_TEST_PGLITE_TEMPLATE: template };
  const url = process.env.HOSO_TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const stale = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'hoso_test_%'",
    );
    for (const { datname } of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
    await admin.end();
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${PG_TEMPLATE}`;
    const tdb = await openPostgres(templateUrl.toString(), 1);
    await migrate(tdb);
    await tdb.close();
    env.HOSO_TEST_PG_TEMPLATE = PG_TEMPLATE;
  }
  return env;
}
