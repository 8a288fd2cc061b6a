// Benchmark of the terminology service at national-catalogue scale: imports ICD-10 VN (shared
// data, read in place) plus generated Vietnamese/English catalogues (lab tests, drugs, services) to
// ≥ 500,000 concepts, then times type-ahead $expand?filter= and $lookup through the HTTP app
// (Fastify inject). PostgreSQL by default (a scratch database, dropped at the end); --pglite runs
// on embedded PGlite in a temp folder; --quick uses 50,000 concepts; --keep keeps the PostgreSQL
// database (its name is printed) for EXPLAIN afterwards. Results go to stdout.
// Besides wall time it reports CPU time per request (this process plus the PostgreSQL backend, read
// from /proc/<pid>/schedstat), which stays meaningful when other work shares the machine.
import { systemToken } from '../packages/server/test/support/api.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { buildApp } from '../packages/server/src/app.ts';
import type { Database } from '../packages/server/src/db/database.ts';
import { migrate } from '../packages/server/src/db/migrations.ts';
import { openPglite } from '../packages/server/src/db/pglite.ts';
import { openPostgres } from '../packages/server/src/db/postgres.ts';
import { importFile } from '../packages/server/src/terminology/import-files.ts';
import { lookup } from '../packages/server/src/terminology/operations.ts';
import { OperationInput } from '../packages/server/src/terminology/parameters.ts';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const engine = args.has('--pglite') ? 'pglite' : 'postgres';
const keep = args.has('--keep');
const TOTAL = quick ? 50_000 : 500_000;
const shared = resolve(process.env.HOSO_SHARED_DATA ?? join(import.meta.dirname, '../../shared/data'));
const adminUrl = process.env.HOSO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// Deterministic pseudo-random numbers (mulberry32).
let seed = 20261121;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;

