// A throwaway database for one benchmark run: a PGlite folder in the temp directory, or a fresh
// PostgreSQL database created through a maintenance connection that stays open (to find the
// database's backends, and to drop it at the end unless kept). Benchmark setup only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../../packages/server/src/db/database.ts';
import { openPglite } from '../../packages/server/src/db/pglite.ts';
import { openPostgres } from '../../packages/server/src/db/postgres.ts';

export interface ScratchDatabase {
  db: Database;
  /** The PostgreSQL database's name and its maintenance connection; absent on PGlite. */
  postgres?: { name: string; admin: pg.Client };
  /** Closes the database and removes it (a kept PostgreSQL database is only closed). */
  cleanup(): Promise<void>;
}

/**
 * Opens a scratch database named `name` (`hoso_…`; on PGlite a temp folder of that prefix) with
 * `connections` pooled connections on PostgreSQL.
 */
export async function openScratch(
  engine: 'pglite' | 'postgres',
  adminUrl: string,
  name: string,
  options: { connections?: number; keep?: boolean } = {},
): Promise<ScratchDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    const db = await openPglite(dir);
    return { db, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), options.connections ?? 2);
  return {
    db,
    postgres: { name, admin },
    cleanup: async () => {
      await db.close();
      if (options.keep) console.log(`kept database ${name}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
