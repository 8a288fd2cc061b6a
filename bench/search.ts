// `npm run bench:search` — the search benchmark of issue 3 item 6 on PostgreSQL: loads ≥ 1 M
// resources of the synthetic population into a database of its own (set-based with the store
// benchmark's baseline loader: no HTTP, no validation), applies the migrations (the search
// indexes), then times each benchmark query through the HTTP API in process (Fastify inject:
// parse, compile, execute, Bundle) and prints p50/p95 and the EXPLAIN plans.
// It only talks to 127.0.0.1 and drops its database at the end unless --keep.
//
//   npm run bench:search -- [--resources N] [--runs N] [--keep] [--reuse] [--pg-url URL]
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Database } from '@hoso/server/db/database';
import { pageDriver, pageQuery, searchCondition } from '@hoso/server/search/execute';
import { parseSearch } from '@hoso/server/search/parse';
import { r4SearchParams } from '@hoso/server/search/registry';
import { visibility } from '@hoso/server/search/visibility';
import { accessPolicy } from '@hoso/server/access/policy';
import { INTERNAL_ACCESS } from '@hoso/server/access/context';
import { sql } from '@hoso/server/db/sql';
import { migrate } from '@hoso/server/db/migrations';
import { openPostgres } from '@hoso/server/db/postgres';
import { bareFhirApp } from './store-lib/bare-app.ts';
import { SEARCH_DB, localPgUrl, withAdmin } from './store-lib/local-pg.ts';
import { BundleSource } from './store-lib/data.ts';
import { BASELINE_SQL, prepareBundle } from './store-lib/baseline.ts';
import { seededInts, summarize, table } from './store-lib/stats.ts';
import { writeResult } from './store-lib/out.ts';

const { values: flags } = parseArgs({
  options: {
    resources: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`npm run bench:search -- [options]
  --resources N   resources to load (default 1000000)
  --runs N        timed requests per query (default 200, after 20 warm-up requests)
  --reuse         reuse an already loaded database hoso_bench_search (skip loading)
  --keep          keep the database hoso_bench_search afterwards
  --pg-url URL    PostgreSQL server on 127.0.0.1 (default postgres://postgres@127.0.0.1:5432)`);
  process.exit(0);
}
const pgUrl = localPgUrl(flags['pg-url']);
const DB = SEARCH_DB;

const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

const admin = <T>(fn: (c: pg.Client) => Promise<T>) => withAdmin(pgUrl, fn);

/** Loads `total` resources set-based over 4 connections (generation and indexing are not timed). */
async function load(url: string, total: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const source = new BundleSource('bench-search');
  const lastUpdated = '2026-01-01T00:00:00.000Z';
  let loaded = 0;
  const started = Date.now();
  while (loaded < total) {
    const batch = source.take(Math.min(20_000, total - loaded));
    if (batch.resources === 0) break;
    const queue = batch.bodies.map((b) => prepareBundle(b, lastUpdated));
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let p = queue.pop(); p; p = queue.pop()) await pool.query(BASELINE_SQL, p);
      }),
    );
    loaded += batch.resources;
    const rate = Math.round(loaded / ((Date.now() - started) / 1000));
    log(`loaded ${loaded} of ${total} resources (${rate}/s)`);
  }
  await pool.end();
}

