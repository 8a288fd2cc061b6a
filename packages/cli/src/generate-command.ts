// `hoso generate`: writes a synthetic Vietnamese population as NDJSON or transaction bundles, or
// posts it to a running FHIR server. Parses options and reports progress; all generation logic
// lives in @hoso/generator.
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_NOISE,
  loadGeography,
  parseNoise,
  runGeneration,
  type Destination,
  type GenerateOptions,
  type Progress,
} from '@hoso/generator';
import { ProgressBar } from '@hoso/generator/progress';
import { runParallelNdjson } from '@hoso/generator/parallel';
import { hasSharedGeography } from '@hoso/generator/geography-files';
import type { Command } from './commands.ts';

const USAGE = `usage: hoso generate --patients N --seed S --as-of YYYY-MM-DD --out DIR
       [--format ndjson|bundles] [--demographics-only] [--noise FILE|key=value,...]
       [--post URL [--concurrency 4]] [--provinces 01,25,...] [--no-persona]

  --patients N          number of people (default 10000; the persona is the first)
  --seed S              any text; the same seed and --as-of give byte-identical output (default "hoso")
  --as-of DATE          last day of the ten years of care (default: today, printed)
  --out DIR             output folder: <Type>.ndjson or bundles.ndjson, and truth.csv
  --format F            ndjson (default; one file per resource type) or bundles (transaction bundles)
  --demographics-only   only Organizations, facility Patient records and truth.csv
  --noise SPEC          JSON file, JSON text or key=value list overriding the noise rates
                        (kinds: ${Object.keys(DEFAULT_NOISE).join(', ')})
  --post URL            POST transaction bundles to a FHIR server base URL instead of writing files
  --concurrency N       requests in flight with --post (default 4)
  --provinces LIST      only these province codes (default: all 34)
  --workers N           generate NDJSON on N worker threads (default 1); output is identical
  --no-persona          leave out the persona
Reference data: HOSO_SHARED_DATA (default ../shared/data) adds real communes; without it
addresses are province-level (plus a few built-in communes).`;

function noiseFrom(spec: string | undefined) {
  if (spec === undefined) return DEFAULT_NOISE;
  return parseNoise(existsSync(spec) ? readFileSync(spec, 'utf8') : spec);
}

function wholeNumber(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${text}"`);
  return n;
}

async function generate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      patients: { type: 'string', default: '10000' },
      seed: { type: 'string', default: 'hoso' },
      'as-of': { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'ndjson' },
      'demographics-only': { type: 'boolean', default: false },
      noise: { type: 'string' },
      post: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      provinces: { type: 'string' },
      workers: { type: 'string', default: '1' },
      'no-persona': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out && !values.post) throw new Error(`--out DIR or --post URL is required\n${USAGE}`);
  if (values.format !== 'ndjson' && values.format !== 'bundles')
    throw new Error('--format must be ndjson or bundles');
  const asOf = values['as-of'] ?? new Date().toISOString().slice(0, 10);
  const shared = hasSharedGeography();
  const options: Omit<GenerateOptions, 'geography'> = {
    patients: wholeNumber('patients', values.patients),
    seed: values.seed,
    asOf,
    demographicsOnly: values['demographics-only'],
    noise: noiseFrom(values.noise),
    provinces: values.provinces?.split(',').map((c) => c.trim()),
    persona: !values['no-persona'],
  };
  const workers = wholeNumber('workers', values.workers);
  const parallel = workers > 1;
  if (parallel && (values.post || values.format !== 'ndjson')) {
    throw new Error('--workers applies to --format ndjson written to --out');
  }
  const destination: Destination = values.post
    ? {
        kind: 'post',
        url: values.post,
        dir: values.out,
        concurrency: wholeNumber('concurrency', values.concurrency),
      }
    : { kind: values.format, dir: values.out as string };

  const started = performance.now();
  const bar = new ProgressBar(process.stderr, options.patients, started);
  const onProgress = (p: Progress) => bar.update(p.persons, p.resources, performance.now());
  const result = parallel
    ? await runParallelNdjson({ options, sharedGeography: shared }, values.out as string, workers, onProgress)
    : await runGeneration(
        { ...options, geography: shared ? loadGeography() : undefined },
        destination,
        onProgress,
      );
  bar.finish();
  const seconds = (performance.now() - started) / 1000;
  const where = values.post ? `posted to ${values.post}` : `written to ${values.out}`;
  process.stderr.write(
    `generated ${result.persons.toLocaleString('en')} people, ${result.resources.toLocaleString('en')} resources, ` +
      `${result.truthRows.toLocaleString('en')} facility records in ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.resources / seconds).toLocaleString('en')} resources/s), ${where}; ` +
      `seed "${options.seed}", as-of ${asOf}, ${shared ? 'shared commune data' : 'built-in communes only'}\n`,
  );
}

/** bad options and a refusing server end the command with one clear line, not a stack trace */
async function run(args: string[]): Promise<void> {
  try {
    await generate(args);
  } catch (error) {
    process.stderr.write(`\nhoso generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

export const generateCommand: Command = {
  summary: 'generate a synthetic Vietnamese population (NDJSON, bundles or POST to a server)',
  run,
};
