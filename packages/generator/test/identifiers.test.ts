import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCccdConsistency, parseCccd } from '@hoso/vn/cccd';
import { parseBhytCard } from '@hoso/vn/bhyt';
import { parseFacilityCode } from '@hoso/vn/facilities';
import { LEGACY_PROVINCES } from '@hoso/vn/provinces';
import { cccd, insuranceCard } from '@hoso/generator/identifiers';
import { Random } from '@hoso/generator/random';
import { SYSTEM } from '@hoso/generator/conventions';
import { asPatient, sample } from './sample.ts';

const run = sample({ patients: 1500, seed: 'identifiers', asOf: '2026-06-30', demographicsOnly: true });

describe('generated identifiers', () => {
  it('gives every recorded citizen ID a birth year and sex consistent with the record', () => {
    let checked = 0;
    for (const p of run.byType('Patient').map(asPatient)) {
      const id = p.identifier.find((i) => i.system === SYSTEM.cccd)?.value;
      if (!id) continue;
      checked++;
      // noise may swap day and month or keep only the year, never the year itself
      assert.deepEqual(
        checkCccdConsistency(id, { birthDate: p.birthDate, sex: p.gender, asOf: '2026-06-30' }),
        [],
        id,
      );
    }
    assert.ok(checked > 1000);
  });

  it('gives parseable insurance cards of known groups and provinces, children under 6 in group TE', () => {
    for (const p of run.byType('Patient').map(asPatient)) {
      const card = p.identifier.find((i) => i.system === SYSTEM.bhyt)?.value;
      if (!card) continue;
      const parsed = parseBhytCard(card);
      assert.ok(parsed.ok, card);
      assert.ok(parsed.value.province, card);
      if (Number(p.birthDate.slice(0, 4)) >= 2022) assert.equal(parsed.value.group, 'TE', card);
    }
  });

  it('codes facilities with 5 characters starting with their province code', () => {
    for (const org of run.byType('Organization')) {
      const o = org as unknown as {
        identifier: { value: string }[];
        address: { extension: { extension: { valueCoding: { code: string } }[] }[] }[];
      };
      const code = o.identifier[0]?.value as string;
      const parsed = parseFacilityCode(code);
      assert.ok(parsed.ok, code);
      assert.equal(code.slice(0, 2), o.address[0]?.extension[0]?.extension[0]?.valueCoding.code);
    }
  });

  it('builds a citizen ID that @hoso/vn decodes back to its parts (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LEGACY_PROVINCES.map((p) => p.code)),
        fc.integer({ min: 1900, max: 2099 }),
        fc.constantFrom('male' as const, 'female' as const),
        fc.string(),
        (province, year, sex, seed) => {
          const parsed = parseCccd(cccd(new Random(seed), province, year, sex));
          assert.ok(parsed.ok);
          assert.equal(parsed.value.province.code, province);
          assert.equal(parsed.value.birthYear, year);
          assert.equal(parsed.value.sex, sex);
        },
      ),
    );
  });

  it('builds insurance cards that @hoso/vn parses for every age (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.string(), (age, seed) => {
        const card = insuranceCard(new Random(seed), age, '25', '26');
        const parsed = parseBhytCard(card.code);
        assert.ok(parsed.ok, card.code);
        assert.equal(parsed.value.insuranceNumber, card.number);
        assert.equal(parsed.value.level, card.level);
      }),
    );
  });
});
