// Database adapter for embedded PGlite (PostgreSQL in WebAssembly, one in-process connection).
// It must not be opened on a folder another process uses: callers take the folder lock first.
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, SqlValue } from './database.ts';

function wrap(q: Pick<PGlite, 'query'>): Queryable {
  return {
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await q.query<T>(sql, params as unknown[]);
      return result.rows;
    },
  };
}

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  return {
    engine: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (script) => {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}
