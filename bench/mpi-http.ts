// Patient index on PostgreSQL: POST /fhir/Patient/$match latency through HTTP over N indexed
// records (Fastify inject, so the whole route — parsing, candidate lookup, scoring, reading the
// candidates' resources, the Bundle — without a socket), then the linker's throughput on records
// written through the FHIR API: first sight (link) and after a change (relink); then a $estimate
// run. The N indexed records are loaded straight into `resource` and the mpi tables (not through
// the write path, which would take hours on this machine); everything measured is the server's code.
// Prints one JSON line; progress on stderr. Drops its database at the end.
//
//   node --max-old-space-size=8192 --import tsx bench/mpi-http.ts \
//     [--records 1000000] [--queries 1000] [--relink 2000] [--pg-url postgres://postgres@127.0.0.1:5432]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEFAULT_NOISE, generatePopulation } from '@hoso/generator';
import { extractFeatures, type PatientLike } from '@hoso/mpi';
import { buildApp } from '@hoso/server/app';
import { migrate } from '@hoso/server/db/migrations';
import { openPostgres } from '@hoso/server/db/postgres';
import { DEFAULT_MAX_RECORDS, startEstimate } from '@hoso/server/mpi/estimate';
import { processOutbox } from '@hoso/server/mpi/linker';
import { systemToken } from '../packages/server/test/support/api.ts';
import { indexFeatures } from './store-lib/mpi-index.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '1000' },
    relink: { type: 'string', default: '2000' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
  },
});
const target = Number(args.records);
const relinkCount = Number(args.relink);
const pgUrl = args['pg-url'].replace(/\/+$/u, '');
const DB_NAME = 'bench_mpi_http';
const progress = (msg: string) =>
  process.stderr.write(`[bench:mpi-http] ${new Date().toISOString()} ${msg}\n`);

