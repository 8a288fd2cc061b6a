// Database adapter for embedded PGlite (PostgreSQL in WebAssembly, one in-process connection).
// It must not be opened on a folder another process uses: callers take the folder lock first.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { CopyData, Database, Queryable, SqlValue } from './database.ts';

function wrap(q: Pick<PGlite, 'query'>): Queryable {
  return {
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await q.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async copyFrom(target: string, data: CopyData, options?: string) {
      // PGlite reads COPY input from a Blob: the data is gathered in memory first.
      const chunks: Uint8Array[] = [];
      for await (const chunk of data) chunks.push(chunk);
      const sql = `COPY ${target} FROM '/dev/blob'${options ? ` (${options})` : ''}`;
      await q.query(sql, [], { blob: new Blob(chunks as Uint8Array<ArrayBuffer>[]) });
    },
  };
}

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  // relaxedDurability only skips awaiting PGlite's post-query filesystem sync, which is a no-op on
  // Node's filesystem (writes already reach the OS synchronously); waiting for it cost ~3 ms a query.
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    relaxedDurability: true,
    extensions: { pg_trgm },
  });
  // As on PostgreSQL (./postgres.ts): sequential scans start at a table's first page.
  await db.exec('SET synchronize_seqscans = off');
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
