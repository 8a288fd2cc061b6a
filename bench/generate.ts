// Benchmark of `hoso generate`: the default mix (10,000 people with ten years of care) to NDJSON,
// and the demographics-only mode, measuring wall and CPU time, resources per second and peak
// memory. Run: node --import tsx bench/generate.ts [--patients 10000] [--demographics 200000]
// Writes into a temporary folder that is removed afterwards. Not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadGeography, runGeneration, type GenerateOptions } from '@hoso/generator';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '10000' },
    demographics: { type: 'string', default: '200000' },
    seed: { type: 'string', default: 'bench' },
  },
});

async function measure(label: string, options: GenerateOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-bench-gen-'));
  let peakRss = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const result = await runGeneration(options, { kind: 'ndjson', dir }, () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      `${label}: ${result.persons.toLocaleString('en')} people, ${result.resources.toLocaleString('en')} resources, ` +
        `${result.truthRows.toLocaleString('en')} records in ${seconds.toFixed(1)} s wall / ${cpuSeconds.toFixed(1)} s CPU → ` +
        `${Math.round(result.resources / seconds).toLocaleString('en')} resources/s wall, ` +
        `${Math.round(result.resources / cpuSeconds).toLocaleString('en')} resources/s per CPU-second; ` +
        `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const geography = loadGeography();
console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ` +
    `${geography ? 'shared commune data' : 'built-in communes only'}`,
);
const base = { seed: values.seed, asOf: '2026-06-30', geography };
await measure('default mix', { ...base, patients: Number(values.patients) });
await measure('demographics-only', {
  ...base,
  patients: Number(values.demographics),
  demographicsOnly: true,
});
