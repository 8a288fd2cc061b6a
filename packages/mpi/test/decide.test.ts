import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compare } from '@hoso/mpi/compare';
import { decidePair, decideRecord, type PairDecision } from '@hoso/mpi/decide';
import { extractFeatures } from '@hoso/mpi/features';
import { patient } from './support.ts';

const T = { upper: 12, lower: 4 };

describe('decidePair', () => {
  it('links on a shared citizen ID whatever the score', () => {
    const v = compare(
      extractFeatures(patient()),
      extractFeatures(patient({ family: 'Hùng', given: ['Nguyễn'] })),
    );
    assert.deepEqual(decidePair(v, -50, T), { outcome: 'link', reason: 'citizen-id', score: -50 });
  });

  it('never links a shared citizen ID when sex or birth year differ', () => {
    const v = compare(extractFeatures(patient()), extractFeatures(patient({ birthDate: '1987-03-22' })));
    assert.equal(decidePair(v, 100, T).outcome, 'review');
    assert.equal(decidePair(v, 100, T).reason, 'citizen-id-conflict');
  });

  it('never links two different citizen IDs automatically', () => {
    const other = patient({
      identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '025086999999' }],
    });
    const v = compare(extractFeatures(patient()), extractFeatures(other));
    assert.equal(decidePair(v, 100, T).outcome, 'review');
  });

  it('uses the thresholds otherwise', () => {
    const v = compare(
      extractFeatures(patient({ identifier: [] })),
      extractFeatures(patient({ identifier: [] })),
    );
    assert.equal(decidePair(v, 12, T).outcome, 'link');
    assert.equal(decidePair(v, 5, T).outcome, 'review');
    assert.equal(decidePair(v, 3.9, T).outcome, 'distinct');
  });
});

describe('decideRecord', () => {
  const d = (outcome: PairDecision['outcome'], score: number, reason: PairDecision['reason'] = 'score') => ({
    outcome,
    reason,
    score,
  });
  it('links to the one person its links point to', () => {
    const r = decideRecord([
      { personId: 'A', recordId: 'a1', decision: d('link', 20) },
      { personId: 'A', recordId: 'a2', decision: d('link', 30) },
      { personId: 'B', recordId: 'b1', decision: d('distinct', -10) },
    ]);
    assert.equal(r.outcome, 'link');
    assert.equal(r.candidates[0]?.recordId, 'a2');
  });
  it('queues links to two people, conflicts and review-band candidates', () => {
    assert.equal(
      decideRecord([
        { personId: 'A', recordId: 'a1', decision: d('link', 20) },
        { personId: 'B', recordId: 'b1', decision: d('link', 20) },
      ]).outcome,
      'review',
    );
    assert.equal(
      decideRecord([
        { personId: 'A', recordId: 'a1', decision: d('link', 20) },
        { personId: 'A', recordId: 'a2', decision: d('review', 20, 'citizen-id-conflict') },
      ]).outcome,
      'review',
    );
    assert.equal(
      decideRecord([{ personId: 'A', recordId: 'a1', decision: d('review', 5) }]).outcome,
      'review',
    );
  });
  it('makes a new person when nothing comes close', () => {
    assert.equal(decideRecord([]).outcome, 'new');
  });
});

describe('decidePair on colliding identifiers', () => {
  it('reviews a shared citizen ID when the given name or the birth date differ', () => {
    const a = extractFeatures(patient());
    const otherName = extractFeatures(patient({ given: ['Văn', 'Bảo'] }));
    const otherDay = extractFeatures(patient({ birthDate: '1986-10-19' }));
    assert.equal(decidePair(compare(a, otherName), 30, T).reason, 'citizen-id-mismatch');
    assert.equal(decidePair(compare(a, otherDay), 30, T).outcome, 'review');
  });

  it('never links on score alone when the given names differ', () => {
    const a = extractFeatures(patient({ identifier: [] }));
    const b = extractFeatures(patient({ identifier: [], given: ['Thị', 'Mai'] }));
    assert.deepEqual(decidePair(compare(a, b), 20, T), {
      outcome: 'review',
      reason: 'names-differ',
      score: 20,
    });
  });
});
