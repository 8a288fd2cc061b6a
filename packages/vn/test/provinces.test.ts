import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentProvinceOfLegacy,
  LEGACY_PROVINCES,
  legacyProvinceByCode,
  PROVINCES,
  provinceByCode,
} from '@hoso/vn/provinces';
import { foldText, normalizeText } from '@hoso/vn/text';
import { readSharedCsv, withoutSharedData } from './shared-data.ts';

describe('provinces', () => {
  it('has 34 current and 63 legacy provinces with unique codes and canonical names', () => {
    assert.equal(PROVINCES.length, 34);
    assert.equal(LEGACY_PROVINCES.length, 63);
    assert.equal(new Set(PROVINCES.map((p) => p.code)).size, 34);
    assert.equal(PROVINCES.filter((p) => p.kind === 'city').length, 7);
    for (const p of [...PROVINCES, ...LEGACY_PROVINCES]) assert.equal(normalizeText(p.name), p.name);
  });

  it('maps every legacy province to a current one', () => {
    for (const legacy of LEGACY_PROVINCES) assert.ok(currentProvinceOfLegacy(legacy.code), legacy.code);
    assert.equal(currentProvinceOfLegacy('17')?.name, 'Phú Thọ');
    assert.equal(currentProvinceOfLegacy('77')?.code, '79');
    assert.equal(currentProvinceOfLegacy('99'), undefined);
    assert.equal(provinceByCode('38')?.name, 'Thanh Hóa');
    assert.equal(legacyProvinceByCode('02')?.name, 'Hà Giang');
  });

  it('agrees with the shared data', { skip: withoutSharedData }, () => {
    const current = readSharedCsv('vn-admin-units/current/provinces.csv');
    assert.deepEqual(
      current.map((r) => [r.code, foldText(r.name ?? '')]),
      PROVINCES.map((p) => [p.code, foldText(p.name)]),
    );
    const mapping = readSharedCsv('vn-admin-units/mapping/provinces_old_to_new.csv');
    assert.deepEqual(
      mapping.map((r) => [r.old_province_code, r.new_province_code]),
      LEGACY_PROVINCES.map((p) => [p.code, p.newCode]),
    );
    const legacy = readSharedCsv('vn-admin-units/legacy-pre-2025-07/provinces.csv');
    assert.deepEqual(
      legacy.map((r) => foldText(r.name ?? '')),
      LEGACY_PROVINCES.map((p) => foldText(p.name)),
    );
  });
});
