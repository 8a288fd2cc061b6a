import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PERSONA_OCCUPATION } from '@hoso/generator';
import { asPatient, sample } from './sample.ts';
import type { Resource } from '@hoso/generator';

const run = sample({ patients: 5, seed: 'persona', asOf: '2026-06-30' });
const records = run
  .byType('Patient')
  .map(asPatient)
  .filter((p) => p.name[0]?.text === 'Nguyễn Văn Hùng');
const personaIds = new Set(records.map((p) => p.id));
const own = (type: string) =>
  run
    .byType(type)
    .filter((r) =>
      personaIds.has(((r as { subject?: { reference: string } }).subject?.reference ?? '').slice(8)),
    );
const orgById = new Map(
  run.byType('Organization').map((o) => [
    o.id,
    o as unknown as {
      name: string;
      identifier: { value: string }[];
      extension: { valueCoding: { code: string } }[];
    },
  ]),
);
type Coded = Resource & { code?: { coding: { code: string }[] } };
const codes = (rs: Resource[]) =>
  new Set(rs.flatMap((r) => (r as Coded).code?.coding.map((c) => c.code) ?? []));

describe('the persona', () => {
  it('is a 40-year-old man from Phú Thọ, a street-food seller', () => {
    assert.ok(records.length >= 2);
    for (const p of records) {
      assert.equal(p.gender, 'male');
      assert.equal(p.birthDate.slice(0, 4), '1986');
      assert.match(p.address[0]?.text ?? '', /Phú Thọ/);
    }
    assert.ok(
      own('Observation').some((o) => (o as { valueString?: string }).valueString === PERSONA_OCCUPATION),
    );
  });

  it('has chronic hepatitis B, gastritis and high cholesterol', () => {
    const conditions = codes(own('Condition'));
    for (const code of ['B18.1', 'K29.5', 'E78.5']) assert.ok(conditions.has(code), code);
  });

  it('takes tenofovir and a twice-daily medicine', () => {
    const requests = own('MedicationRequest') as (Resource & {
      medicationCodeableConcept: { coding: { code: string }[] };
      dosageInstruction: { timing: { repeat: { frequency: number } } }[];
    })[];
    assert.ok(requests.some((m) => m.medicationCodeableConcept.coding[0]?.code === 'J05AF07'));
    assert.ok(requests.some((m) => m.dosageInstruction[0]?.timing.repeat.frequency === 2));
  });

  it('is seen monthly at one local hospital for ten years', () => {
    const byFacility = new Map<string, number>();
    for (const e of own('Encounter') as (Resource & { serviceProvider: { reference: string } })[]) {
      byFacility.set(e.serviceProvider.reference, (byFacility.get(e.serviceProvider.reference) ?? 0) + 1);
    }
    const [local, visits] = [...byFacility].sort((a, b) => b[1] - a[1])[0] as [string, number];
    assert.ok(visits >= 110, String(visits));
    assert.equal(orgById.get(local.slice(13))?.identifier[0]?.value.slice(0, 2), '25');
  });

  it('is referred to a specialised hospital in Hà Nội, which sees him on its own record', () => {
    const referrals = own('ServiceRequest') as (Resource & { performer: { reference: string }[] })[];
    assert.ok(referrals.length >= 1);
    for (const r of referrals) {
      const target = orgById.get(r.performer[0]?.reference.slice(13) ?? '');
      assert.equal(target?.identifier[0]?.value.slice(0, 2), '01');
      assert.equal(target?.extension[0]?.valueCoding.code, 'specialised');
    }
    const referred = own('Encounter').filter((e) => (e as { basedOn?: unknown[] }).basedOn);
    assert.equal(referred.length, referrals.length);
  });
});
