import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compare } from '@hoso/mpi/compare';
import type { RecordDecision, ScoredCandidate } from '@hoso/mpi/decide';
import { extractFeatures } from '@hoso/mpi/features';
import { contradictingMembers, contradicts, decideRelink } from '@hoso/mpi/membership';
import { patient } from './support.ts';

const cand = (personId: string, outcome: 'link' | 'review' | 'distinct'): ScoredCandidate => ({
  personId,
  recordId: `r-${personId}`,
  decision: { outcome, reason: 'score', score: 10 },
});

describe('contradicts', () => {
  const base = extractFeatures(patient());
  it('holds for a different citizen ID, sex or birth year, not for a typo in the name', () => {
    const otherId = extractFeatures(
      patient({ identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '025086999999' }] }),
    );
    assert.ok(contradicts(compare(base, otherId)));
    assert.ok(contradicts(compare(base, extractFeatures(patient({ gender: 'female' })))));
    assert.ok(contradicts(compare(base, extractFeatures(patient({ birthDate: '1987-03-22' })))));
    assert.ok(!contradicts(compare(base, extractFeatures(patient({ given: ['Văn', 'Hưng'] })))));
    assert.ok(!contradicts(compare(base, extractFeatures(patient({ birthDate: '1986' })))));
  });

  it('lists the members a record contradicts, never the record itself', () => {
    const a = extractFeatures({ ...patient(), id: 'a' });
    const b = extractFeatures({ ...patient({ gender: 'female' }), id: 'b' });
    const c = extractFeatures({ ...patient({ given: ['Văn', 'Hưng'] }), id: 'c' });
    assert.deepEqual(
      contradictingMembers(a, [a, b, c]).map((m) => m.id),
      ['b'],
    );
  });
});

describe('decideRelink', () => {
  const here = { personId: 'P', alone: false, manual: false };
  const link = (personId: string): RecordDecision => ({ outcome: 'link', personId, candidates: [] });
  const review = (...candidates: ScoredCandidate[]): RecordDecision => ({ outcome: 'review', candidates });

  it('stays when it still links to its person, moves when it links to another', () => {
    assert.deepEqual(decideRelink(here, link('P')), { action: 'stay' });
    assert.deepEqual(decideRelink(here, link('Q')), { action: 'move', personId: 'Q' });
    assert.deepEqual(decideRelink({ ...here, alone: true }, link('Q')), { action: 'move', personId: 'Q' });
  });

  it('leaves for review on doubt, unless a person already decided that doubt', () => {
    assert.deepEqual(decideRelink(here, review(cand('P', 'review'))), { action: 'review' });
    assert.deepEqual(decideRelink({ ...here, manual: true }, review(cand('P', 'review'))), {
      action: 'stay',
    });
    assert.deepEqual(
      decideRelink({ ...here, manual: true }, review(cand('P', 'review'), cand('Q', 'review'))),
      {
        action: 'review',
      },
    );
    assert.deepEqual(decideRelink({ ...here, alone: true }, review(cand('Q', 'review'))), { action: 'stay' });
  });

  it('leaves its person when it matches nobody there any more; alone it stays', () => {
    const none: RecordDecision = { outcome: 'new', candidates: [cand('P', 'distinct')] };
    assert.deepEqual(decideRelink(here, none), { action: 'leave' });
    assert.deepEqual(decideRelink({ ...here, alone: true }, none), { action: 'stay' });
  });
});
