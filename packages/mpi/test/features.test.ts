import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractFeatures } from '@hoso/mpi/features';
import { patient } from './support.ts';

describe('extractFeatures', () => {
  it('reads names, identifiers, phone, birth date and the current province of an old address', () => {
    const f = extractFeatures(patient(), {
      communesOfLegacyWard: (w) => (w === '08494' ? ['C1', 'C2'] : []),
    });
    assert.equal(f.family, 'nguyen');
    assert.equal(f.given, 'hung');
    assert.equal(f.givenExact, 'hùng');
    assert.equal(f.middle, 'van');
    assert.equal(f.cccd, '025086113770');
    assert.equal(f.cccdInconsistent, undefined);
    assert.equal(f.bhxh, '2583022236');
    assert.equal(f.phone, '+84825325667');
    assert.deepEqual([f.birthYear, f.birthMonth, f.birthDay], [1986, 3, 22]);
    assert.equal(f.province, '25'); // old Phú Thọ 25 is in the current Phú Thọ, 25
    assert.deepEqual(f.communes, ['C1', 'C2']);
  });

  it('merges regional family-name forms and keeps year-only dates', () => {
    const f = extractFeatures(patient({ family: 'Huỳnh', birthDate: '1986' }));
    assert.equal(f.family, 'hoang');
    assert.equal(f.birthYear, 1986);
    assert.equal(f.birthMonth, undefined);
  });

  it('flags a citizen ID that contradicts the record', () => {
    assert.equal(extractFeatures(patient({ gender: 'female' })).cccdInconsistent, true);
  });

  it('is invariant under missing diacritics and tone placement except for the exact given name', () => {
    const strip = (s: string) =>
      s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/gu, '')
        .replace(/đ/gu, 'd')
        .replace(/Đ/gu, 'D');
    const names = fc.constantFrom(
      'Hoàng Thị Thuỷ',
      'Đặng Văn Hoà',
      'Võ Minh Khuê',
      'Trần Quý',
      'Lê Thị Hương',
    );
    fc.assert(
      fc.property(names, (full) => {
        const [family, ...given] = full.split(' ') as [string, ...string[]];
        const a = extractFeatures(patient({ family, given }));
        const b = extractFeatures(patient({ family: strip(family), given: given.map(strip) }));
        assert.deepEqual(
          { ...a, givenExact: '', familyExact: '' },
          { ...b, givenExact: '', familyExact: '' },
        );
      }),
    );
  });
});
