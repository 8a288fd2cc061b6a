// `node --import tsx bench/store-profile.ts` — where the ingest path of `bench:store` spends its CPU,
// on PostgreSQL. The server runs in this process (the same app as `hoso serve`, over a real socket)
// and the load generator in a worker thread; after a warm-up, one measured phase of transaction
// Bundles is posted while the V8 profiler samples the main thread only. Prints: CPU per resource of
// the server and of the PostgreSQL backends, the profile's self time by area and its hottest
// functions, and per SQL statement kind its count and the wall time the server waited for it.
// Not a throughput benchmark (bench/store.ts is): the statement timer and the profiler cost a little.
//
//   node --import tsx bench/store-profile.ts [--resources N] [--warm N] [--clients N] [--pg-url URL]
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { buildApp } from '@hoso/server/app';
import type { Database, Queryable } from '@hoso/server/db/database';
import { openPostgres } from '@hoso/server/db/postgres';
import { BundleSource, type Batch } from './store-lib/data.ts';
import type { LoadResult } from './store-lib/load.ts';
import { writeResult } from './store-lib/out.ts';
import type { LoadWorkerInput } from './store-lib/load-worker.ts';
import { summarizeProfile } from './store-lib/profile.ts';
import { machineCpu, processCpu } from './store-lib/server.ts';
import { round, summarize, table } from './store-lib/stats.ts';
import { registerBenchClient, tokenSource } from './store-lib/token.ts';

const { values: args } = parseArgs({
  options: {
    resources: { type: 'string', default: '10000' },
    warm: { type: 'string', default: '3000' },
    clients: { type: 'string', default: '4' },
    seed: { type: 'string', default: 'bench-store' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
  },
});
const DB_NAME = 'hoso_bench_profile';
const pgUrl = args['pg-url'].replace(/\/+$/, '');
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function admin(statement: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: `${pgUrl}/postgres` });
  await client.connect();
  try {
    return (await client.query(statement, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Statement kind: the first words of the SQL, enough to tell the write path's statements apart. */
const kindOf = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 60);

/** Wraps a database so every statement's wall time is added to its kind's total. */
function timed(db: Database, totals: Map<string, { count: number; ms: number }>): Database {
  const time = (q: Queryable): Queryable => ({
    ...q,
    async query(text, params) {
      const t0 = performance.now();
      try {
        return await q.query(text, params);
      } finally {
        const kind = kindOf(text);
        const entry = totals.get(kind) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - t0;
        totals.set(kind, entry);
      }
    },
  });
  return {
    ...db,
    ...time(db),
    transaction: (fn) => db.transaction((tx) => fn(time(tx))),
  };
}

function runWorker(input: LoadWorkerInput): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Node 20 does not pass tsx's loader hooks on to workers: the worker registers them itself.
    const script = new URL('./store-lib/load-worker.ts', import.meta.url).href;
    const worker = new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`,
      { eval: true, workerData: input },
    );
    worker.once('message', (r: LoadResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

async function backendCpu(): Promise<number> {
  const rows = await admin('SELECT pid FROM pg_stat_activity WHERE datname = $1', [DB_NAME]);
  return rows.reduce((sum, r) => sum + processCpu(Number(r.pid)), 0);
}

/** CPU of PostgreSQL's shared background processes (WAL writer, checkpointer, background writer). */
async function auxiliaryCpu(): Promise<number> {
  const rows = await admin(
    "SELECT pid FROM pg_stat_activity WHERE backend_type IN ('walwriter', 'checkpointer', 'background writer')",
  );
  return rows.reduce((sum, r) => sum + processCpu(Number(r.pid)), 0);
}

await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB_NAME}`);
const totals = new Map<string, { count: number; ms: number }>();
const raw = await openPostgres(`${pgUrl}/${DB_NAME}`);
const client = await registerBenchClient(raw);
let base = '';
const app = await buildApp({ db: timed(raw, totals), baseUrl: () => base, bodyLimit: 16 * 1024 * 1024 });
try {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  base = `http://127.0.0.1:${address.port}/fhir`;
  const token = await tokenSource(base, client);
  const source = new BundleSource(args.seed);
  const clients = Number(args.clients);
  const phase = (batch: Batch, label: string): Promise<LoadResult> =>
    runWorker({
      base,
      authorization: token.header(),
      clients,
      bodies: batch.bodies,
      sizes: batch.sizes,
      label,
    });

  const warm = source.take(Number(args.warm));
  log(`warm-up: ${warm.resources} resources`);
  await phase(warm, 'warm-up');
  const measured = source.take(Number(args.resources));
  log(`measured: ${measured.resources} resources, ${clients} client(s), profiling`);
  totals.clear();
  // Backends of the pool exist after the warm-up; their CPU is read before and after.
  const pg0 = await backendCpu();
  const aux0 = await auxiliaryCpu();
  const machine0 = machineCpu().busy;
  const cpu0 = process.cpuUsage();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  const result = await phase(measured, 'measured');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const used = process.cpuUsage(cpu0);
  const pgSeconds = (await backendCpu()) - pg0;
  const auxSeconds = (await auxiliaryCpu()) - aux0;
  const machineSeconds = machineCpu().busy - machine0;
  token.close();
  if (result.failures) throw new Error(`${result.failures} bundles failed: ${result.firstFailure}`);

  const file = writeResult('store-profile', 'cpuprofile', JSON.stringify(profile));
  const summary = summarizeProfile(file, 30);
  const n = result.units;
  const perResource = (seconds: number) => round((1000 * seconds) / n, 3);
  const latency = summarize(result.latencies);
  console.log(
    `${n} resources in ${round(result.seconds)} s (${Math.round(n / result.seconds)}/s, ${clients} clients); ` +
      `bundle p50 ${latency.p50} ms, p95 ${latency.p95} ms\n` +
      `CPU ms/resource: server (all threads, incl. the load worker) ${perResource((used.user + used.system) / 1e6)}, ` +
      `profiled main thread ${perResource(summary.seconds)}, PostgreSQL backends ${perResource(pgSeconds)}, ` +
      `PostgreSQL background processes ${perResource(auxSeconds)}; whole machine busy ${perResource(machineSeconds)} ` +
      `(${Math.round((100 * machineSeconds) / (cpus().length * result.seconds))} % of ${cpus().length} cores)\n`,
  );
  console.log(
    table(
      ['area', 'self ms/res', 'share', 'inclusive'],
      summary.categories.map((c) => {
        const inc = summary.inclusive.find((x) => x.category === c.category);
        return [
          c.category,
          perResource(c.seconds),
          `${(c.share * 100).toFixed(1)} %`,
          inc ? `${(inc.share * 100).toFixed(1)} %` : '',
        ];
      }),
    ),
  );
  console.log(
    `\n${table(
      ['function', 'self ms/res', 'share'],
      summary.top.map((t) => [t.fn, perResource(t.seconds), `${(t.share * 100).toFixed(1)} %`]),
    )}`,
  );
  console.log(
    `\n${table(
      ['statement', 'count', 'per bundle', 'wall ms/res', 'mean ms'],
      [...totals]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([kind, t]) => [
          kind,
          t.count,
          round(t.count / result.requests, 2),
          round(t.ms / n, 3),
          round(t.ms / t.count, 2),
        ]),
    )}\n\nprofile: ${file}`,
  );
} finally {
  await app.close();
  await raw.close();
  await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
}
