import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCccdConsistency, cleanCccd, formatCccd, isValidCccd, parseCccd } from '@hoso/vn/cccd';
import { LEGACY_PROVINCES } from '@hoso/vn/provinces';

const cccdParts = fc.record({
  provinceCode: fc.constantFrom(...LEGACY_PROVINCES.map((p) => `0${p.code}`)),
  sex: fc.constantFrom('male' as const, 'female' as const),
  birthYear: fc.integer({ min: 1900, max: 2399 }),
  serial: fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0')),
});

describe('citizen ID', () => {
  it('decodes province, century, sex and birth year', () => {
    const parsed = parseCccd('079185001234');
    assert.ok(parsed.ok);
    assert.equal(parsed.value.province.name, 'Hồ Chí Minh');
    assert.equal(parsed.value.century, 1900);
    assert.equal(parsed.value.sex, 'female');
    assert.equal(parsed.value.birthYear, 1985);
    assert.equal(parsed.value.serial, '001234');
    const child = parseCccd('001210123456');
    assert.ok(child.ok);
    assert.deepEqual([child.value.sex, child.value.birthYear, child.value.century], ['male', 2010, 2000]);
  });

  it('rejects wrong length, non-digits and unknown provinces', () => {
    assert.equal(isValidCccd('07918500123'), false);
    assert.equal(isValidCccd('07918500123a'), false);
    assert.equal(isValidCccd(' 079185001234'), false);
    assert.equal(isValidCccd('003185001234'), false);
    assert.equal(isValidCccd('179185001234'), false);
    const parsed = parseCccd('099185001234');
    assert.ok(!parsed.ok);
    assert.equal(parsed.findings[0]?.code, 'cccd-province');
    assert.equal(cleanCccd(' 079 185.001-234 '), '079185001234');
  });

  it('reports inconsistencies with the record and never fixes them', () => {
    assert.deepEqual(checkCccdConsistency('079185001234', { birthDate: '1985-03-02', sex: 'female' }), []);
    assert.deepEqual(
      checkCccdConsistency('079185001234', { birthDate: '1958-03-02', sex: 'male' }).map((f) => f.code),
      ['cccd-birth-year-mismatch', 'cccd-sex-mismatch'],
    );
    assert.deepEqual(checkCccdConsistency('079185001234', { sex: 'unknown' }), []);
    assert.deepEqual(
      checkCccdConsistency('001230000001', { asOf: '2026-11-21' }).map((f) => f.code),
      ['cccd-future-birth'],
    );
    assert.deepEqual(
      checkCccdConsistency('12', {}).map((f) => f.code),
      ['cccd-format'],
    );
  });

  it('round-trips formatCccd and parseCccd', () => {
    fc.assert(
      fc.property(cccdParts, (parts) => {
        const cccd = formatCccd(parts);
        const parsed = parseCccd(cccd);
        return (
          parsed.ok &&
          parsed.value.sex === parts.sex &&
          parsed.value.birthYear === parts.birthYear &&
          parsed.value.provinceCode === parts.provinceCode &&
          checkCccdConsistency(cccd, { birthDate: `${parts.birthYear}-01-01`, sex: parts.sex }).length === 0
        );
      }),
    );
  });

  it('never throws and accepts only 12-digit strings', () => {
    fc.assert(fc.property(fc.string(), (s) => !isValidCccd(s) || /^\d{12}$/.test(s)));
  });
});
