// Opens the configured database — a PostgreSQL server when HOSO_DATABASE_URL is set, otherwise
// embedded PGlite in the data folder under an exclusive folder lock — and migrates it.
import { join } from 'node:path';
import type { Database } from './db/database.ts';
import { lockFolder } from './db/folder-lock.ts';
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
    const db = await openPglite(join(dataDir, 'pglite'));
    await migrate(db);
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
    lock.release();
    throw err;
  }
}
