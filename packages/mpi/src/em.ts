// Fellegi–Sunter parameters estimated by expectation–maximisation from unlabelled comparison
// vectors (counted by pattern), under conditional independence of the fields; and the match
// weights log2(m/u) they give. Pure: the caller supplies the counted patterns.
import { FIELD_COUNT, FIELDS, patternOf, type Comparison } from './compare.ts';

export interface Parameters {
  /** P(level | match) per field, per level (level 0, not comparable, is unused) */
  m: number[][];
  /** P(level | non-match) per field, per level */
  u: number[][];
  /** share of matches among the compared pairs */
  lambda: number;
}

export interface EmOptions {
  /**
   * Starting point. EM on blocked pairs has more than one fixed point (a "match" class that is
   * really "same middle name" is one): starting from classes labelled by a strong identifier
   * (see `identifierStart`) lands on the one that means "same person".
   */
  start?: Parameters;
  iterations?: number;
  /** stop when no probability moves by more than this */
  tolerance?: number;
}

/** no probability below this: one field never adds or takes more than ~13 bits */
const FLOOR = 1e-4;

/** a neutral start: level 1 likely for matches, the last level likely for non-matches */
function initial(): Parameters {
  const m = FIELDS.map((f) => f.levels.map((_, level) => (level === 1 ? 0.9 : 0.1 / (f.levels.length - 2))));
  const u = FIELDS.map((f) =>
    f.levels.map((_, level) => (level === f.levels.length - 1 ? 0.9 : 0.1 / (f.levels.length - 2))),
  );
  for (const row of [...m, ...u]) row[0] = 0;
  return { m, u, lambda: 0.1 };
}

/** Estimates m, u and lambda from pattern counts (pattern key → number of pairs). */
export function estimate(patterns: ReadonlyMap<number, number>, options: EmOptions = {}): Parameters {
  const vectors: { v: Comparison; n: number }[] = [];
  for (const [key, n] of patterns) vectors.push({ v: patternOf(key), n });
  let p = options.start ?? initial();
  for (let iter = 0; iter < (options.iterations ?? 100); iter++) {
    const mSum = FIELDS.map((f) => new Array<number>(f.levels.length).fill(0));
    const uSum = FIELDS.map((f) => new Array<number>(f.levels.length).fill(0));
    let matchTotal = 0;
    let total = 0;
    for (const { v, n } of vectors) {
      let pm = p.lambda;
      let pu = 1 - p.lambda;
      for (let i = 0; i < FIELD_COUNT; i++) {
        const level = v[i]!;
        if (level === 0) continue;
        pm *= p.m[i]![level]!;
        pu *= p.u[i]![level]!;
      }
      const g = pm / (pm + pu);
      matchTotal += g * n;
      total += n;
      for (let i = 0; i < FIELD_COUNT; i++) {
        const level = v[i]!;
        mSum[i]![level]! += g * n;
        uSum[i]![level]! += (1 - g) * n;
      }
    }
    const next: Parameters = {
      m: mSum.map(normalise),
      u: uSum.map(normalise),
      lambda: Math.min(Math.max(matchTotal / total, FLOOR), 1 - FLOOR),
    };
    const moved = maxMove(p, next);
    p = next;
    if (moved < (options.tolerance ?? 1e-6)) break;
  }
  return p;
}

/**
 * Starting parameters from the pairs an identifier field labels: m from the pairs that agree on
 * it, u from those that disagree (both sides present); the identifier's own m/u start neutral.
 */
export function identifierStart(patterns: ReadonlyMap<number, number>, field: number): Parameters {
  const mSum = FIELDS.map((f) => new Array<number>(f.levels.length).fill(1));
  const uSum = FIELDS.map((f) => new Array<number>(f.levels.length).fill(1));
  let agree = 0;
  let disagree = 0;
  for (const [key, n] of patterns) {
    const v = patternOf(key);
    const sums = v[field] === 1 ? mSum : v[field] === 2 ? uSum : undefined;
    if (!sums) continue;
    if (sums === mSum) agree += n;
    else disagree += n;
    for (let i = 0; i < FIELD_COUNT; i++) sums[i]![v[i]!]! += n;
  }
  mSum[field] = mSum[field]!.map(() => 1);
  uSum[field] = uSum[field]!.map(() => 1);
  return { m: mSum.map(normalise), u: uSum.map(normalise), lambda: (agree + 1) / (agree + disagree + 2) };
}

/** probabilities over levels 1… (level 0 excluded), floored so no weight is infinite */
function normalise(sums: number[]): number[] {
  const total = sums.slice(1).reduce((a, b) => a + b, 0);
  return sums.map((s, level) => (level === 0 ? 0 : Math.max(total > 0 ? s / total : 0, FLOOR)));
}

function maxMove(a: Parameters, b: Parameters): number {
  let moved = Math.abs(a.lambda - b.lambda);
  for (let i = 0; i < FIELD_COUNT; i++) {
    for (let l = 1; l < a.m[i]!.length; l++) {
      moved = Math.max(moved, Math.abs(a.m[i]![l]! - b.m[i]![l]!), Math.abs(a.u[i]![l]! - b.u[i]![l]!));
    }
  }
  return moved;
}

/** Match weights log2(m/u) per field and level; 0 for level 0. */
export type Weights = number[][];

export function weightsOf(p: Parameters): Weights {
  return p.m.map((row, i) => row.map((m, level) => (level === 0 ? 0 : Math.log2(m / p.u[i]![level]!))));
}

/** The total match weight of a comparison vector. */
export function score(weights: Weights, v: Comparison): number {
  let s = 0;
  for (let i = 0; i < FIELD_COUNT; i++) s += weights[i]![v[i]!]!;
  return s;
}
