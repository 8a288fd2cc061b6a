import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  benefitPercent,
  BHYT_BENEFICIARY_GROUPS,
  checkBhytValidity,
  cleanBhytCard,
  DEFAULT_BENEFIT_TABLE,
  isBhytValidOn,
  parseBhytCard,
  type BenefitLevel,
} from '@hoso/vn/bhyt';
import { readSharedCsv, withoutSharedData } from './shared-data.ts';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const isoDate = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('BHYT card', () => {
  it('parses group, level, province and insurance number', () => {
    const parsed = parseBhytCard('DN4790123456789');
    assert.ok(parsed.ok);
    assert.deepEqual(
      [parsed.value.group, parsed.value.level, parsed.value.provinceCode, parsed.value.insuranceNumber],
      ['DN', 4, '79', '0123456789'],
    );
    assert.equal(parsed.value.province?.name, 'Hồ Chí Minh');
    assert.equal(cleanBhytCard(' te1-01 0123456789'), 'TE1010123456789');
  });

  it('rejects bad formats and unknown groups', () => {
    for (const bad of ['DN479012345678', 'DN6790123456789', 'dn4790123456789', 'D14790123456789']) {
      assert.equal(parseBhytCard(bad).ok, false, bad);
    }
    const unknown = parseBhytCard('ZZ4790123456789');
    assert.ok(!unknown.ok);
    assert.equal(unknown.findings[0]?.code, 'bhyt-group');
    assert.ok(parseBhytCard('ZZ4790123456789', { groups: new Set(['ZZ']) }).ok);
  });

  it('parses every well-formed card of a known group and keeps its parts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BHYT_BENEFICIARY_GROUPS),
        fc.integer({ min: 1, max: 5 }),
        digits(2),
        digits(10),
        (group, level, province, number) => {
          const parsed = parseBhytCard(`${group}${level}${province}${number}`);
          return parsed.ok && parsed.value.level === level && parsed.value.insuranceNumber === number;
        },
      ),
    );
  });

  it('has the same group codes as the shared data', { skip: withoutSharedData }, () => {
    const rows = readSharedCsv('bhyt-beneficiary-codes/bhyt_beneficiary_codes.csv');
    assert.equal(BHYT_BENEFICIARY_GROUPS.length, 43);
    for (const code of BHYT_BENEFICIARY_GROUPS)
      assert.ok(
        rows.some((r) => r.code === code),
        code,
      );
  });

  it('looks benefit percentages up in a replaceable table', () => {
    assert.equal(benefitPercent(3), 95);
    assert.equal(benefitPercent(4), 80);
    assert.equal(benefitPercent(4, { ...DEFAULT_BENEFIT_TABLE, 4: 70 }), 70);
    for (const level of [1, 2, 3, 4, 5] as BenefitLevel[]) assert.ok(benefitPercent(level) <= 100);
  });

  it('checks the validity window inclusively', () => {
    const window = { validFrom: '2026-01-01', validTo: '2026-12-31' };
    assert.ok(isBhytValidOn(window, '2026-01-01'));
    assert.ok(isBhytValidOn(window, '2026-12-31'));
    assert.deepEqual(
      checkBhytValidity(window, '2027-01-01').map((f) => f.code),
      ['bhyt-expired'],
    );
    assert.deepEqual(
      checkBhytValidity(window, '2025-12-31').map((f) => f.code),
      ['bhyt-not-yet-valid'],
    );
    assert.ok(isBhytValidOn({ validFrom: '2025-07-01' }, '2090-01-01'));
  });

  it('is valid exactly inside the window', () => {
    fc.assert(
      fc.property(isoDate, isoDate, isoDate, (a, b, date) => {
        const [validFrom, validTo] = a <= b ? [a, b] : [b, a];
        return isBhytValidOn({ validFrom, validTo }, date) === (validFrom <= date && date <= validTo);
      }),
    );
  });
});
