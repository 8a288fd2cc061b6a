// `npm run bench:mpi -- …` companion: latency of the server's candidate lookup and scoring (the
// core of Patient/$match and of linking one incoming record) over a patient index of N records,
// loaded straight into the mpi tables of a fresh PGlite database (no HTTP, no resource rows).
// Prints p50/p95/p99 wall time and the CPU per query; progress on stderr.
//
//   node --import tsx bench/mpi-match.ts [--records 100000] [--queries 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_NOISE, generatePopulation } from '@hoso/generator';
import { extractFeatures, type Features, type PatientLike } from '@hoso/mpi';
import { openPglite } from '@hoso/server/db/pglite';
import { migrate } from '@hoso/server/db/migrations';
import { matchConfig } from '@hoso/server/mpi/config';
import { findCandidates } from '@hoso/server/mpi/linker';
import { indexFeatures } from './store-lib/mpi-index.ts';

const { values: args } = parseArgs({
  options: { records: { type: 'string', default: '100000' }, queries: { type: 'string', default: '1000' } },
});
const target = Number(args.records);
const progress = (msg: string) => process.stderr.write(`[bench:mpi-match] ${msg}\n`);

const records: Features[] = [];
for (const out of generatePopulation({
  patients: Math.ceil(target / 2.2),
  seed: 'match-latency',
  asOf: '2026-06-30',
  demographicsOnly: true,
  noise: DEFAULT_NOISE,
  persona: false,
}).outputs) {
  if (out.kind === 'resource' && out.resource.resourceType === 'Patient')
    records.push(extractFeatures(out.resource as PatientLike));
}
progress(`${records.length} records generated`);

const dir = mkdtempSync(join(tmpdir(), 'mpi-match-'));
const db = await openPglite(dir);
try {
  await migrate(db);
  const CHUNK = 5000;
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    await indexFeatures(db, chunk);
    if ((i / CHUNK) % 20 === 0) progress(`loaded ${i + chunk.length}`);
  }
  await db.query('ANALYZE');
  const config = await matchConfig(db);
  const queries = Number(args.queries);
  const wall: number[] = [];
  const c0 = process.cpuUsage();
  for (let q = 0; q < queries; q++) {
    const r = records[(q * 7919) % records.length]!;
    const t0 = performance.now();
    await findCandidates(db, { ...r, id: `query-${q}` }, config);
    wall.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(c0);
  wall.sort((a, b) => a - b);
  const pct = (p: number) => wall[Math.min(wall.length - 1, Math.floor(p * wall.length))]!.toFixed(2);
  console.log(
    JSON.stringify({
      records: records.length,
      queries,
      p50ms: pct(0.5),
      p95ms: pct(0.95),
      p99ms: pct(0.99),
      cpuMsPerQuery: ((cpu.user + cpu.system) / 1000 / queries).toFixed(2),
    }),
  );
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
