// Benchmark of search-index extraction (the write side of search): module load and compile time,
// then median / p95 microseconds per resource for extractIndexRows + patientCompartment on
// realistic Patient, Observation and Encounter resources. Pure CPU, no database.
// Batches are timed in process CPU time (process.cpuUsage), so other load on the machine inflates
// the numbers less than wall-clock time would; the baseline `JSON.parse(JSON.stringify(resource))`
// runs interleaved in the same process, and the ratio to it is the figure to compare across runs.
// Run: node --import tsx bench/extract.ts [--batches N]

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '300' } } });
const BATCHES = Number(values.batches);
const PER_BATCH = 200;

const t0 = performance.now();
const c0 = process.cpuUsage();
const { extractIndexRows } = await import('../packages/fhir/src/search/extract.ts');
const { patientCompartment } = await import('../packages/fhir/src/search/compartment.ts');
const { parametersFor } = await import('../packages/fhir/src/search/parameters.ts');
const { SEARCH_PARAMETERS } = await import('../packages/fhir/src/search/definitions.generated.ts');
const loadMs = performance.now() - t0;
const loadCpu = process.cpuUsage(c0);
const t1 = performance.now();
const c1 = process.cpuUsage();
for (const type of Object.keys(SEARCH_PARAMETERS)) if (type !== 'Resource') parametersFor(type);
const compileAllMs = performance.now() - t1;
const compileCpu = process.cpuUsage(c1);
const cpuMs = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1000).toFixed(1);

const examples = await import('../packages/fhir/test/search-examples.ts');
const cases: [string, { resourceType: string }][] = [
  ['Patient', examples.PATIENT],
  ['Observation (vitals, 2 components)', examples.OBSERVATION_VITALS],
  ['Observation (lab)', examples.OBSERVATION_LAB],
  ['Encounter', examples.ENCOUNTER],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** CPU microseconds per call of `fn`, one sample per batch. */
function cpuBatch(fn: () => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < PER_BATCH; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / PER_BATCH;
}

console.log(`node ${process.version}; ${BATCHES} batches x ${PER_BATCH} resources per case; CPU time`);
console.log(
  `load (import modules + generated table): ${loadMs.toFixed(1)} ms wall, ${cpuMs(loadCpu)} ms CPU`,
);
console.log(
  `compile all 146 resource types' parameters (done lazily per type in use): ${compileAllMs.toFixed(1)} ms wall, ${cpuMs(compileCpu)} ms CPU`,
);
console.log('case                                 rows   median µs   p95 µs   baseline median µs   ratio');
for (const [name, resource] of cases) {
  const rows = extractIndexRows(resource);
  const count = Object.values(rows).reduce((n, list) => n + list.length, 0);
  const extract = () => patientCompartment(resource, extractIndexRows(resource));
  const baseline = () => JSON.parse(JSON.stringify(resource));
  for (let i = 0; i < 5000; i++) {
    extract();
    baseline();
  }
  const ours: number[] = [];
  const base: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    ours.push(cpuBatch(extract));
    base.push(cpuBatch(baseline));
  }
  ours.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  const median = percentile(ours, 50);
  const baseMedian = percentile(base, 50);
  console.log(
    `${name.padEnd(36)} ${String(count).padStart(4)}   ${median.toFixed(1).padStart(9)}   ${percentile(
      ours,
      95,
    )
      .toFixed(1)
      .padStart(
        6,
      )}   ${baseMedian.toFixed(1).padStart(18)}   ${(median / baseMedian).toFixed(1).padStart(5)}`,
  );
}
