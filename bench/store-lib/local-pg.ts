// The PostgreSQL server the search and access benchmarks share: the server URL is checked to be
// on 127.0.0.1 (benchmarks never reach another host), and the database both use is named here.
// Also a short-lived maintenance connection for CREATE/DROP DATABASE. Benchmark setup only.
import pg from 'pg';

/** The 1 M-resource database `bench:search -- --keep` leaves and `bench:access` reuses. */
export const SEARCH_DB = 'hoso_bench_search';

/** `url` when it names a server on this machine; throws otherwise. */
export function localPgUrl(url: string): string {
  if (!/^postgres(ql)?:\/\/[^/]*@?(127\.0\.0\.1|localhost)(:\d+)?$/.test(url)) {
    throw new Error('--pg-url must point at 127.0.0.1');
  }
  return url;
}

/** Runs `fn` on a connection to the server's `postgres` database. */
export async function withAdmin<T>(pgUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${pgUrl}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
