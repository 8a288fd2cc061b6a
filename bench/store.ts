// `npm run bench:store` — the store benchmark of issue 2 item 9, on PostgreSQL and on PGlite:
//   1. ingest of generated patients as transaction Bundles of 25 PUT entries over real HTTP to a
//      server in a child process (validation on, every search parameter indexed), 1 client, then
//      N concurrent clients, then a fill to the full data size with N clients;
//   2. in the same run, the machine's baseline: the same bundles' rows inserted set-based straight
//      into a fresh database of the same schema (no HTTP, no validation), 1 and N connections;
//   3. read by id (random ids over everything loaded) and Patient/$everything of a ~500-resource
//      patient, on a freshly started server over the full data set; on PostgreSQL, reads as the
//      fill left the pages (on disk here), then CHECKPOINT and pg_prewarm, then the measured reads.
// Prints a table, writes bench/out/store-<time>.json; progress lines go to stderr.
//
//   npm run bench:store -- [--engine pg|pglite|both] [--resources N] [--pglite-resources N]
//                          [--clients N] [--reads N] [--everything N] [--quick] [--profile]
//   (env: BENCH_ENGINE, BENCH_RESOURCES, BENCH_PGLITE_RESOURCES, BENCH_CLIENTS, BENCH_PG_URL)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openPglite } from '@hoso/server/db/pglite';
import { migrate } from '@hoso/server/db/migrations';
import { BundleSource, type Batch } from './store-lib/data.ts';
import { runLoad, type LoadResult } from './store-lib/load.ts';
import {
  machineCpu,
  processCpu,
  startServer,
  type RunningServer,
  type ServerOptions,
} from './store-lib/server.ts';
import { registerBenchClient, tokenSource, type BenchClient } from './store-lib/token.ts';
import { openPostgres } from '@hoso/server/db/postgres';
import { BASELINE_SQL, indexRowsOf, prepareBundle, type Params } from './store-lib/baseline.ts';
import { COUNT_UNSUITABLE_IDS, copyStatements } from './store-lib/fill.ts';
import type { Queryable } from '@hoso/server/db/database';
import { summarizeProfile, type ProfileSummary } from './store-lib/profile.ts';
import {
  markdown,
  report,
  type BaselineResult,
  type CpuUse,
  type Engine,
  type EngineResult,
  type IngestResult,
  type LatencyResult,
} from './store-lib/report.ts';
import { mib, round, seededInts, summarize } from './store-lib/stats.ts';
import { fileStamp, outDir } from './store-lib/out.ts';

const OUT_DIR = outDir();

