// Micro-benchmark of the write-path validator: µs per resource (median and p95 over batches) for
// typical resources, plus the start-up cost of the compact R4 model. Run:
//   node --import tsx bench/validate.ts
// Prints result lines only; docs/BENCHMARKS.md records them. Not a test: asserts nothing.
import { availableParallelism, loadavg } from 'node:os';

const t0 = performance.now();
const { loadModel } = await import('../packages/fhir/src/definitions/cache.ts');
const { validateResource } = await import('../packages/fhir/src/validator.ts');
const importMs = performance.now() - t0;
const t1 = performance.now();
loadModel();
const loadMs = performance.now() - t1;
const examples = await import('../packages/fhir/test/validator-examples.ts');

const invalidPatient = (): Record<string, unknown> => ({
  ...examples.patient(),
  gender: 'nữ',
  birthDate: '1985-02-30',
  foo: 1,
  telecom: [{ value: '0912' }, {}],
});

const cases: [string, () => Record<string, unknown>][] = [
  ['Patient', examples.patient],
  ['Observation (heart rate)', examples.heartRate],
  ['Observation (BP panel)', examples.bloodPressure],
  ['Observation (lab, ref. range)', examples.alt],
  ['Encounter', examples.encounter],
  ['Condition', examples.condition],
  ['MedicationRequest', examples.medicationRequest],
  ['Bundle (transaction, 6 entries)', examples.transaction],
  ['Patient with 5 errors', invalidPatient],
];

const BATCH = 200;
const BATCHES = 300;

interface Stats {
  median: number;
  p95: number;
}

/**
 * µs per resource over batches, both wall-clock and CPU time of this process: on a shared 2-core
 * machine other work inflates wall time, while CPU time shows the validator's own cost.
 */
function measure(make: () => Record<string, unknown>): { wall: Stats; cpu: Stats } {
  // Distinct objects per call, as on the write path (each request parses its own JSON).
  const inputs = Array.from({ length: BATCH }, () => JSON.parse(JSON.stringify(make())) as unknown);
  for (let i = 0; i < 20; i++) for (const r of inputs) validateResource(r);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    for (const r of inputs) validateResource(r);
    const used = process.cpuUsage(startCpu);
    wall.push(Number(process.hrtime.bigint() - start) / 1000 / BATCH);
    cpu.push((used.user + used.system) / BATCH);
  }
  return { wall: stats(wall), cpu: stats(cpu) };
}

function stats(values: number[]): Stats {
  values.sort((a, b) => a - b);
  return { median: values[Math.floor(values.length / 2)]!, p95: values[Math.floor(values.length * 0.95)]! };
}

const fmt = (n: number) => n.toFixed(1).padStart(6);

console.log(
  `validator start-up: import ${importMs.toFixed(0)} ms (incl. cached model), model JSON load ${loadMs.toFixed(1)} ms`,
);
console.log(
  `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores at the start of the run`,
);
for (const [name, make] of cases) {
  const { wall, cpu } = measure(make);
  console.log(
    `${name.padEnd(32)} CPU median ${fmt(cpu.median)} µs  p95 ${fmt(cpu.p95)} µs | wall median ${fmt(wall.median)} µs  p95 ${fmt(wall.p95)} µs`,
  );
}