async function main() {
  const total = Number(flags.resources);
  const url = `${pgUrl}/${DB}`;
  if (!flags.reuse) {
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${DB}`);
    });
  }
  const db = await openPostgres(url, 4);
  try {
    log(`migrating ${DB}`);
    await migrate(db);
    if (!flags.reuse) await load(url, total);
    // Planner statistics (including the search migration's extended statistics) and the visibility
    // map that index-only scans need — what autovacuum would reach some time after a bulk load.
    log('VACUUM ANALYZE');
    await db.exec('VACUUM ANALYZE');
    await measure(db);
  } finally {
    await db.close();
    if (!flags.keep) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  }
}

const BASE = 'http://127.0.0.1/fhir';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';

/** Sample values for the queries, drawn from the loaded data. */
async function samples(db: Database) {
  const ids = await db.query<{ id: string; code: string }>(
    `SELECT t.id, t.code FROM idx_token t WHERE t.type = 'Patient' AND t.param = 'identifier' AND t.system = $1
      ORDER BY md5(t.id) LIMIT 200`,
    [CCCD],
  );
  const names = await db.query<{ prefix: string }>(
    `SELECT left(folded, 4) AS prefix FROM idx_string WHERE type = 'Patient' AND param = 'name'
      AND length(folded) >= 4 AND folded NOT LIKE '% %' ORDER BY md5(id || folded) LIMIT 200`,
  );
  const obs = await db.query<{ target_id: string; system: string; code: string }>(
    `SELECT x.target_id, c.system, c.code FROM idx_reference x JOIN idx_token c ON c.type = x.type AND c.id = x.id
      AND c.param = 'code' WHERE x.type = 'Observation' AND x.param = 'subject' ORDER BY md5(x.id) LIMIT 200`,
  );
  const conditions = await db.query<{ system: string; code: string }>(
    `SELECT system, code FROM idx_token WHERE type = 'Condition' AND param = 'code' AND system IS NOT NULL
      GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 20`,
  );
  return { ids, names, obs, conditions };
}

type Samples = Awaited<ReturnType<typeof samples>>;

const QUERIES: { name: string; target: number; url: (s: Samples, i: number) => string }[] = [
  {
    name: 'Patient by identifier',
    target: 10,
    url: (s, i) => `Patient?identifier=${CCCD}|${s.ids[i % s.ids.length]!.code}`,
  },
  { name: 'Patient by _id', target: 10, url: (s, i) => `Patient?_id=${s.ids[i % s.ids.length]!.id}` },
  {
    name: 'Patient by name prefix, no diacritics',
    target: 25,
    url: (s, i) => `Patient?name=${encodeURIComponent(s.names[i % s.names.length]!.prefix)}`,
  },
  {
    name: 'Observation by subject + code, _sort=-date',
    target: 25,
    url: (s, i) => {
      const o = s.obs[i % s.obs.length]!;
      return `Observation?subject=Patient/${o.target_id}&code=${o.system}|${o.code}&_sort=-date`;
    },
  },
  {
    name: 'Condition by code (all patients)',
    target: 0,
    url: (s, i) => {
      const c = s.conditions[i % s.conditions.length]!;
      return `Condition?code=${c.system}|${c.code}`;
    },
  },
  {
    name: 'chained: Observation?subject:Patient.identifier',
    target: 50,
    url: (s, i) => `Observation?subject:Patient.identifier=${CCCD}|${s.ids[i % s.ids.length]!.code}`,
  },
  {
    name: '_revinclude: Patient + Encounter:subject',
    target: 50,
    url: (s, i) =>
      `Patient?identifier=${CCCD}|${s.ids[i % s.ids.length]!.code}&_revinclude=Encounter:subject`,
  },
  {
    name: '_summary=count: Condition by code',
    target: 0,
    url: (s, i) => {
      const c = s.conditions[i % s.conditions.length]!;
      return `Condition?code=${c.system}|${c.code}&_summary=count`;
    },
  },
];

async function measure(db: Database) {
  // The search engine alone (no token, no caller conditions, no audit): what authorization and the
  // audit trail add on top is bench:access's measurement (issue 5's budget), not this one's.
  const app = await bareFhirApp(db, BASE);
  const s = await samples(db);
  const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM resource')) as [{ n: string }];
  log(`measuring over ${n} resources`);
  const runs = Number(flags.runs);
  const order = seededInts(7);
  const rows: (string | number)[][] = [];
  const plans: string[] = [];
  const registry = r4SearchParams();
  for (const q of QUERIES) {
    const latencies: number[] = [];
    let matches = 0;
    for (let i = 0; i < runs + 20; i++) {
      const url = q.url(s, order(1_000_000));
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url: `/fhir/${url}` });
      const ms = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      if (i >= 20) {
        latencies.push(ms);
        matches += (JSON.parse(res.body) as { entry?: unknown[] }).entry?.length ?? 0;
      }
    }
    const l = summarize(latencies);
    rows.push([q.name, l.p50, l.p95, q.target ? `≤ ${q.target}` : '—', Math.round(matches / runs)]);
    const url = new URL(`${BASE}/${q.url(s, 0)}`);
    const request = parseSearch(url.pathname.split('/').at(-1)!, url.searchParams, registry, true);
    const visible = visibility(accessPolicy, INTERNAL_ACCESS);
    const query =
      request.summary === 'count'
        ? sql`SELECT count(*) FROM resource r WHERE ${searchCondition(request, visible, BASE)}`
        : pageQuery(
            request,
            searchCondition(request, visible, BASE),
            undefined,
            searchCondition(request, visible, BASE, pageDriver(request)),
          );
    const { text, params } = query.render();
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${text}`, params);
    plans.push(
      `### ${q.name}\n\n\`GET ${url.pathname.slice(6)}${url.search}\`\n\n\`\`\`\n${plan.map((p) => p['QUERY PLAN']).join('\n')}\n\`\`\`\n`,
    );
    log(`${q.name}: p50 ${l.p50} ms, p95 ${l.p95} ms`);
  }
  await app.close();
  const report = [
    `PostgreSQL 15, ${n} resources, ${runs} requests per query (after 20 warm-up), one client, in-process HTTP (Fastify inject).`,
    '',
    table(['query', 'p50 ms', 'p95 ms', 'target p95', 'entries/response'], rows),
    '',
    ...plans,
  ].join('\n');
  console.log(report);
  writeResult('search', 'md', report);
}

await main();
