// Database adapter for a PostgreSQL server through a node-postgres connection pool.
// Timestamps and numerics come back as JavaScript values the same way PGlite returns them.
// Statements registered in ./prepared.ts run as named prepared statements.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';
import type { CopyData, Database, Queryable, SqlValue } from './database.ts';
import { preparedName } from './prepared.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

function wrap(q: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const name = preparedName(sql);
      const values = params as unknown[];
      const result = await (name === undefined ? q.query(sql, values) : q.query({ name, text: sql, values }));
      return result.rows as T[];
    },
    async copyFrom(target: string, data: CopyData, options?: string) {
      const client = q instanceof pg.Pool ? await q.connect() : q;
      try {
        const sql = `COPY ${target} FROM STDIN${options ? ` (${options})` : ''}`;
        await pipeline(Readable.from(data, { objectMode: false }), client.query(copyStream(sql)));
      } finally {
        if (client !== q) (client as pg.PoolClient).release();
      }
    },
  };
}

/**
 * Session settings of every connection. Sequential scans start at a table's first page: with
 * synchronized scans (the default) a scan of a table larger than a quarter of shared_buffers starts
 * where an earlier scan of it stopped, and the terminology type-ahead reads the first concepts in
 * storage order, the most used ones. No JIT compilation: a search whose plan the planner costs
 * high (a practitioner's name search walking Patients under the access policy's subqueries) was
 * compiled at every execution — 126 ms of JIT for 27 ms of work (docs/BENCHMARKS.md, session 4).
 */
const SESSION_OPTIONS = '-c synchronize_seqscans=off -c jit=off';

export async function openPostgres(url: string, poolSize = 8): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: SESSION_OPTIONS });
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}
