import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FACILITY_LEVELS, facilityLevel, formatFacilityCode, parseFacilityCode } from '@hoso/vn/facilities';
import { LEGACY_PROVINCES } from '@hoso/vn/provinces';

describe('facilities', () => {
  it('has three ranked technical levels with Vietnamese and English labels', () => {
    assert.deepEqual(
      FACILITY_LEVELS.map((l) => [l.code, l.rank]),
      [
        ['initial', 1],
        ['basic', 2],
        ['specialised', 3],
      ],
    );
    assert.equal(facilityLevel('basic').labelVi, 'Cấp khám bệnh, chữa bệnh cơ bản');
  });

  it('parses the province of a facility code, old and new', () => {
    const hanoi = parseFacilityCode('01001');
    assert.ok(hanoi.ok);
    assert.equal(hanoi.value.currentProvince.name, 'Hà Nội');
    const hoaBinh = parseFacilityCode('17012');
    assert.ok(hoaBinh.ok);
    assert.deepEqual(
      [hoaBinh.value.registeredProvince.name, hoaBinh.value.currentProvince.name],
      ['Hòa Bình', 'Phú Thọ'],
    );
    assert.equal(parseFacilityCode('1700').ok, false);
    const unknown = parseFacilityCode('99001');
    assert.ok(!unknown.ok);
    assert.equal(unknown.findings[0]?.code, 'facility-province');
  });

  it('round-trips formatFacilityCode', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LEGACY_PROVINCES.map((p) => p.code)),
        fc.integer({ min: 1, max: 999 }),
        (p, n) => {
          const parsed = parseFacilityCode(formatFacilityCode(p, n));
          return parsed.ok && parsed.value.provinceCode === p;
        },
      ),
    );
    assert.throws(() => formatFacilityCode('01', 1000), RangeError);
  });
});
