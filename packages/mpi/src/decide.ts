// The decision on a compared pair: deterministic rules on strong identifiers first (a shared
// citizen ID or insurance number links, unless sex or birth year contradict it: a conflict that
// always goes to a human; or the given name or full birth date differ: a mismatch, also reviewed),
// then the Fellegi–Sunter score against two thresholds (never an automatic link on score alone
// when the given names differ). And the decision
// for an incoming record given its scored candidates. Pure; never links on a conflict.
import { FIELD_INDEX, type Comparison } from './compare.ts';

export interface Thresholds {
  /** at or above: link automatically */
  upper: number;
  /** at or above (and below upper): queue for review; below: not the same person */
  lower: number;
}

export type Outcome = 'link' | 'review' | 'distinct';

export type Reason =
  | 'score'
  | 'citizen-id'
  | 'insurance-number'
  | 'citizen-id-conflict'
  | 'insurance-number-conflict'
  | 'citizen-id-differs'
  | 'citizen-id-mismatch'
  | 'insurance-number-mismatch'
  | 'names-differ';

export interface PairDecision {
  outcome: Outcome;
  reason: Reason;
  score: number;
}

const SAME = 1;
const DIFFERENT = 2;

/** Sex or birth year contradict each other (the facts a citizen ID encodes). */
function factsConflict(v: Comparison): boolean {
  return v[FIELD_INDEX.sex] === DIFFERENT || v[FIELD_INDEX.birthDate] === 5;
}

/** The given names are different (not a typo, not swapped with the family name). */
function givenDiffers(v: Comparison): boolean {
  return v[FIELD_INDEX.given] === 4;
}

/** Full birth dates on both sides that disagree beyond a day/month swap. */
function birthDateDiffers(v: Comparison): boolean {
  return v[FIELD_INDEX.birthDate] === 4;
}

function byScore(score: number, t: Thresholds): Outcome {
  return score >= t.upper ? 'link' : score >= t.lower ? 'review' : 'distinct';
}

export function decidePair(v: Comparison, score: number, t: Thresholds): PairDecision {
  const cccd = v[FIELD_INDEX.cccd];
  const bhxh = v[FIELD_INDEX.bhxh];
  if (cccd === SAME || (bhxh === SAME && cccd !== DIFFERENT)) {
    const id = cccd === SAME ? 'citizen-id' : 'insurance-number';
    if (factsConflict(v)) return { outcome: 'review', reason: `${id}-conflict`, score };
    // identifiers collide and get mis-keyed: one shared number never outweighs a different person
    if (givenDiffers(v) || birthDateDiffers(v)) return { outcome: 'review', reason: `${id}-mismatch`, score };
    return { outcome: 'link', reason: id, score };
  }
  const outcome = byScore(score, t);
  if (cccd === DIFFERENT && outcome === 'link')
    return { outcome: 'review', reason: 'citizen-id-differs', score };
  if (givenDiffers(v) && outcome === 'link') return { outcome: 'review', reason: 'names-differ', score };
  return { outcome, reason: 'score', score };
}

export interface ScoredCandidate {
  /** the person the candidate record belongs to */
  personId: string;
  recordId: string;
  decision: PairDecision;
}

export type RecordDecision =
  | { outcome: 'link'; personId: string; candidates: ScoredCandidate[] }
  | { outcome: 'review'; candidates: ScoredCandidate[] }
  | { outcome: 'new'; candidates: ScoredCandidate[] };

/**
 * An incoming record's decision: link when its links all point to one person and no candidate is
 * in conflict (same identifier, contradicting facts); review when links point to several people, a
 * conflict exists, or only review-band candidates exist; a new person otherwise. Candidates come back best first.
 */
export function decideRecord(candidates: readonly ScoredCandidate[]): RecordDecision {
  const sorted = [...candidates].sort((x, y) => y.decision.score - x.decision.score);
  const linked = new Set(sorted.filter((c) => c.decision.outcome === 'link').map((c) => c.personId));
  const reviewed = sorted.filter((c) => c.decision.outcome === 'review');
  if (linked.size === 1) {
    const [personId] = linked as unknown as [string];
    const doubt = reviewed.some((c) => c.decision.reason.endsWith('conflict'));
    return doubt
      ? { outcome: 'review', candidates: sorted }
      : { outcome: 'link', personId, candidates: sorted };
  }
  if (linked.size > 1 || reviewed.length > 0) return { outcome: 'review', candidates: sorted };
  return { outcome: 'new', candidates: sorted };
}
