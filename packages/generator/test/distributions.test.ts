import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_NOISE } from '@hoso/generator';
import { AGE_BANDS } from '@hoso/generator/demography';
import { FAMILY_SHARES } from '@hoso/generator/names';
import { asPatient, sample, type PatientView } from './sample.ts';

const PEOPLE = 5000;
const AS_OF = '2026-06-30';
// one noise-free record per person: the person's own data
const run = sample({
  patients: PEOPLE,
  seed: 'distributions',
  asOf: AS_OF,
  demographicsOnly: true,
  noise: NO_NOISE,
  persona: false,
});
const firstRecord = new Map<string, PatientView>();
const personOf = new Map(run.truth.map((t) => [t.patientId, t.personId]));
for (const r of run.byType('Patient')) {
  const person = personOf.get(r.id) as string;
  if (!firstRecord.has(person)) firstRecord.set(person, asPatient(r));
}
const people = [...firstRecord.values()];

function share(predicate: (p: PatientView) => boolean, of: readonly PatientView[] = people): number {
  return of.filter(predicate).length / of.length;
}

function ageOf(p: PatientView): number {
  const [y, m, d] = p.birthDate.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = AS_OF.split('-').map(Number) as [number, number, number];
  return ay - y - (am < m || (am === m && ad < d) ? 1 : 0);
}

const provinceOf = (p: PatientView) =>
  p.address[0]?.extension[0]?.extension.find((e) => e.url === 'province' || e.url === 'legacyProvince')
    ?.valueCoding.code;

describe('population distributions', () => {
  it('has one record set per person', () => assert.equal(people.length, PEOPLE));

  it('has a sex ratio near Vietnam’s (~99 men per 100 women)', () => {
    assert.ok(Math.abs(share((p) => p.gender === 'male') - 0.497) < 0.025);
  });

  it('follows the family-name shares, counting Hoàng/Huỳnh and Vũ/Võ as one name', () => {
    const family = (p: PatientView) => p.name[0]?.family;
    for (const [name, percent] of FAMILY_SHARES.filter(([, pc]) => pc >= 2)) {
      const forms = name === 'Hoàng' ? ['Hoàng', 'Huỳnh'] : name === 'Vũ' ? ['Vũ', 'Võ'] : [name];
      const observed = share((p) => forms.includes(family(p) ?? ''));
      assert.ok(Math.abs(observed - percent / 100) < 0.015 + percent / 1000, `${name}: ${observed}`);
    }
  });

  it('uses the northern forms in the north and the southern forms in the south', () => {
    const north = people.filter(
      (p) => Number(provinceOf(p)) <= 42 && ['Hoàng', 'Huỳnh'].includes(p.name[0]?.family ?? ''),
    );
    const south = people.filter(
      (p) => Number(provinceOf(p)) >= 48 && ['Hoàng', 'Huỳnh'].includes(p.name[0]?.family ?? ''),
    );
    assert.ok(share((p) => p.name[0]?.family === 'Hoàng', north) > 0.8);
    assert.ok(share((p) => p.name[0]?.family === 'Huỳnh', south) > 0.7);
  });

  it('follows the age pyramid', () => {
    const total = AGE_BANDS.reduce((s, b) => s + b[1], 0);
    const expected = (from: number, to: number) =>
      AGE_BANDS.filter(([low]) => low >= from && low < to).reduce((s, b) => s + b[1], 0) / total;
    for (const [from, to] of [
      [0, 15],
      [15, 40],
      [40, 65],
      [65, 200],
    ] as const) {
      const observed = share((p) => ageOf(p) >= from && ageOf(p) < to);
      assert.ok(
        Math.abs(observed - expected(from, to)) < 0.025,
        `${from}-${to}: ${observed} vs ${expected(from, to)}`,
      );
    }
  });

  it('weights provinces by population (Hồ Chí Minh City the largest, ~12 %)', () => {
    const hcmc = share((p) => ['79', '74', '77'].includes(provinceOf(p) ?? ''));
    assert.ok(hcmc > 0.09 && hcmc < 0.15, String(hcmc));
  });
});
