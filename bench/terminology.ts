// Benchmark of the terminology service at national-catalogue scale: imports ICD-10 VN (shared
// data, read in place) plus generated Vietnamese/English catalogues (lab tests, drugs, services) to
// ≥ 500,000 concepts, then times type-ahead $expand?filter= and $lookup through the HTTP app
// (Fastify inject). PostgreSQL by default (a scratch database, dropped at the end); --pglite runs
// on embedded PGlite in a temp folder; --quick uses 50,000 concepts; --keep keeps the PostgreSQL
// database (its name is printed) for EXPLAIN afterwards. Results go to stdout.
// Besides wall time it reports CPU time per request (this process plus the PostgreSQL backend, read
// from /proc/<pid>/schedstat), which stays meaningful when other work shares the machine.
import { systemToken } from '../packages/server/test/support/api.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../packages/server/src/app.ts';
import type { Database } from '../packages/server/src/db/database.ts';
import { migrate } from '../packages/server/src/db/migrations.ts';
import { importFile, importFiles } from '../packages/server/src/terminology/import-files.ts';
import { lookup } from '../packages/server/src/terminology/operations.ts';
import { OperationInput } from '../packages/server/src/terminology/parameters.ts';
import { catalogue } from './terminology-catalogues.ts';
import { openScratch } from './store-lib/scratch-db.ts';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const engine = args.has('--pglite') ? 'pglite' : 'postgres';
const keep = args.has('--keep');
const TOTAL = quick ? 50_000 : 500_000;
const shared = resolve(process.env.HOSO_SHARED_DATA ?? join(import.meta.dirname, '../../shared/data'));
const adminUrl = process.env.HOSO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Engine {
  db: Database;
  /** CPU milliseconds used so far by this process and (PostgreSQL) the backends found so far. */
  cpuMs(): number;
  /** Notes the database's backends that opened since the last call (their CPU counts from 0). */
  findBackends(): Promise<void>;
  cleanup(): Promise<void>;
}

