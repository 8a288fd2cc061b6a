import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_NOISE, NO_NOISE, parseNoise, runGeneration, type GenerateOptions } from '@hoso/generator';
import fc from 'fast-check';
import { stripDiacritics, swapDayMonth, typo } from '@hoso/generator/noise';
import { Random } from '@hoso/generator/random';
import { SYSTEM } from '@hoso/generator/conventions';
import { asPatient, sample, type PatientView } from './sample.ts';

const OPTIONS: GenerateOptions = {
  patients: 3000,
  seed: 'records',
  asOf: '2026-06-30',
  demographicsOnly: true,
};
const noisy = sample(OPTIONS);
const clean = sample({ ...OPTIONS, noise: NO_NOISE });
const cleanById = new Map(clean.byType('Patient').map((r) => [r.id, asPatient(r)]));
const pairs = noisy.byType('Patient').map((r) => [asPatient(r), cleanById.get(r.id) as PatientView] as const);

const id = (p: PatientView, system: string) => p.identifier.find((i) => i.system === system)?.value;
const rate = (predicate: (noisy: PatientView, clean: PatientView) => boolean, of = pairs) =>
  of.filter(([n, c]) => predicate(n, c)).length / of.length;

describe('facility records and ground truth', () => {
  it('gives most people several facility records, each in the truth file exactly once', () => {
    const patients = noisy.byType('Patient');
    assert.equal(noisy.truth.length, patients.length);
    assert.deepEqual(new Set(noisy.truth.map((t) => t.patientId)), new Set(patients.map((p) => p.id)));
    const perPerson = new Map<string, number>();
    for (const t of noisy.truth) perPerson.set(t.personId, (perPerson.get(t.personId) ?? 0) + 1);
    assert.equal(perPerson.size, OPTIONS.patients);
    assert.ok(noisy.truth.length / perPerson.size > 1.5);
  });

  it('links each record to the facility that made it, with a record number unique in that facility', () => {
    const orgs = new Map(
      noisy
        .byType('Organization')
        .map((o) => [o.id, (o as unknown as { identifier: { value: string }[] }).identifier[0]?.value]),
    );
    const seen = new Set<string>();
    const truthById = new Map(noisy.truth.map((t) => [t.patientId, t]));
    for (const p of noisy.byType('Patient').map(asPatient)) {
      const facility = orgs.get(p.managingOrganization.reference.slice('Organization/'.length));
      assert.equal(facility, truthById.get(p.id)?.facilityCode);
      const mrn = p.identifier.find((i) => i.system.endsWith(`/mrn/${facility}`))?.value;
      assert.ok(mrn, 'record number');
      assert.ok(!seen.has(`${facility}:${mrn}`), 'duplicate record number');
      seen.add(`${facility}:${mrn}`);
    }
  });

  it('writes old province/district codes in records made before 1 Jul 2025 and current codes after', () => {
    const registered = new Map(noisy.truth.map((t) => [t.patientId, t.registered]));
    let old = 0;
    for (const p of noisy.byType('Patient').map(asPatient)) {
      const parts = p.address[0]?.extension[0]?.extension.map((e) => e.url) ?? [];
      if ((registered.get(p.id) as string) < '2025-07-01') {
        old++;
        assert.ok(parts.includes('legacyProvince') && !parts.includes('province'), p.id);
      } else {
        assert.ok(parts.includes('province') && !parts.includes('legacyProvince'), p.id);
      }
    }
    assert.ok(old > 0 && old < noisy.truth.length);
  });

  it('writes truth.csv with a header and one row per record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoso-truth-'));
    try {
      const result = await runGeneration({ ...OPTIONS, patients: 50 }, { kind: 'ndjson', dir });
      const lines = readFileSync(join(dir, 'truth.csv'), 'utf8').trim().split('\n');
      assert.equal(lines[0], 'patient_id,person_id,facility_code,registered');
      assert.equal(lines.length - 1, result.truthRows);
      const patients = readFileSync(join(dir, 'Patient.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id as string);
      assert.deepEqual(
        lines
          .slice(1)
          .map((l) => l.split(',')[0])
          .sort(),
        patients.sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('noise profile', () => {
  const near = (observed: number, expected: number) =>
    assert.ok(Math.abs(observed - expected) < 0.02 + expected * 0.1, `${observed} vs ${expected}`);

  it('leaves out citizen IDs and insurance cards at the configured rates', () => {
    near(
      rate((n) => !id(n, SYSTEM.cccd)),
      DEFAULT_NOISE.missingCccd,
    );
    near(
      rate((n) => !id(n, SYSTEM.bhyt)),
      DEFAULT_NOISE.missingInsurance,
    );
  });

  it('drops diacritics at the configured rate', () => {
    const withMarks = pairs.filter(([, c]) => stripDiacritics(c.name[0]?.text ?? '') !== c.name[0]?.text);
    near(
      rate((n) => stripDiacritics(n.name[0]?.text ?? '') === n.name[0]?.text, withMarks),
      DEFAULT_NOISE.missingDiacritics,
    );
  });

  it('changes or drops phone numbers at the configured rates', () => {
    near(
      rate((n) => !n.telecom),
      DEFAULT_NOISE.missingPhone,
    );
    const withPhone = pairs.filter(([n]) => n.telecom);
    near(
      rate((n, c) => n.telecom?.[0]?.value !== c.telecom?.[0]?.value, withPhone),
      DEFAULT_NOISE.otherPhone,
    );
  });

  it('swaps day and month where possible, and sometimes keeps only the year', () => {
    near(
      rate((n) => n.birthDate.length === 4),
      DEFAULT_NOISE.yearOnlyBirthDate,
    );
    const swappable = pairs.filter(([n, c]) => {
      const [, m, d] = c.birthDate.split('-');
      return n.birthDate.length === 10 && Number(d) <= 12 && d !== m;
    });
    near(
      rate((n, c) => n.birthDate !== c.birthDate, swappable),
      DEFAULT_NOISE.dayMonthSwap,
    );
  });

  it('puts the given name first at the configured rate', () => {
    near(
      rate(
        (n, c) =>
          n.name[0]?.family !== c.name[0]?.family &&
          stripDiacritics(n.name[0]?.family ?? '') === stripDiacritics(c.name[0]?.given.at(-1) ?? ''),
      ),
      DEFAULT_NOISE.swappedNameOrder,
    );
  });

  it('parses key=value lists and JSON, and rejects unknown kinds and bad rates', () => {
    assert.equal(parseNoise('typo=0.2, missingCccd=0').typo, 0.2);
    assert.equal(parseNoise('typo=0.2, missingCccd=0').missingCccd, 0);
    assert.equal(parseNoise('{"otherPhone": 0.5}').otherPhone, 0.5);
    assert.equal(parseNoise('{"otherPhone": 0.5}').typo, DEFAULT_NOISE.typo);
    assert.throws(() => parseNoise('tpyo=0.1'), /unknown kind "tpyo"/);
    assert.throws(() => parseNoise('typo=2'), /between 0 and 1/);
    assert.throws(() => parseNoise('typo'), /key=value/);
  });

  it('makes typos of one letter and only valid swapped dates (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 12 }), fc.string(), (word, seed) => {
        const changed = typo(new Random(seed), word);
        assert.ok(Math.abs([...changed].length - [...word].length) <= 1);
        assert.ok([...changed].length >= 2);
      }),
    );
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const swapped = swapDayMonth(iso);
          if (swapped === undefined) return;
          assert.equal(new Date(`${swapped}T00:00:00Z`).toISOString().slice(0, 10), swapped);
          assert.equal(swapDayMonth(swapped), iso);
        },
      ),
    );
  });
});
