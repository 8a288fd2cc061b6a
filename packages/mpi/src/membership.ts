// Whether a record may stay in, join or leave a person, beyond its pairwise decision: a record
// that contradicts any record already in the person (different citizen ID, sex or birth year) must
// not join it through a third record (A–B, B–C never silently makes A–C), and a changed record is
// re-decided against the person it is in. Pure: the caller supplies features and decisions.
import { compare, FIELD_INDEX, type Comparison } from './compare.ts';
import type { RecordDecision } from './decide.ts';
import type { Features } from './features.ts';

const DIFFERENT = 2;

/** Facts that two records of one person cannot both carry: different citizen IDs, sexes or birth years. */
export function contradicts(v: Comparison): boolean {
  return (
    v[FIELD_INDEX.cccd] === DIFFERENT || v[FIELD_INDEX.sex] === DIFFERENT || v[FIELD_INDEX.birthDate] === 5
  );
}

/** The members of a person that the record contradicts (the record itself excluded by id). */
export function contradictingMembers(record: Features, members: readonly Features[]): Features[] {
  return members.filter((m) => m.id !== record.id && contradicts(compare(record, m)));
}

/** Where an already-indexed record stands, for re-deciding it after it changed. */
export interface Membership {
  personId: string;
  /** no other record is in the person */
  alone: boolean;
  /** the record's latest link change was a person's decision (review accept, merge, unlink) */
  manual: boolean;
}

export type Relink =
  | { action: 'stay' }
  | { action: 'move'; personId: string }
  /** leave the person for a new provisional one and queue the candidates for review */
  | { action: 'review' }
  /** leave the person for a new one of its own */
  | { action: 'leave' };

/**
 * The re-decision for a changed record: stay when it still links to its person (or nothing points
 * elsewhere and it is alone); move when it now links to another person; leave for review when its
 * candidates are in doubt, unless a person already decided exactly that doubt (a manual link and
 * every doubtful candidate in its own person); leave when it matches nobody in its person any more.
 */
export function decideRelink(current: Membership, decision: RecordDecision): Relink {
  if (decision.outcome === 'link')
    return decision.personId === current.personId
      ? { action: 'stay' }
      : { action: 'move', personId: decision.personId };
  if (decision.outcome === 'review') {
    if (current.alone) return { action: 'stay' };
    const doubtful = decision.candidates.filter((c) => c.decision.outcome !== 'distinct');
    const decidedByPerson = current.manual && doubtful.every((c) => c.personId === current.personId);
    return decidedByPerson ? { action: 'stay' } : { action: 'review' };
  }
  return current.alone ? { action: 'stay' } : { action: 'leave' };
}
