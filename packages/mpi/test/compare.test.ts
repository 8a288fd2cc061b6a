import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compare, FIELD_INDEX, patternKey, patternOf, withinOneEdit } from '@hoso/mpi/compare';
import { extractFeatures } from '@hoso/mpi/features';
import { patient } from './support.ts';

const F = FIELD_INDEX;

describe('compare', () => {
  it('sees a swapped name order, a day/month swap and Vũ/Võ as agreement', () => {
    const a = extractFeatures(patient({ family: 'Vũ', given: ['Văn', 'Hùng'] }));
    const b = extractFeatures(patient({ family: 'Hùng', given: ['Văn', 'Võ'], birthDate: '1986-22-03' }));
    const c = extractFeatures(patient({ family: 'Vũ', given: ['Văn', 'Hùng'], birthDate: '1986-03-02' }));
    const swapped = extractFeatures(patient({ birthDate: '1986-02-03' }));
    const v = compare(a, b);
    assert.equal(v[F.given], 1);
    assert.equal(v[F.family], 1);
    assert.equal(compare(c, swapped)[F.birthDate], 2);
    assert.equal(compare(a, extractFeatures(patient({ birthDate: '1986' })))[F.birthDate], 3);
  });

  it('tells a missing value from a disagreement', () => {
    const a = extractFeatures(patient());
    const b = extractFeatures(patient({ telecom: [], gender: 'female' }));
    const v = compare(a, b);
    assert.equal(v[F.phone], 0);
    assert.equal(v[F.sex], 2);
  });

  it('is symmetric', () => {
    const given = fc.constantFrom('Hùng', 'Hưng', 'Hung', 'Hùnh', 'Lan', 'Nguyễn');
    const family = fc.constantFrom('Nguyễn', 'Nguyen', 'Huỳnh', 'Hoàng', 'Hùng', '');
    const date = fc.constantFrom('1986-03-22', '1986-03-02', '1986-02-03', '1986', '1987-01-01', undefined);
    const rec = fc.record({
      g: given,
      f: family,
      d: date,
      sex: fc.constantFrom('male', 'female', undefined),
    });
    fc.assert(
      fc.property(rec, rec, (x, y) => {
        const a = extractFeatures(
          patient({ family: x.f, given: ['Văn', x.g], birthDate: x.d, gender: x.sex }),
        );
        const b = extractFeatures(patient({ family: y.f, given: [y.g], birthDate: y.d, gender: y.sex }));
        assert.deepEqual(compare(a, b), compare(b, a));
      }),
    );
  });

  it('round-trips pattern keys', () => {
    const v = compare(extractFeatures(patient()), extractFeatures(patient({ family: 'Lê' })));
    assert.deepEqual(patternOf(patternKey(v)), v);
  });
});

describe('withinOneEdit', () => {
  it('accepts one insertion, deletion, substitution or adjacent swap', () => {
    for (const [a, b] of [
      ['hung', 'hungg'],
      ['hung', 'hng'],
      ['hung', 'hang'],
      ['hung', 'huna'],
      ['hung', 'uhng'],
      ['hung', 'hugn'],
    ]) {
      assert.ok(withinOneEdit(a!, b!), `${a} ${b}`);
      assert.ok(withinOneEdit(b!, a!), `${b} ${a}`);
    }
    assert.ok(!withinOneEdit('hung', 'lan'));
    assert.ok(!withinOneEdit('hung', 'nguh'));
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        (a, b) => withinOneEdit(a, b) === withinOneEdit(b, a),
      ),
    );
  });
});
