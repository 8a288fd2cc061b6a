// `npm run bench:mpi` — accuracy and throughput of the patient index (@hoso/mpi) on generated
// demographics with the generator's ground truth and default noise profile. Thresholds are tuned
// on the tuning seeds (100 k records) and then reported, unchanged, on seeds never tuned on, at
// each size. Pairwise precision/recall/F1 are counted on the people the automatic links form
// (transitive closure), recall-with-review on links plus review-queue pairs. Wall and CPU time
// per phase. Writes bench/out/mpi-<time>.json and docs/mpi-threshold.svg; progress on stderr.
//
//   npm run bench:mpi -- [--sizes 100000,1000000] [--tune-seeds a,b] [--test-seeds c,d]
//                        [--test-seeds-large e] [--thresholds upper,lower] [--quick]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_NOISE, generatePopulation, loadGeography, type Geography } from '@hoso/generator';
import { loadAdminUnits } from '@hoso/vn/admin-units-loader';
import {
  Clusters,
  comparePairs,
  decideAll,
  extractFeatures,
  OUTCOME_CODES,
  patternOf,
  score,
  train,
  type ComparedPairs,
  type FeatureOptions,
  type Features,
  type Thresholds,
  type Weights,
  type PatientLike,
} from '@hoso/mpi';
import { writeResult } from './store-lib/out.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    'tune-seeds': { type: 'string', default: 'tune-1,tune-2' },
    'test-seeds': { type: 'string', default: 'test-1,test-2' },
    'test-seeds-large': { type: 'string', default: 'test-3' },
    quick: { type: 'boolean', default: false },
    /** skip tuning: "upper,lower" */
    thresholds: { type: 'string' },
  },
});
const quick = args.quick;
const sizes = quick ? [20_000] : args.sizes.split(',').map(Number);
const tuneSeeds = args['tune-seeds'].split(',');
const testSeeds = args['test-seeds'].split(',');
const RECORDS_PER_PERSON = 2.2;
const AS_OF = '2026-06-30';

