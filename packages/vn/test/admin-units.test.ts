import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BUILT_IN_COMMUNES, builtInAdminUnits, checkAdminUnits } from '@hoso/vn/admin-units';
import { loadAdminUnits } from '@hoso/vn/admin-units-loader';
import { PROVINCES } from '@hoso/vn/provinces';
import { foldText, normalizeText } from '@hoso/vn/text';
import { dataDir, withoutSharedData } from './shared-data.ts';

describe('built-in communes', () => {
  it('has a ward and a commune-level unit in every province, with canonical names', () => {
    const units = builtInAdminUnits();
    for (const province of PROVINCES) {
      assert.ok(units.communesOfProvince(province.code).length >= 2, province.name);
    }
    assert.equal(new Set(BUILT_IN_COMMUNES.map((c) => c.code)).size, BUILT_IN_COMMUNES.length);
    for (const c of BUILT_IN_COMMUNES) assert.equal(normalizeText(c.name), c.name);
  });

  it('finds communes by folded name', () => {
    const units = builtInAdminUnits();
    assert.deepEqual(
      units.findCommunes('viet tri').map((c) => c.code),
      ['07900'],
    );
    assert.deepEqual(
      units.findCommunes('HOÀN', '01').map((c) => c.name),
      ['Hoàn Kiếm'],
    );
    assert.deepEqual(units.findCommunes('hoan', '79'), []);
    fc.assert(
      fc.property(fc.constantFrom(...BUILT_IN_COMMUNES), (c) => units.findCommunes(c.nameEn).includes(c)),
    );
  });
});

describe('loaded administrative units', { skip: withoutSharedData }, () => {
  const units = withoutSharedData ? builtInAdminUnits() : loadAdminUnits(dataDir);

  it('has 3,321 communes in the 34 provinces', () => {
    assert.equal(units.communes.length, 3321);
    assert.equal(new Set(units.communes.map((c) => c.provinceCode)).size, 34);
    for (const c of units.communes)
      assert.ok(
        PROVINCES.some((p) => p.code === c.provinceCode),
        c.code,
      );
    assert.equal(units.legacyDistricts.length, 696);
    assert.equal(units.legacyWards.length, 10035);
  });

  it('agrees with the built-in communes', () => {
    for (const c of BUILT_IN_COMMUNES) {
      const loaded = units.commune(c.code);
      assert.equal(loaded?.provinceCode, c.provinceCode, c.code);
      assert.equal(foldText(loaded?.name ?? ''), foldText(c.name), c.code);
      assert.equal(loaded?.kind, c.kind, c.code);
    }
  });

  it('maps old wards to current communes', () => {
    assert.deepEqual(
      units.currentCommunesOfLegacyWard('00001').map((m) => [m.commune.name, m.mergeType]),
      [['Hồng Hà', 'full']],
    );
    assert.equal(units.legacyWard('00001')?.name, 'Phúc Xá');
    assert.equal(units.legacyDistrict('001')?.name, 'Ba Đình');
  });

  it('reports the known defects of the mapping data instead of hiding them', () => {
    const findings = checkAdminUnits(units);
    // Upstream mapping gives Ba Chẽ 06970 and Ia Mơ 23737; the current list has 06978 and 23938.
    assert.ok(findings.some((f) => f.message.includes('06970')));
    assert.ok(findings.length < 20, findings.map((f) => f.message).join('\n'));
  });

  it('stores names in canonical form', () => {
    assert.ok(units.communes.every((c) => normalizeText(c.name) === c.name));
    assert.ok(units.findCommunes('hoa binh', '25').some((c) => c.name === 'Hòa Bình'));
  });
});