type Patient = PatientLike & { resourceType: 'Patient'; id: string };
const patients: Patient[] = [];
for (const out of generatePopulation({
  patients: Math.ceil((target + relinkCount) / 2.2),
  seed: 'match-http',
  asOf: '2026-06-30',
  demographicsOnly: true,
  noise: DEFAULT_NOISE,
  persona: false,
}).outputs) {
  if (out.kind === 'resource' && out.resource.resourceType === 'Patient')
    patients.push(out.resource as Patient);
}
// the last `relink` records are written through the API later; the rest are indexed up front
const fresh = patients.splice(Math.max(0, patients.length - relinkCount));
progress(`${patients.length} records to index, ${fresh.length} to write through the API`);

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: `${pgUrl}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB_NAME}`);
const db = await openPostgres(`${pgUrl}/${DB_NAME}`, 4);
const percentiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => Number(s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
};
try {
  await migrate(db);
  // built first, so a server that cannot start fails the run before the long load
  const app = await buildApp({
    db,
    baseUrl: () => 'http://localhost/fhir',
    bodyLimit: 16 * 1024 * 1024,
    mpi: { linkEveryMs: 0 },
  });
  try {
    const load0 = performance.now();
    const CHUNK = 5000;
    for (let i = 0; i < patients.length; i += CHUNK) {
      const chunk = patients.slice(i, i + CHUNK);
      const features = chunk.map((p) => extractFeatures(p));
      await db.query(
        `INSERT INTO resource (type, id, version, seq, last_updated, content, compartment)
       SELECT 'Patient', id, 1, $3::bigint + n, now(), c, ARRAY[id]
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(id, c, n)`,
        [chunk.map((p) => p.id), chunk.map((p) => JSON.stringify(p)), i],
      );
      await indexFeatures(db, features);
      if ((i / CHUNK) % 20 === 0) progress(`indexed ${i + chunk.length}`);
    }
    await db.query(`SELECT setval('resource_seq', ${patients.length + 1})`);
    await db.query('ANALYZE');
    const loadSeconds = (performance.now() - load0) / 1000;
    progress(`loaded in ${loadSeconds.toFixed(0)} s`);

    // the FHIR API needs a token; the admin operations (an administrator's sign-in) are called as
    // the server's own functions: the linker and $estimate code is the same either way
    const auth = { authorization: `Bearer ${await systemToken(app, db)}` };
    const queries = Number(args.queries);
    const wall: number[] = [];
    let candidates = 0;
    const c0 = process.cpuUsage();
    for (let q = 0; q < queries; q++) {
      const { id: _id, ...input } = patients[(q * 7919) % patients.length]!;
      const t0 = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: '/fhir/Patient/$match',
        headers: { 'content-type': 'application/fhir+json', ...auth },
        payload: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [{ name: 'resource', resource: input }],
        }),
      });
      wall.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`$match answered ${res.statusCode}: ${res.body}`);
      candidates += (JSON.parse(res.body) as { total: number }).total;
    }
    const cpu = process.cpuUsage(c0);
    const match = {
      queries,
      ...percentiles(wall),
      cpuMsPerQuery: Number(((cpu.user + cpu.system) / 1000 / queries).toFixed(2)),
      candidatesPerQuery: Number((candidates / queries).toFixed(2)),
    };
    progress(`$match ${JSON.stringify(match)}`);

    const put = async (p: Patient) => {
      const res = await app.inject({
        method: 'PUT',
        url: `/fhir/Patient/${p.id}`,
        headers: { 'content-type': 'application/fhir+json', ...auth },
        payload: JSON.stringify(p),
      });
      if (res.statusCode >= 300) throw new Error(`PUT answered ${res.statusCode}: ${res.body}`);
    };
    const processAll = async () => {
      const t0 = performance.now();
      const c = process.cpuUsage();
      let processed = 0;
      for (let n = await processOutbox(db); n > 0; n = await processOutbox(db)) processed += n;
      const seconds = (performance.now() - t0) / 1000;
      const used = process.cpuUsage(c);
      return {
        processed,
        seconds: Number(seconds.toFixed(2)),
        perSecond: Math.round(processed / seconds),
        cpuMsPerRecord: Number(((used.user + used.system) / 1000 / processed).toFixed(2)),
      };
    };
    const outcomes = async () =>
      Object.fromEntries(
        (
          await db.query<{ action: string; n: number }>(
            'SELECT action, count(*)::int AS n FROM mpi_audit GROUP BY action ORDER BY action',
          )
        ).map((r) => [r.action, r.n]),
      );
    for (const p of fresh) await put(p);
    const link = { ...(await processAll()), outcomes: await outcomes() };
    progress(`link ${JSON.stringify(link)}`);
    // a change the index reads: a new phone number (and so new blocking keys) on every record
    for (const [i, p] of fresh.entries())
      await put({ ...p, telecom: [{ system: 'phone', value: `09${String(10_000_000 + i).slice(-8)}` }] });
    await db.query('DELETE FROM mpi_audit');
    const relink = { ...(await processAll()), outcomes: await outcomes() };
    progress(`relink ${JSON.stringify(relink)}`);
    // re-estimating the weights from the index (its default cap, or all records when fewer)
    const e0 = performance.now();
    const ec = process.cpuUsage();
    const started = await startEstimate(db, DEFAULT_MAX_RECORDS, 'bench');
    await started.done;
    const [run] = await db.query<{ status: string; total: number; pairs: number; error: string | null }>(
      'SELECT status, total::int AS total, pairs::int AS pairs, error FROM mpi_estimate WHERE id = $1',
      [started.id],
    );
    const used = process.cpuUsage(ec);
    const estimate = {
      status: run!.status,
      records: run!.total,
      pairs: run!.pairs,
      seconds: Number(((performance.now() - e0) / 1000).toFixed(1)),
      cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)),
      ...(run!.error ? { error: run!.error } : {}),
    };
    progress(`estimate ${JSON.stringify(estimate)}`);
    console.log(
      JSON.stringify({
        engine: 'postgresql',
        records: patients.length,
        loadSeconds: Math.round(loadSeconds),
        match,
        link,
        relink,
        estimate,
      }),
    );
  } finally {
    await app.close();
  }
} finally {
  await db.close();
  await new Promise((r) => setTimeout(r, 500));
  await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch((e: Error) =>
    progress(`drop failed: ${e.message}`),
  );
}