const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function openEngine(): Promise<Engine> {
  // Two connections: an import builds one index on the second (bulk-load.ts).
  const scratch = await openScratch(engine, adminUrl, `hoso_bench_tx_${process.pid}`, {
    keep,
    connections: 2,
  });
  const { db, postgres } = scratch;
  await migrate(db);
  if (!postgres) {
    return { db, cpuMs: ownCpuMs, findBackends: async () => undefined, cleanup: scratch.cleanup };
  }
  // CPU of the database's backends (read from /proc; a backend that has ended keeps its last value).
  const backends = new Map<number, number>();
  const backendMs = (pid: number) => {
    try {
      backends.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // ended: its last reading stands
    }
    return backends.get(pid)!;
  };
  const pids = () =>
    postgres.admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
      postgres.name,
    ]);
  return {
    db,
    cpuMs: () => ownCpuMs() + [...backends.keys()].reduce((sum, pid) => sum + backendMs(pid), 0),
    findBackends: async () => {
      for (const { pid } of (await pids()).rows) if (!backends.has(pid)) backends.set(pid, 0);
    },
    cleanup: scratch.cleanup,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const fmt = (ms: number) => ms.toFixed(2);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-bench-tx-data-'));
  const { db, cpuMs, findBackends, cleanup } = await openEngine();
  try {
    const t0 = performance.now();
    const icd = await importFile(db, join(shared, 'icd10-vn', 'icd10_qd4469.csv'));
    const icdMs = performance.now() - t0;
    const rest = TOTAL - icd[0]!.count;
    const per = Math.ceil(rest / 3);
    const files = (['lab', 'drug', 'service'] as const).map((k) => catalogue(dir, k, per));
    let imported = 0;
    await findBackends();
    const t1 = performance.now();
    const cpu1 = cpuMs();
    const own1 = ownCpuMs();
    // As `hoso terminology import` does: the next file is read while the one before is indexed.
    const catalogues = files.map((file, i) => ({
      file,
      options: { url: `http://bench.hoso.vn/catalogue/${i}`, version: '1' },
    }));
    for (const r of await importFiles(db, catalogues)) imported += r.count;
    const importMs = performance.now() - t1;
    await findBackends();
    const importCpuMs = cpuMs() - cpu1;
    const importOwnMs = ownCpuMs() - own1;
    const total = icd[0]!.count + imported;
    console.log(
      `engine: ${engine}; concepts: ${total.toLocaleString('en')} (ICD-10 VN ${icd[0]!.count}, catalogues ${imported})`,
    );
    console.log(
      `import ICD-10 VN: ${icd[0]!.count} in ${(icdMs / 1000).toFixed(1)} s (${Math.round(icd[0]!.count / (icdMs / 1000))}/s)`,
    );
    console.log(
      `import catalogues (CSV, one importFiles): ${imported} in ${(importMs / 1000).toFixed(1)} s = ${Math.round(imported / (importMs / 1000)).toLocaleString('en')} concepts/s (CPU ${(importCpuMs / 1000).toFixed(1)} s = ${Math.round(imported / (importCpuMs / 1000)).toLocaleString('en')} concepts per CPU-second; this process ${(importOwnMs / 1000).toFixed(1)} s, database ${((importCpuMs - importOwnMs) / 1000).toFixed(1)} s)`,
    );
    await db.query('ANALYZE');

    const app = await buildApp({ db, baseUrl: () => 'http://localhost/fhir', bodyLimit: 1 << 20 });
    const token = await systemToken(app, db, 'system/*.rs');
    const get = async (url: string) => {
      const cpu = cpuMs();
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      const ms = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      return { ms, cpu: cpuMs() - cpu, body: res.body };
    };
    const report = (label: string, wall: number[], cpu: number[]) => {
      wall.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      console.log(
        `${label}: wall p50 ${fmt(percentile(wall, 0.5))} ms, p95 ${fmt(percentile(wall, 0.95))} ms; CPU p50 ${fmt(percentile(cpu, 0.5))} ms, p95 ${fmt(percentile(cpu, 0.95))} ms`,
      );
    };
    const ICD = 'http://hl7.org/fhir/sid/icd-10';
    const filters: [string, string][] = [
      [ICD, 'tang huyet'],
      [ICD, 'viem gan b'],
      [ICD, 'dai thao duong'],
      [ICD, 'B18'],
      [ICD, 'I10'],
      [ICD, 'hypertens'],
      [ICD, 'viem phoi'],
      [ICD, 'gay xuong'],
      [ICD, 'sot xuat huyet'],
      [ICD, 'dau lung'],
      [ICD, 'benh'],
      [ICD, 'J4'],
      ['http://bench.hoso.vn/catalogue/0', 'xet nghiem glu'],
      ['http://bench.hoso.vn/catalogue/0', 'dinh luong hba1c mau'],
      ['http://bench.hoso.vn/catalogue/0', 'XN00012'],
      ['http://bench.hoso.vn/catalogue/0', 'hepatitis b viral'],
      ['http://bench.hoso.vn/catalogue/1', 'paracet 500'],
      ['http://bench.hoso.vn/catalogue/1', 'amlodipin 5 mg vien'],
      ['http://bench.hoso.vn/catalogue/1', 'tenofovir'],
      ['http://bench.hoso.vn/catalogue/1', 'TH0001'],
      ['http://bench.hoso.vn/catalogue/2', 'noi soi da day'],
      ['http://bench.hoso.vn/catalogue/2', 'chup cong huong tu nao'],
      ['http://bench.hoso.vn/catalogue/2', 'ultrasound liver'],
      ['http://bench.hoso.vn/catalogue/2', 'phau thuat'],
    ];
    const expandUrl = ([system, f]: [string, string]) =>
      `/fhir/ValueSet/$expand?url=${encodeURIComponent(`${system}?fhir_vs`)}&filter=${encodeURIComponent(f)}&count=10`;
    for (const f of filters) await get(expandUrl(f)); // warm-up
    const expandTimes: number[] = [];
    const expandCpu: number[] = [];
    const perFilter = new Map<string, number[]>();
    const rounds = quick ? 5 : 20;
    for (let r = 0; r < rounds; r++) {
      for (const f of filters) {
        const { ms, cpu } = await get(expandUrl(f));
        expandTimes.push(ms);
        expandCpu.push(cpu);
        perFilter.set(f[1], [...(perFilter.get(f[1]) ?? []), cpu]);
      }
    }
    report(
      `$expand?filter= (${expandTimes.length} requests, ${filters.length} filters, count=10)`,
      expandTimes,
      expandCpu,
    );
    const slow = [...perFilter]
      .map(([f, t]) => [f, t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!] as const)
      .sort((a, b) => b[1] - a[1]);
    console.log(
      `  slowest filters (median ms): ${slow
        .slice(0, 4)
        .map(([f, t]) => `"${f}" ${fmt(t)}`)
        .join(', ')}`,
    );

    const codes = await db.query<{ url: string; code: string }>(
      `SELECT s.url, c.code FROM tx_concept c JOIN tx_code_system s ON s.id = c.cs
       WHERE s.version <> 'builtin' ORDER BY md5(c.code) LIMIT ${quick ? 500 : 2000}`,
    );
    const lookupUrl = (r: { url: string; code: string }) =>
      `/fhir/CodeSystem/$lookup?system=${encodeURIComponent(r.url)}&code=${encodeURIComponent(r.code)}`;
    for (const r of codes.slice(0, 100)) await get(lookupUrl(r)); // warm-up
    const lookupTimes: number[] = [];
    const lookupCpu: number[] = [];
    for (const r of codes) {
      const { ms, cpu } = await get(lookupUrl(r));
      lookupTimes.push(ms);
      lookupCpu.push(cpu);
    }
    report(`$lookup (${lookupTimes.length} random codes)`, lookupTimes, lookupCpu);
    // The operation alone, without HTTP, routing and the access token check.
    const coreTimes: number[] = [];
    const coreCpu: number[] = [];
    for (const r of codes) {
      const cpu = cpuMs();
      const started = performance.now();
      await lookup(db, OperationInput.fromQuery(new URLSearchParams({ system: r.url, code: r.code })));
      coreTimes.push(performance.now() - started);
      coreCpu.push(cpuMs() - cpu);
    }
    report('$lookup without HTTP (operations.lookup)', coreTimes, coreCpu);
    console.log(
      `load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    await app.close();
  } finally {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
