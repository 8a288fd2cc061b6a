// Opens the configured database — a PostgreSQL server when HOSO_DATABASE_URL is set, otherwise
// embedded PGlite in the data folder under an exclusive folder lock — and migrates it. After an
// unclean stop of the embedded store it checks the store's consistency and refuses a damaged one.
import { join } from 'node:path';
import type { Database } from './db/database.ts';
import { lockFolder } from './db/folder-lock.ts';
import { StoreDamagedError, checkStoreIntegrity } from './db/integrity.ts';
import { migrate } from './db/migrations.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';

export interface OpenedDatabase {
  db: Database;
  /** Where the data lives, for the start-up banner (never the URL's password). */
  description: string;
  /** True when the embedded store was not closed cleanly last time (its owner was killed). */
  uncleanShutdown: boolean;
  close(): Promise<void>;
}

export async function openDatabase(
  databaseUrl: string | undefined,
  dataDir: string,
): Promise<OpenedDatabase> {
  if (databaseUrl) {
    const db = await openPostgres(databaseUrl);
    await migrate(db);
    const url = new URL(databaseUrl);
    return {
      db,
      description: `PostgreSQL ${url.host}${url.pathname}`,
      uncleanShutdown: false,
      close: () => db.close(),
    };
  }
  const lock = lockFolder(dataDir);
  try {
    const db = await openEmbedded(dataDir, lock.previousOwnerDied);
    return {
      db,
      description: `embedded PGlite in ${dataDir}`,
      uncleanShutdown: lock.previousOwnerDied,
      close: async () => {
        await db.close();
        lock.release();
      },
    };
  } catch (err) {
    // A damaged store keeps the lock with this (soon dead) pid, so the next start checks it again.
    if (!(err instanceof StoreDamagedError)) lock.release();
    throw err;
  }
}

/**
 * Opens and migrates the PGlite store. When its previous owner died, a failure to open is reported
 * as damage, and the store's bookkeeping is checked before anything is served.
 */
async function openEmbedded(dataDir: string, unclean: boolean): Promise<Database> {
  let db: Database;
  try {
    db = await openPglite(join(dataDir, 'pglite'));
  } catch (err) {
    if (!unclean) throw err;
    throw new StoreDamagedError(dataDir, [`PGlite cannot open it (${(err as Error).message})`]);
  }
  try {
    await migrate(db);
    if (unclean) {
      const problems = await checkStoreIntegrity(db);
      if (problems.length > 0) throw new StoreDamagedError(dataDir, problems);
    }
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    if (!unclean || err instanceof StoreDamagedError) throw err;
    throw new StoreDamagedError(dataDir, [`it cannot be migrated (${(err as Error).message})`]);
  }
}