function progress(msg: string): void {
  process.stderr.write(`[bench:mpi ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function timed<T>(fn: () => T): [T, Timing] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const c = process.cpuUsage(c0);
  return [result, { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }];
}

function addTiming(a: Timing, b: Timing): Timing {
  return { wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs };
}

interface Dataset {
  seed: string;
  records: Features[];
  person: Int32Array;
  truePairs: number;
  generate: Timing;
  extract: Timing;
}

function makeDataset(
  seed: string,
  targetRecords: number,
  geography: Geography | undefined,
  fo: FeatureOptions,
): Dataset {
  const patients = Math.ceil(targetRecords / RECORDS_PER_PERSON);
  const population = generatePopulation({
    patients,
    seed,
    asOf: AS_OF,
    demographicsOnly: true,
    noise: DEFAULT_NOISE,
    persona: false,
    ...(geography ? { geography } : {}),
  });
  const records: Features[] = [];
  const personOf = new Map<string, number>();
  const personIds: number[] = [];
  let batch: PatientLike[] = [];
  let extract: Timing = { wallMs: 0, cpuMs: 0 };
  const flush = () => {
    const [features, t] = timed(() => batch.map((p) => extractFeatures(p, fo)));
    records.push(...features);
    extract = addTiming(extract, t);
    batch = [];
  };
  const [, generate] = timed(() => {
    for (const out of population.outputs) {
      if (out.kind === 'truth') {
        let p = personOf.get(out.row.personId);
        if (p === undefined) personOf.set(out.row.personId, (p = personOf.size));
        personIds.push(p);
      } else if (out.kind === 'resource' && out.resource.resourceType === 'Patient') {
        batch.push(out.resource as PatientLike);
        if (batch.length === 2000) {
          flush();
          if (records.length % 100_000 === 0) progress(`${seed}: ${records.length} records`);
        }
      }
    }
    flush();
  });
  const counts = new Map<number, number>();
  for (const p of personIds) counts.set(p, (counts.get(p) ?? 0) + 1);
  let truePairs = 0;
  for (const n of counts.values()) truePairs += (n * (n - 1)) / 2;
  generate.wallMs -= extract.wallMs;
  generate.cpuMs -= extract.cpuMs;
  return { seed, records, person: Int32Array.from(personIds), truePairs, generate, extract };
}

/** pairwise precision and recall of the people that a set of edges forms */
function clusterMetrics(ds: Dataset, pairs: ComparedPairs, outcomes: Uint8Array, minCode: number) {
  const clusters = new Clusters(ds.records.length);
  for (let i = 0; i < pairs.length; i++)
    if (outcomes[i]! >= minCode) clusters.union(pairs.a[i]!, pairs.b[i]!);
  const size = new Map<number, number>();
  const sizeWithPerson = new Map<string, number>();
  for (let r = 0; r < ds.records.length; r++) {
    const c = clusters.find(r);
    size.set(c, (size.get(c) ?? 0) + 1);
    const k = `${c}:${ds.person[r]}`;
    sizeWithPerson.set(k, (sizeWithPerson.get(k) ?? 0) + 1);
  }
  let predicted = 0;
  let correct = 0;
  for (const n of size.values()) predicted += (n * (n - 1)) / 2;
  for (const n of sizeWithPerson.values()) correct += (n * (n - 1)) / 2;
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = correct / ds.truePairs;
  return {
    predictedPairs: predicted,
    correctPairs: correct,
    wrongPairs: predicted - correct,
    precision,
    recall,
    f1: (2 * precision * recall) / (precision + recall),
  };
}

/** score histogram (0.5-bit bins) of true and false candidate pairs, for tuning and the chart */
function scoreCurve(ds: Dataset, pairs: ComparedPairs, weights: Weights) {
  const byPattern = new Map<number, number>();
  const trueAt = new Map<number, number>();
  const falseAt = new Map<number, number>();
  for (let i = 0; i < pairs.length; i++) {
    const key = pairs.pattern[i]!;
    let s = byPattern.get(key);
    if (s === undefined) byPattern.set(key, (s = score(weights, patternOf(key))));
    const bin = Math.floor(s * 2) / 2;
    const same = ds.person[pairs.a[i]!] === ds.person[pairs.b[i]!];
    const m = same ? trueAt : falseAt;
    m.set(bin, (m.get(bin) ?? 0) + 1);
  }
  return { trueAt, falseAt };
}

interface Run {
  seed: string;
  records: number;
  people: number;
  truePairs: number;
  candidatePairs: number;
  skippedBlocks: number;
  trueCandidatePairs: number;
  autoLinks: ReturnType<typeof clusterMetrics>;
  withReview: ReturnType<typeof clusterMetrics>;
  wrongAutoLinkPairs: number;
  /** the wrong automatic links, for diagnosis */
  wrongLinks: unknown[];
  reviewPairs: number;
  reviewRecords: number;
  reviewShareOfRecords: number;
  lambda: number;
  timing: Record<string, Timing>;
}

function matchDataset(ds: Dataset, thresholds: Thresholds | undefined) {
  const [pairs, tCompare] = timed(() => comparePairs(ds.records));
  progress(`${ds.seed}: ${pairs.length} candidate pairs (${pairs.skippedBlocks} oversized blocks skipped)`);
  const [trained, tTrain] = timed(() => train(pairs));
  return { pairs, trained, tCompare, tTrain, thresholds };
}

function evaluate(
  ds: Dataset,
  pairs: ComparedPairs,
  weights: Weights,
  lambda: number,
  t: Thresholds,
  timing: Record<string, Timing>,
): Run {
  const [outcomes, tDecide] = timed(() => decideAll(pairs, weights, t));
  const [clustersTiming] = [timed(() => clusterMetrics(ds, pairs, outcomes, OUTCOME_CODES.link))];
  const autoLinks = clustersTiming[0];
  const withReview = clusterMetrics(ds, pairs, outcomes, OUTCOME_CODES.review);
  // the queue: review pairs whose records the automatic links have not already joined
  const clusters = new Clusters(ds.records.length);
  let wrongAutoLinkPairs = 0;
  const wrongLinks: unknown[] = [];
  let trueCandidatePairs = 0;
  for (let i = 0; i < pairs.length; i++) {
    const same = ds.person[pairs.a[i]!] === ds.person[pairs.b[i]!];
    if (same) trueCandidatePairs++;
    if (outcomes[i] === OUTCOME_CODES.link) {
      clusters.union(pairs.a[i]!, pairs.b[i]!);
      if (!same) {
        wrongAutoLinkPairs++;
        const v = patternOf(pairs.pattern[i]!);
        const [x, y] = [ds.records[pairs.a[i]!]!, ds.records[pairs.b[i]!]!];
        wrongLinks.push({ score: score(weights, v), vector: [...v], a: x, b: y });
      }
    }
  }
  const queued = new Set<string>();
  const queuedRecords = new Set<number>();
  for (let i = 0; i < pairs.length; i++) {
    if (outcomes[i] !== OUTCOME_CODES.review) continue;
    const x = clusters.find(pairs.a[i]!);
    const y = clusters.find(pairs.b[i]!);
    if (x === y) continue;
    queued.add(x < y ? `${x}:${y}` : `${y}:${x}`);
    queuedRecords.add(pairs.a[i]!).add(pairs.b[i]!);
  }
  return {
    seed: ds.seed,
    records: ds.records.length,
    people: new Set(ds.person).size,
    truePairs: ds.truePairs,
    candidatePairs: pairs.length,
    skippedBlocks: pairs.skippedBlocks,
    trueCandidatePairs,
    autoLinks,
    withReview,
    wrongAutoLinkPairs,
    wrongLinks,
    reviewPairs: queued.size,
    reviewRecords: queuedRecords.size,
    reviewShareOfRecords: queued.size / ds.records.length,
    lambda,
    timing: { ...timing, decide: tDecide },
  };
}

/**
 * Thresholds from the tuning seeds. upper: 4 bits above the highest score any non-matching pair
 * reached, and never below a posterior match probability of 0.999 under the EM prior; lower: keeps
 * 99.9 % of the true candidate pairs at or above it, and stays below upper.
 */
function tune(curves: ReturnType<typeof scoreCurve>[], lambdas: number[]): Thresholds {
  const highestFalse = Math.max(...curves.flatMap((c) => [...c.falseAt.keys()]));
  const posteriorFloor = Math.max(...lambdas.map((l) => Math.log2((1 - l) / l) + Math.log2(999)));
  const upper = Math.ceil(Math.max(highestFalse + 0.5 + 4, posteriorFloor));
  const trueScores = curves.flatMap((c) => [...c.trueAt]).sort((a, b) => a[0] - b[0]);
  const total = trueScores.reduce((n, [, k]) => n + k, 0);
  let below = 0;
  let lower = upper - 1;
  for (const [bin, n] of trueScores) {
    if (below + n > total * 0.001) {
      lower = Math.min(bin, upper - 1);
      break;
    }
    below += n;
  }
  return { upper, lower };
}

/** precision and recall of "score ≥ t" over candidate pairs (true pairs never compared count as missed) */
function thresholdSvg(
  curve: ReturnType<typeof scoreCurve>,
  truePairs: number,
  t: Thresholds,
  title: string,
): string {
  const bins = [...new Set([...curve.trueAt.keys(), ...curve.falseAt.keys()])].sort((a, b) => a - b);
  const points: { x: number; p: number; r: number }[] = [];
  for (let x = -20; x <= 40; x += 0.5) {
    let tp = 0;
    let fp = 0;
    for (const b of bins) {
      if (b < x) continue;
      tp += curve.trueAt.get(b) ?? 0;
      fp += curve.falseAt.get(b) ?? 0;
    }
    points.push({ x, p: tp + fp === 0 ? 1 : tp / (tp + fp), r: tp / truePairs });
  }
  const W = 640;
  const H = 360;
  const L = 60;
  const B = 40;
  const sx = (x: number) => L + ((x + 20) / 60) * (W - L - 20);
  const sy = (y: number) => 20 + (1 - y) * (H - B - 20);
  const line = (pick: (q: { p: number; r: number }) => number) =>
    points.map((q, i) => `${i ? 'L' : 'M'}${sx(q.x).toFixed(1)},${sy(pick(q)).toFixed(1)}`).join(' ');
  const vline = (x: number, label: string) =>
    `<line x1="${sx(x)}" y1="20" x2="${sx(x)}" y2="${H - B}" stroke="#888" stroke-dasharray="4 3"/><text x="${sx(x) + 3}" y="32" font-size="11">${label} ${x}</text>`;
  const ticks = [-20, -10, 0, 10, 20, 30, 40]
    .map((x) => `<text x="${sx(x)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${x}</text>`)
    .join('');
  const yticks = [0, 0.25, 0.5, 0.75, 1]
    .map((y) => `<text x="${L - 6}" y="${sy(y) + 4}" font-size="11" text-anchor="end">${y}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${L}" y="14" font-size="12">${title}</text>
<rect x="${L}" y="20" width="${W - L - 20}" height="${H - B - 20}" fill="none" stroke="#ccc"/>
${ticks}${yticks}
<text x="${(W + L) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">match weight threshold (log2 m/u, bits)</text>
${vline(t.lower, 'lower')}${vline(t.upper, 'upper')}
<path d="${line((q) => q.p)}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${line((q) => q.r)}" fill="none" stroke="#d62728" stroke-width="2"/>
<text x="${W - 150}" y="${H - B - 30}" font-size="12" fill="#1f77b4">precision (pairs)</text>
<text x="${W - 150}" y="${H - B - 14}" font-size="12" fill="#d62728">recall (pairs)</text>
</svg>
`;
}

/** Thresholds tuned on the tuning seeds (which are never reported on). */
function tuneThresholds(tuneSize: number, geography: Geography | undefined, fo: FeatureOptions): Thresholds {
  const curves: ReturnType<typeof scoreCurve>[] = [];
  const lambdas: number[] = [];
  for (const seed of tuneSeeds) {
    progress(`tuning seed ${seed}: generating ${tuneSize} records`);
    const ds = makeDataset(seed, tuneSize, geography, fo);
    const { pairs, trained } = matchDataset(ds, undefined);
    curves.push(scoreCurve(ds, pairs, trained.weights));
    lambdas.push(trained.parameters.lambda);
  }
  const thresholds = tune(curves, lambdas);
  for (const c of curves) {
    const top = [...c.falseAt].sort((a, b) => b[0] - a[0]).slice(0, 8);
    const low = [...c.trueAt].sort((a, b) => a[0] - b[0]).slice(0, 8);
    progress(`highest non-match bins ${JSON.stringify(top)}; lowest match bins ${JSON.stringify(low)}`);
  }
  return thresholds;
}

function main(): void {
  progress('loading reference data (communes, old → new wards)');
  const geography = loadGeography();
  const units = geography ? loadAdminUnits() : undefined;
  const fo: FeatureOptions = units
    ? { communesOfLegacyWard: (code) => units.currentCommunesOfLegacyWard(code).map((c) => c.commune.code) }
    : {};
  const tuneSize = Math.min(...sizes);
  const given = args.thresholds?.split(',').map(Number);
  const thresholds = given ? { upper: given[0]!, lower: given[1]! } : tuneThresholds(tuneSize, geography, fo);
  progress(`thresholds: upper ${thresholds.upper}, lower ${thresholds.lower}`);
  const runs: Run[] = [];
  let lastCurve:
    { curve: ReturnType<typeof scoreCurve>; truePairs: number; seed: string; size: number } | undefined;
  for (const size of sizes) {
    for (const seed of size === tuneSize ? testSeeds : args['test-seeds-large'].split(',')) {
      progress(`test seed ${seed}: generating ${size} records`);
      const ds = makeDataset(seed, size, geography, fo);
      const { pairs, trained, tCompare, tTrain } = matchDataset(ds, thresholds);
      const run = evaluate(ds, pairs, trained.weights, trained.parameters.lambda, thresholds, {
        generate: ds.generate,
        extract: ds.extract,
        blockAndCompare: tCompare,
        estimate: tTrain,
      });
      runs.push(run);
      lastCurve = {
        curve: scoreCurve(ds, pairs, trained.weights),
        truePairs: ds.truePairs,
        seed,
        size: ds.records.length,
      };
      progress(JSON.stringify({ ...run, timing: undefined, wrongLinks: undefined }));
      progress(JSON.stringify(run.timing));
    }
  }
  if (lastCurve && !quick) {
    const title = `Pairwise precision and recall vs threshold, seed ${lastCurve.seed}, ${lastCurve.size} records`;
    writeFileSync(
      'docs/mpi-threshold.svg',
      thresholdSvg(lastCurve.curve, lastCurve.truePairs, thresholds, title),
    );
    progress('wrote docs/mpi-threshold.svg');
  }
  const file = writeResult('mpi', 'json', JSON.stringify({ thresholds, runs }, null, 2));
  progress(`wrote ${file}`);
}

main();