const { values: flags } = parseArgs({
  options: {
    engine: { type: 'string' },
    resources: { type: 'string' },
    'pglite-resources': { type: 'string' },
    clients: { type: 'string' },
    reads: { type: 'string' },
    everything: { type: 'string' },
    seed: { type: 'string', default: 'bench-store' },
    'pg-url': { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    fill: { type: 'string' },
    'ingest-single': { type: 'string' },
    'ingest-multi': { type: 'string' },
    report: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`npm run bench:store -- [options]
  --engine pg|pglite|both   engines to measure (default both)
  --resources N             PostgreSQL data size in resources (default 1000000; --quick 10000)
  --pglite-resources N      PGlite data size (default 100000; --quick 8000)
  --clients N               concurrent clients of the multi-client phases (default 4)
  --reads N                 read-by-id requests per client setting (default 10000; --quick 200)
  --everything N            Patient/$everything requests (default 100; --quick 5)
  --pg-url URL              PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  --quick                   smoke run in seconds (CI)
  --profile                 CPU-profile the server during ingest and summarise where time goes
  --ingest-single N         resources ingested with 1 client (default 50000, at most 20 % of the size)
  --ingest-multi N          resources ingested with N clients next (default 100000, at most 40 %)
  --fill http|copy          how the rest of the size is loaded: over HTTP with N clients (default), or
                            by copying the ingested rows inside the database under new ids (fast)
  --report FILE             print the Markdown tables of a saved run (bench/out/store-….json) and exit
  --keep                    keep the PostgreSQL database hoso_bench afterwards (for EXPLAIN)`);
  process.exit(0);
}

if (flags.report) {
  const saved = JSON.parse(readFileSync(flags.report, 'utf8')) as { results: EngineResult[] };
  console.log(markdown(saved.results));
  process.exit(0);
}

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

const quick = flags.quick;
const engineFlag = flags.engine ?? process.env.BENCH_ENGINE ?? 'both';
if (!['pg', 'pglite', 'both'].includes(engineFlag)) throw new Error(`--engine must be pg, pglite or both`);
const engines: Engine[] = engineFlag === 'both' ? ['pg', 'pglite'] : [engineFlag as Engine];
const settings = {
  seed: flags.seed!,
  clients: count('--clients', flags.clients ?? process.env.BENCH_CLIENTS, 4),
  sizes: {
    pg: count('--resources', flags.resources ?? process.env.BENCH_RESOURCES, quick ? 10_000 : 1_000_000),
    pglite: count(
      '--pglite-resources',
      flags['pglite-resources'] ?? process.env.BENCH_PGLITE_RESOURCES,
      quick ? 8_000 : 100_000,
    ),
  },
  reads: count('--reads', flags.reads, quick ? 200 : 10_000),
  everything: count('--everything', flags.everything, quick ? 5 : 100),
  everythingTarget: 500,
  pgUrl: (flags['pg-url'] ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(
    /\/+$/,
    '',
  ),
  profile: flags.profile,
  fill: (flags.fill ?? process.env.BENCH_FILL ?? 'http') as 'http' | 'copy',
  ingestSingle: count('--ingest-single', flags['ingest-single'], 50_000),
  ingestMulti: count('--ingest-multi', flags['ingest-multi'], 100_000),
};
if (settings.fill !== 'http' && settings.fill !== 'copy') throw new Error('--fill must be http or copy');

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Measurements

interface Meter {
  stop(): CpuUse;
}

/** Tracks CPU of the server, of PostgreSQL backends (by polling their pids) and of the machine. */
function startMeter(serverPid: number | null, backends: (() => Promise<number[]>) | null): Meter {
  const t0 = performance.now();
  const server0 = serverPid ? processCpu(serverPid) : 0;
  const machine0 = machineCpu().busy;
  const client0 = process.cpuUsage();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let polling = Promise.resolve();
  const poll = () => {
    if (!backends) return;
    polling = polling.then(async () => {
      for (const pid of await backends().catch(() => [])) {
        const cpu = processCpu(pid);
        if (!first.has(pid)) first.set(pid, cpu);
        if (cpu > 0) last.set(pid, cpu);
      }
    });
  };
  poll();
  const timer = setInterval(poll, 1000);
  return {
    stop() {
      clearInterval(timer);
      poll();
      let postgres = 0;
      for (const [pid, cpu] of last) postgres += cpu - (first.get(pid) ?? 0);
      const client = process.cpuUsage(client0);
      return {
        wallSeconds: round((performance.now() - t0) / 1000),
        server: round(serverPid ? processCpu(serverPid) - server0 : 0),
        postgres: backends ? round(postgres) : null,
        client: round((client.user + client.system) / 1e6),
        machine: round(machineCpu().busy - machine0),
      };
    },
  };
}

/** Stops the meter after the last backend poll has landed. */
async function stopMeter(meter: Meter): Promise<CpuUse> {
  await new Promise((r) => setTimeout(r, 1100));
  return meter.stop();
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL databases

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${settings.pgUrl}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function recreateDatabase(name: string) {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
}

async function dropDatabase(name: string) {
  // pg's pool.end() resolves before the sockets close; a FORCE drop racing them would make a
  // just-ended client emit an unhandled error. Wait (up to 10 s) for the backends to go first.
  for (let i = 0; i < 100 && (await backendPids(name).catch(() => [])).length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch((err: Error) =>
    log(`could not drop ${name}: ${err.message}`),
  );
}

async function backendPids(database: string): Promise<number[]> {
  return withAdmin(async (c) => {
    const r = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
      database,
    ]);
    return r.rows.map((row) => row.pid);
  });
}

// ---------------------------------------------------------------------------------------------
// The server under test, and its caller's token

interface BenchServer extends RunningServer {
  /** the `Authorization` header of the benchmark's system client */
  authorization: () => string;
}

async function startBenchServer(options: ServerOptions, client: BenchClient): Promise<BenchServer> {
  const server = await startServer(options);
  try {
    const token = await tokenSource(server.base, client);
    return {
      ...server,
      authorization: token.header,
      stop: async () => {
        token.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

function serverStatus(server: RunningServer) {
  return () => `server RSS ${mib(server.rss())} MiB`;
}

async function ingest(
  server: BenchServer,
  batch: Batch,
  phase: string,
  clients: number,
  storedBefore: number,
  backends: (() => Promise<number[]>) | null,
): Promise<IngestResult> {
  log(`${phase}: ${batch.bodies.length} bundles, ${batch.resources} resources, ${clients} client(s)`);
  server.resetPeak();
  const meter = startMeter(server.pid, backends);
  const r = await runLoad({
    base: server.base,
    label: phase,
    count: batch.bodies.length,
    clients,
    request: (i) => ({ method: 'POST', path: '', body: batch.bodies[i]! }),
    authorization: server.authorization,
    units: (i) => batch.sizes[i]!,
    status: serverStatus(server),
  });
  const cpu = await stopMeter(meter);
  return ingestResult(phase, clients, r, server, cpu, storedBefore);
}

function ingestResult(
  phase: string,
  clients: number,
  r: LoadResult,
  server: RunningServer,
  cpu: CpuUse,
  storedBefore: number,
): IngestResult {
  if (r.failures) log(`  ${r.failures} bundles failed; first: ${r.firstFailure}`);
  return {
    phase,
    clients,
    bundles: r.requests,
    resources: r.units,
    failures: r.failures,
    ...(r.firstFailure ? { firstFailure: r.firstFailure } : {}),
    seconds: round(r.seconds),
    resourcesPerSecond: Math.round(r.units / r.seconds),
    bundleMs: summarize(r.latencies),
    serverRssMiB: { end: mib(server.rss()), peak: mib(server.peakRss()) },
    cpu,
    cpuMsPerResource: {
      server: round((1000 * cpu.server) / Math.max(1, r.units), 3),
      postgres: cpu.postgres === null ? null : round((1000 * cpu.postgres) / Math.max(1, r.units), 3),
    },
    storedBefore,
  };
}

async function latency(
  server: BenchServer,
  name: string,
  clients: number,
  requests: number,
  path: (i: number) => string,
  backends: (() => Promise<number[]>) | null,
  check?: (i: number, status: number, body: Buffer) => string | undefined,
): Promise<LatencyResult> {
  log(`${name}: ${requests} requests, ${clients} client(s)`);
  server.resetPeak();
  const meter = startMeter(server.pid, backends);
  const r = await runLoad({
    base: server.base,
    label: `${name} ×${clients}`,
    count: requests,
    clients,
    request: (i) => ({ method: 'GET', path: path(i) }),
    authorization: server.authorization,
    ...(check ? { check } : {}),
    status: serverStatus(server),
  });
  const cpu = await stopMeter(meter);
  if (r.failures) log(`  ${r.failures} requests failed; first: ${r.firstFailure}`);
  return {
    name,
    clients,
    requests: r.requests,
    failures: r.failures,
    ...(r.firstFailure ? { firstFailure: r.firstFailure } : {}),
    seconds: round(r.seconds),
    requestsPerSecond: Math.round(r.requests / r.seconds),
    ms: summarize(r.latencies),
    serverRssMiB: { end: mib(server.rss()), peak: mib(server.peakRss()) },
    cpu,
  };
}

/** Runs prepared baseline statements with `connections` workers; returns per-bundle latencies. */
async function baselineRun(
  phase: string,
  prepared: Params[],
  connections: number,
  query: (params: Params) => Promise<unknown>,
  backends: (() => Promise<number[]>) | null,
): Promise<BaselineResult> {
  log(`baseline ${phase}: ${prepared.length} bundles, ${connections} connection(s)`);
  const meter = startMeter(null, backends);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    log(
      `  [baseline ${phase}] ${latencies.length}/${prepared.length} bundles, ${(latencies.length / s).toFixed(0)} bundles/s`,
    );
  }, 5000);
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (;;) {
          const i = next++;
          if (i >= prepared.length) return;
          const t0 = performance.now();
          await query(prepared[i]!);
          latencies.push(performance.now() - t0);
        }
      }),
    );
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = await stopMeter(meter);
  const { resources, indexRows } = indexRowsOf(prepared);
  return {
    phase,
    connections,
    bundles: prepared.length,
    resources,
    indexRowsPerResource: round(indexRows / resources, 1),
    seconds: round(seconds),
    resourcesPerSecond: Math.round(resources / seconds),
    bundleMs: summarize(latencies),
    cpu,
    cpuMsPerResource: {
      client: round((1000 * cpu.client) / resources, 3),
      postgres: cpu.postgres === null ? null : round((1000 * cpu.postgres) / resources, 3),
    },
  };
}

function prepare(batch: Batch): Params[] {
  const lastUpdated = new Date().toISOString();
  return batch.bodies.map((b) => prepareBundle(b, lastUpdated));
}

/** The main thread's profile: the largest file (tsx's loader thread writes a small one too). */
function mainProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

// ---------------------------------------------------------------------------------------------
// One engine

function phaseSizes(total: number) {
  const single = Math.max(25, Math.min(settings.ingestSingle, Math.round(total * 0.2)));
  const multi = Math.max(25, Math.min(settings.ingestMulti, Math.round(total * 0.4)));
  return { single, multi, fill: Math.max(0, total - single - multi) };
}

/** Reads the resource table and its indexes into the OS page cache (pg_prewarm's 'read' mode). */
const PREWARM_SQL = `SELECT pg_prewarm(c.oid, 'read') FROM pg_class c
  WHERE c.oid = 'resource'::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'resource'::regclass)`;

async function benchEngine(engine: Engine, stamp: string): Promise<EngineResult> {
  const total = settings.sizes[engine];
  const sizes = phaseSizes(total);
  const clients = settings.clients;
  const source = new BundleSource(settings.seed);
  const dbName = 'hoso_bench';
  const baseName = 'hoso_bench_base';
  const temp: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), `hoso-bench-${engine}-`));
    temp.push(d);
    return d;
  };
  const serverTarget =
    engine === 'pg' ? { databaseUrl: `${settings.pgUrl}/${dbName}` } : { dataDir: tempDir() };
  const backends = engine === 'pg' ? () => backendPids(dbName) : null;
  const profileDir = settings.profile ? join(OUT_DIR, `profile-${stamp}-${engine}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const servers: RunningServer[] = [];
  try {
    if (engine === 'pg') await recreateDatabase(dbName);
    // Every FHIR request needs a token: the benchmark's client is registered before the server starts.
    const setup =
      engine === 'pg'
        ? await openPostgres(serverTarget.databaseUrl!, 1)
        : await openPglite(join(serverTarget.dataDir!, 'pglite'));
    const client = await registerBenchClient(setup).finally(() => setup.close());

    log(`${engine}: generating ${sizes.single + sizes.multi} resources for the measured ingest phases`);
    const single = source.take(sizes.single);
    const multi = source.take(sizes.multi);

    // Ingest: 1 client, N clients, then fill to the full size with N clients.
    const writer = await startBenchServer(
      {
        ...serverTarget,
        logFile: join(OUT_DIR, `server-${stamp}-${engine}-ingest.log`),
        ...(profileDir ? { cpuProfDir: profileDir } : {}),
      },
      client,
    );
    servers.push(writer);
    const serverStartRssMiB = mib(writer.rss());
    log(`${engine}: server pid ${writer.pid} at ${writer.base} (RSS ${serverStartRssMiB} MiB)`);
    const ingestResults: IngestResult[] = [];
    ingestResults.push(await ingest(writer, single, 'ingest', 1, 0, backends));
    ingestResults.push(await ingest(writer, multi, 'ingest', clients, single.resources, backends));
    let stored = single.resources + multi.resources;
    if (sizes.fill > 0 && settings.fill === 'http') {
      // Generated chunk by chunk (not timed) so memory stays bounded; timings are summed.
      const chunk = Math.min(100_000, sizes.fill);
      const parts: LoadResult[] = [];
      const storedBefore = stored;
      writer.resetPeak();
      let cpu: CpuUse = { wallSeconds: 0, server: 0, postgres: backends ? 0 : null, client: 0, machine: 0 };
      while (stored < total) {
        const batch = source.take(Math.min(chunk, total - stored));
        if (batch.resources === 0) break;
        log(`fill: ${stored} → ${stored + batch.resources} of ${total} resources, ${clients} clients`);
        const meter = startMeter(writer.pid, backends);
        parts.push(
          await runLoad({
            base: writer.base,
            label: 'fill',
            count: batch.bodies.length,
            clients,
            request: (i) => ({ method: 'POST', path: '', body: batch.bodies[i]! }),
            authorization: writer.authorization,
            units: (i) => batch.sizes[i]!,
            status: serverStatus(writer),
          }),
        );
        const used = await stopMeter(meter);
        cpu = {
          wallSeconds: round(cpu.wallSeconds + used.wallSeconds),
          server: round(cpu.server + used.server),
          postgres:
            cpu.postgres === null || used.postgres === null ? null : round(cpu.postgres + used.postgres),
          client: round(cpu.client + used.client),
          machine: round(cpu.machine + used.machine),
        };
        stored += parts.at(-1)!.units;
      }
      const merged: LoadResult = {
        requests: parts.reduce((a, p) => a + p.requests, 0),
        failures: parts.reduce((a, p) => a + p.failures, 0),
        ...(parts.find((p) => p.firstFailure)
          ? { firstFailure: parts.find((p) => p.firstFailure)!.firstFailure! }
          : {}),
        seconds: parts.reduce((a, p) => a + p.seconds, 0),
        units: parts.reduce((a, p) => a + p.units, 0),
        latencies: parts.flatMap((p) => p.latencies),
      };
      ingestResults.push(ingestResult('fill', clients, merged, writer, cpu, storedBefore));
    }
    await writer.stop();
    let profile: ProfileSummary | null = null;
    if (profileDir) {
      const file = mainProfile(profileDir);
      if (file) profile = summarizeProfile(file);
      else log(`no CPU profile was written in ${profileDir}`);
    }

    // Straight to the database (server stopped): copy fill, VACUUM ANALYZE.
    const direct = async <T>(fn: (db: Queryable) => Promise<T>): Promise<T> => {
      if (engine === 'pg') {
        const c = new pg.Client({ connectionString: `${settings.pgUrl}/${dbName}` });
        await c.connect();
        try {
          return await fn({ query: async (text, params) => (await c.query(text, params as unknown[])).rows });
        } finally {
          await c.end();
        }
      }
      const db = await openPglite(join(serverTarget.dataDir!, 'pglite'));
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    };
    let copies = 0;
    let fillCopySeconds: number | null = null;
    if (sizes.fill > 0 && settings.fill === 'copy') {
      copies = Math.ceil((total - stored) / stored);
      const original = stored;
      const t = performance.now();
      await direct(async (db) => {
        const [bad] = await db.query<{ n: number }>(COUNT_UNSUITABLE_IDS);
        if (bad!.n > 0) throw new Error(`${bad!.n} ids contain "." — --fill copy cannot tell copies apart`);
        for (let k = 1; k <= copies; k++) {
          await db.query('BEGIN');
          for (const statement of copyStatements(k)) await db.query(statement);
          await db.query('COMMIT');
          const s = (performance.now() - t) / 1000;
          log(`  [fill copy] ${k}/${copies} copies, ${original * (k + 1)} resources, ${s.toFixed(0)} s`);
        }
      });
      fillCopySeconds = round((performance.now() - t) / 1000, 1);
      stored = original * (copies + 1);
    }
    const pickId = (() => {
      const ids = source.ids;
      const pick = seededInts(42);
      return () => {
        const id = ids[pick(ids.length)]!;
        const k = pick(copies + 1);
        return k === 0 ? id : `${id}.c${k}`;
      };
    })();

    // $everything as loaded, before any ANALYZE (this machine's PostgreSQL runs with autovacuum off;
    // PGlite has no autovacuum at all), a few requests only.
    const patient = source.patientNear(settings.everythingTarget);
    let entries = -1;
    const check = (_i: number, _status: number, body: Buffer) => {
      const bundle = JSON.parse(body.toString('utf8')) as {
        entry?: unknown[];
        link?: { relation: string }[];
      };
      const n = bundle.entry?.length ?? 0;
      if (entries >= 0 && n !== entries) return `expected ${entries} entries, got ${n}`;
      entries = n;
      if (bundle.link?.some((l) => l.relation === 'next')) return 'the result has a next page';
      return undefined;
    };
    const everythingPath = () => `Patient/${patient!.id}/$everything`;
    let everythingUnanalyzed: LatencyResult | null = null;
    if (patient) {
      const probe = await startBenchServer(
        { ...serverTarget, logFile: join(OUT_DIR, `server-${stamp}-${engine}-probe.log`) },
        client,
      );
      servers.push(probe);
      everythingUnanalyzed = await latency(
        probe,
        'Patient/$everything, before VACUUM ANALYZE',
        1,
        Math.min(5, settings.everything),
        everythingPath,
        backends,
        check,
      );
      await probe.stop();
    }

    // What autovacuum would have done by now on a live server: VACUUM ANALYZE (timed, reported).
    log(`${engine}: VACUUM ANALYZE`);
    const t0 = performance.now();
    await direct((db) => db.query('VACUUM ANALYZE'));
    const vacuumSeconds = round((performance.now() - t0) / 1000, 1);

    // Reads on a freshly started server over the full data set.
    const reader = await startBenchServer(
      { ...serverTarget, logFile: join(OUT_DIR, `server-${stamp}-${engine}-read.log`) },
      client,
    );
    servers.push(reader);
    const warm = Math.min(500, settings.reads);
    await latency(reader, 'warm-up', 1, warm, pickId, null);
    const reads: LatencyResult[] = [];
    // This machine's page cache does not keep what the fill wrote, and its disk reads ~75 MB/s: the
    // first reads measure the disk. They are reported, then the resource table and its indexes are
    // read into memory (as on a server whose RAM holds its working set) for the measured reads.
    let prewarmSeconds: number | null = null;
    if (engine === 'pg') {
      reads.push(await latency(reader, 'read by id, before pg_prewarm', 1, settings.reads, pickId, backends));
      const t = performance.now();
      await direct(async (db) => {
        await db.query('CHECKPOINT');
        await db.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
        await db.query(PREWARM_SQL);
      });
      prewarmSeconds = round((performance.now() - t) / 1000, 1);
      log(`${engine}: CHECKPOINT and pg_prewarm in ${prewarmSeconds} s`);
    }
    for (const c of [1, clients]) {
      const n = c === 1 ? settings.reads : settings.reads * 2;
      reads.push(await latency(reader, 'read by id', c, n, pickId, backends));
    }
    let everything: EngineResult['everything'] = null;
    if (patient) {
      await latency(
        reader,
        'warm-up $everything',
        1,
        Math.min(5, settings.everything),
        everythingPath,
        null,
        check,
      );
      const r = await latency(
        reader,
        'Patient/$everything',
        1,
        settings.everything,
        everythingPath,
        backends,
        check,
      );
      everything = { ...r, patient: patient.id, entries };
    }
    await reader.stop();

    let databaseSizeMiB: number | null = null;
    if (engine === 'pg') {
      databaseSizeMiB = await withAdmin(async (c) => {
        const r = await c.query<{ size: string }>('SELECT pg_database_size($1) AS size', [dbName]);
        return mib(Number(r.rows[0]!.size));
      });
    }

    // Baseline: the same bundles' rows, set-based SQL into a fresh database of the same schema.
    log(`baseline: preparing rows of ${single.resources + multi.resources} resources (not timed)`);
    const preparedSingle = prepare(single);
    const preparedMulti = prepare(multi);
    const baseline: BaselineResult[] = [];
    if (engine === 'pg') {
      await recreateDatabase(baseName);
      const pool = new pg.Pool({ connectionString: `${settings.pgUrl}/${baseName}`, max: clients });
      // An idle client's error (e.g. the database dropped under it) must not crash the run.
      pool.on('error', (err) => log(`baseline pool: ${err.message}`));
      try {
        const c = await pool.connect();
        await migrate({
          engine: 'postgres',
          query: async (text, params) => (await c.query(text, params as unknown[])).rows,
          transaction: async (fn) => {
            await c.query('BEGIN');
            const r = await fn({ query: async (t, p) => (await c.query(t, p as unknown[])).rows });
            await c.query('COMMIT');
            return r;
          },
          exec: async (s) => void (await c.query(s)),
          close: async () => undefined,
        });
        c.release();
        const q = (params: Params) => pool.query(BASELINE_SQL, params as unknown[]);
        const pids = () => backendPids(baseName);
        baseline.push(await baselineRun('ingest', preparedSingle, 1, q, pids));
        baseline.push(await baselineRun('ingest', preparedMulti, clients, q, pids));
      } finally {
        await pool.end();
        await dropDatabase(baseName);
      }
    } else {
      const db = await openPglite(tempDir());
      try {
        await migrate(db);
        const q = (params: Params) => db.query(BASELINE_SQL, params);
        baseline.push(await baselineRun('ingest', preparedSingle, 1, q, null));
        // PGlite has one connection: the "N clients" baseline is that same single connection.
        baseline.push(await baselineRun('ingest', preparedMulti, 1, q, null));
      } finally {
        await db.close();
      }
    }
    const ratios = baseline.map((b, i) => {
      const ing = ingestResults[i]!;
      return {
        phase: `${ing.clients} client(s) vs ${b.connections} connection(s)`,
        clients: ing.clients,
        ingest: ing.resourcesPerSecond,
        baseline: b.resourcesPerSecond,
        ratio: round(ing.resourcesPerSecond / b.resourcesPerSecond, 3),
      };
    });
    return {
      engine,
      storedResources: stored,
      resourceTypes: Object.fromEntries([...source.typeCounts].sort((a, b) => b[1] - a[1])),
      ingest: ingestResults,
      baseline,
      ratios,
      reads,
      everything,
      everythingUnanalyzed,
      vacuumSeconds,
      prewarmSeconds,
      fill: {
        method: sizes.fill > 0 ? settings.fill : 'none',
        resources: stored - single.resources - multi.resources,
        copies,
        copySeconds: fillCopySeconds,
      },
      serverStartRssMiB,
      databaseSizeMiB,
      profile,
    };
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    if (engine === 'pg' && !flags.keep) await dropDatabase(dbName);
    for (const d of temp) rmSync(d, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report

// ---------------------------------------------------------------------------------------------

async function main() {
  const stamp = fileStamp().slice(0, 19);
  log(`bench:store ${JSON.stringify({ ...settings, engines })}`);
  const results: EngineResult[] = [];
  for (const engine of engines) results.push(await benchEngine(engine, stamp));
  const text = report(results);
  console.log(text);
  const file = join(OUT_DIR, `store-${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        benchmark: 'store',
        date: new Date().toISOString(),
        node: process.version,
        settings: { ...settings, engines, quick },
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nresults: ${file}`);
  const failed = results.some(
    (r) =>
      r.ingest.some((i) => i.failures) ||
      r.reads.some((x) => x.failures) ||
      (r.everything?.failures ?? 0) > 0,
  );
  if (failed) {
    console.error('some requests failed (see above)');
    process.exitCode = 1;
  }
}

await main();