type Pair = readonly [string, string];
const LAB_ACTIONS: Pair[] = [
  ['Xét nghiệm', 'Test of'],
  ['Định lượng', 'Quantitation of'],
  ['Định tính', 'Detection of'],
  ['Đo', 'Measurement of'],
  ['Nuôi cấy', 'Culture for'],
  ['Test nhanh', 'Rapid test for'],
];
const ANALYTES: Pair[] = [
  ['glucose', 'glucose'],
  ['cholesterol toàn phần', 'total cholesterol'],
  ['triglycerid', 'triglycerides'],
  ['men gan ALT', 'liver enzyme ALT'],
  ['men gan AST', 'liver enzyme AST'],
  ['creatinin', 'creatinine'],
  ['axit uric', 'uric acid'],
  ['HbA1c', 'HbA1c'],
  ['kháng nguyên HBsAg', 'HBsAg antigen'],
  ['tải lượng virus viêm gan B', 'hepatitis B viral load'],
  ['huyết sắc tố', 'haemoglobin'],
  ['bạch cầu', 'white blood cells'],
  ['tiểu cầu', 'platelets'],
  ['vi khuẩn lao', 'Mycobacterium tuberculosis'],
  ['kháng thể Dengue IgM', 'Dengue IgM antibody'],
  ['điện giải đồ', 'electrolytes'],
  ['protein phản ứng C', 'C-reactive protein'],
  ['hormon tuyến giáp TSH', 'thyroid stimulating hormone'],
  ['sắt huyết thanh', 'serum iron'],
  ['canxi toàn phần', 'total calcium'],
];
const SPECIMENS: Pair[] = [
  ['máu', 'blood'],
  ['huyết thanh', 'serum'],
  ['huyết tương', 'plasma'],
  ['nước tiểu', 'urine'],
  ['dịch não tủy', 'cerebrospinal fluid'],
  ['đờm', 'sputum'],
  ['phân', 'stool'],
  ['dịch màng phổi', 'pleural fluid'],
];
const METHODS: Pair[] = [
  ['bằng máy tự động', 'automated analyser'],
  ['bằng phương pháp miễn dịch', 'immunoassay'],
  ['bằng kỹ thuật PCR', 'PCR'],
  ['thủ công', 'manual method'],
  ['bằng sắc ký', 'chromatography'],
  ['bằng điện cực chọn lọc', 'ion-selective electrode'],
];
const DRUGS = [
  'Paracetamol',
  'Amoxicilin',
  'Amlodipin',
  'Metformin',
  'Losartan',
  'Atorvastatin',
  'Omeprazol',
  'Cefuroxim',
  'Tenofovir',
  'Entecavir',
  'Salbutamol',
  'Prednisolon',
  'Ibuprofen',
  'Diclofenac',
  'Vitamin B1',
  'Insulin glargin',
  'Gliclazid',
  'Bisoprolol',
  'Clopidogrel',
  'Azithromycin',
  'Ciprofloxacin',
  'Loratadin',
  'Esomeprazol',
  'Spironolacton',
  'Furosemid',
];
const STRENGTHS = [
  '5 mg',
  '10 mg',
  '20 mg',
  '25 mg',
  '40 mg',
  '50 mg',
  '100 mg',
  '250 mg',
  '500 mg',
  '850 mg',
  '1 g',
  '100 IU/ml',
];
const FORMS: Pair[] = [
  ['viên nén', 'tablet'],
  ['viên nén bao phim', 'film-coated tablet'],
  ['viên nang cứng', 'hard capsule'],
  ['siro', 'syrup'],
  ['dung dịch tiêm', 'solution for injection'],
  ['bột pha hỗn dịch', 'powder for suspension'],
  ['thuốc mỡ', 'ointment'],
];
const MAKERS = [
  'Dược Hậu Giang',
  'Imexpharm',
  'Traphaco',
  'Domesco',
  'Pymepharco',
  'Stellapharm',
  'Mekophar',
  'Sanofi Việt Nam',
  'DHG Pharma',
  'Bidiphar',
  'Savipharm',
  'Agimexpharm',
];
const PROCEDURES: Pair[] = [
  ['Phẫu thuật nội soi', 'Laparoscopic surgery of'],
  ['Nội soi', 'Endoscopy of'],
  ['Chụp cắt lớp vi tính', 'CT scan of'],
  ['Chụp cộng hưởng từ', 'MRI of'],
  ['Siêu âm', 'Ultrasound of'],
  ['Sinh thiết', 'Biopsy of'],
  ['Cắt bỏ', 'Excision of'],
  ['Điều trị bằng laser', 'Laser treatment of'],
];
const ORGANS: Pair[] = [
  ['dạ dày', 'stomach'],
  ['đại tràng', 'colon'],
  ['gan', 'liver'],
  ['túi mật', 'gallbladder'],
  ['thận', 'kidney'],
  ['tuyến giáp', 'thyroid'],
  ['phổi', 'lung'],
  ['tim', 'heart'],
  ['khớp gối', 'knee joint'],
  ['cột sống thắt lưng', 'lumbar spine'],
  ['não', 'brain'],
  ['tuyến tiền liệt', 'prostate'],
  ['tử cung', 'uterus'],
  ['vú', 'breast'],
];
const QUALIFIERS: Pair[] = [
  ['có tiêm thuốc cản quang', 'with contrast'],
  ['không tiêm thuốc cản quang', 'without contrast'],
  ['một bên', 'unilateral'],
  ['hai bên', 'bilateral'],
  ['ở trẻ em', 'in children'],
  ['cấp cứu', 'emergency'],
  ['có gây mê', 'under general anaesthesia'],
  ['có gây tê', 'under local anaesthesia'],
];

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes one generated catalogue CSV of `n` concepts (with group parents); returns its path. */
function catalogue(dir: string, kind: 'lab' | 'drug' | 'service', n: number): string {
  const lines = ['code,display,display_en,parent,weight'];
  const prefix = { lab: 'XN', drug: 'TH', service: 'DV' }[kind];
  const groups = 200;
  for (let g = 0; g < groups; g++) lines.push(`${prefix}G${g},Nhóm ${kind} ${g},Group ${kind} ${g},,0`);
  for (let i = 0; i < n - groups; i++) {
    let vi: string;
    let en: string;
    if (kind === 'lab') {
      const [a, ae] = pick(LAB_ACTIONS);
      const [x, xe] = pick(ANALYTES);
      const [s, se] = pick(SPECIMENS);
      const [m, me] = pick(METHODS);
      vi = `${a} ${x} trong ${s} ${m}`;
      en = `${ae} ${xe} in ${se}, ${me}`;
    } else if (kind === 'drug') {
      const d = pick(DRUGS);
      const st = pick(STRENGTHS);
      const [f, fe] = pick(FORMS);
      const mk = pick(MAKERS);
      vi = `${d} ${st} ${f} (${mk})`;
      en = `${d} ${st} ${fe} (${mk})`;
    } else {
      const [p, pe] = pick(PROCEDURES);
      const [o, oe] = pick(ORGANS);
      const [q, qe] = pick(QUALIFIERS);
      vi = `${p} ${o} ${q}`;
      en = `${pe} ${oe} ${qe}`;
    }
    const weight = Math.floor(1000 / (1 + Math.floor(rand() * 1000)));
    const code = `${prefix}${String(i).padStart(6, '0')}`;
    lines.push([code, csvField(vi), csvField(en), `${prefix}G${i % groups}`, String(weight)].join(','));
  }
  const path = join(dir, `${kind}.csv`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

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
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'hoso-bench-tx-'));
    const db = await openPglite(dir);
    await migrate(db);
    return {
      db,
      cpuMs: ownCpuMs,
      findBackends: async () => undefined,
      cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `hoso_bench_tx_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Two connections: an import builds one index on the second (bulk-load.ts).
  const db = await openPostgres(url.toString(), 2);
  await migrate(db);
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
    admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
  return {
    db,
    cpuMs: () => ownCpuMs() + [...backends.keys()].reduce((sum, pid) => sum + backendMs(pid), 0),
    findBackends: async () => {
      for (const { pid } of (await pids()).rows) if (!backends.has(pid)) backends.set(pid, 0);
    },
    cleanup: async () => {
      await db.close();
      if (keep) console.log(`kept database ${name}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
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
    for (const [i, f] of files.entries()) {
      const [r] = await importFile(db, f, { url: `http://bench.hoso.vn/catalogue/${i}`, version: '1' });
      imported += r!.count;
    }
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
      `import catalogues (CSV): ${imported} in ${(importMs / 1000).toFixed(1)} s = ${Math.round(imported / (importMs / 1000)).toLocaleString('en')} concepts/s (CPU ${(importCpuMs / 1000).toFixed(1)} s = ${Math.round(imported / (importCpuMs / 1000)).toLocaleString('en')} concepts per CPU-second; this process ${(importOwnMs / 1000).toFixed(1)} s, database ${((importCpuMs - importOwnMs) / 1000).toFixed(1)} s)`,
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
