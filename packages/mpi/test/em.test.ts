import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePopulation, DEFAULT_NOISE } from '@hoso/generator';
import { comparePairs, train, decideAll, OUTCOME_CODES } from '@hoso/mpi/batch';
import { extractFeatures, type PatientLike } from '@hoso/mpi/features';
import { FIELD_INDEX } from '@hoso/mpi/compare';

describe('EM on generated records (small population)', () => {
  const records: ReturnType<typeof extractFeatures>[] = [];
  const person: string[] = [];
  for (const out of generatePopulation({
    patients: 1500,
    seed: 'mpi-test',
    asOf: '2026-06-30',
    demographicsOnly: true,
    noise: DEFAULT_NOISE,
  }).outputs) {
    if (out.kind === 'truth') person.push(out.row.personId);
    else if (out.kind === 'resource' && out.resource.resourceType === 'Patient')
      records.push(extractFeatures(out.resource as PatientLike));
  }
  const pairs = comparePairs(records);
  const { parameters, weights } = train(pairs);

  it('learns that agreement is evidence for and disagreement against', () => {
    for (const field of ['given', 'cccd', 'phone', 'birthDate'] as const) {
      const w = weights[FIELD_INDEX[field]]!;
      assert.ok(w[1]! > 0, `${field} agreement weight ${w[1]}`);
      assert.ok(w[w.length - 1]! < 0, `${field} disagreement weight`);
    }
    assert.ok(parameters.lambda > 0 && parameters.lambda < 1);
  });

  it('links the same people as the ground truth with no wrong automatic link', () => {
    const outcomes = decideAll(pairs, weights, { upper: 12, lower: 4 });
    let wrong = 0;
    let right = 0;
    for (let i = 0; i < pairs.length; i++) {
      if (outcomes[i] !== OUTCOME_CODES.link) continue;
      if (person[pairs.a[i]!] === person[pairs.b[i]!]) right++;
      else wrong++;
    }
    assert.equal(wrong, 0);
    assert.ok(right > 1000, `${right} right links`);
  });
});
