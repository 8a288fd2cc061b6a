// Batch matching of a whole set of records: blocking, comparison of every candidate pair, EM
// estimation of the weights from those pairs, scores, decisions, and the people that the automatic
// links form (union–find). Used by the benchmark and for bulk (re)linking. Pure, in memory.
import { blockingKeys, candidatePairs } from './blocking.ts';
import { compare, FIELD_COUNT, FIELD_INDEX, patternKey, patternOf } from './compare.ts';
import { decidePair, type Outcome, type Thresholds } from './decide.ts';
import { estimate, identifierStart, score, weightsOf, type Parameters, type Weights } from './em.ts';
import type { Features } from './features.ts';

export interface ComparedPairs {
  a: Int32Array;
  b: Int32Array;
  /** pattern key of each pair's comparison vector */
  pattern: Int32Array;
  length: number;
  skippedBlocks: number;
}

/** Blocks the records and compares every candidate pair. */
export function comparePairs(records: readonly Features[], maxBlock?: number): ComparedPairs {
  const pairs = candidatePairs(records.map(blockingKeys), maxBlock);
  const pattern = new Int32Array(pairs.length);
  const v = new Uint8Array(FIELD_COUNT);
  for (let i = 0; i < pairs.length; i++) {
    pattern[i] = patternKey(compare(records[pairs.a[i]!]!, records[pairs.b[i]!]!, v));
  }
  return { a: pairs.a, b: pairs.b, pattern, length: pairs.length, skippedBlocks: pairs.skippedBlocks };
}

/** Pattern key → number of pairs with it. */
export function countPatterns(pairs: ComparedPairs): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < pairs.length; i++) {
    const key = pairs.pattern[i]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** EM parameters estimated from the compared pairs (started from citizen-ID classes), and their weights. */
export function train(pairs: ComparedPairs): { parameters: Parameters; weights: Weights } {
  const patterns = countPatterns(pairs);
  const parameters = estimate(patterns, { start: identifierStart(patterns, FIELD_INDEX.cccd) });
  return { parameters, weights: weightsOf(parameters) };
}

/** Score and decision per distinct pattern, computed once. */
export function decideAll(pairs: ComparedPairs, weights: Weights, t: Thresholds): Uint8Array {
  const byPattern = new Map<number, number>();
  const outcomes = new Uint8Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const key = pairs.pattern[i]!;
    let code = byPattern.get(key);
    if (code === undefined) {
      const v = patternOf(key);
      code = OUTCOME_CODES[decidePair(v, score(weights, v), t).outcome];
      byPattern.set(key, code);
    }
    outcomes[i] = code;
  }
  return outcomes;
}

export const OUTCOME_CODES: Readonly<Record<Outcome, number>> = { distinct: 0, review: 1, link: 2 };

/** Union–find over record indices. */
export class Clusters {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = new Int32Array(size).map((_, i) => i);
  }
  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[x] !== root) {
      const next = this.parent[x]!;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }
  union(x: number, y: number): void {
    const rx = this.find(x);
    const ry = this.find(y);
    if (rx !== ry) this.parent[Math.max(rx, ry)] = Math.min(rx, ry);
  }
}
