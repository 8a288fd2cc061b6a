import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGeneration, type GenerateOptions } from '@hoso/generator';
import { Random } from '@hoso/generator/random';
import { runParallelNdjson } from '@hoso/generator/parallel';

const OPTIONS: GenerateOptions = { patients: 60, seed: 'determinism', asOf: '2026-06-30' };

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
}

async function generateTo(
  format: 'ndjson' | 'bundles',
  options: GenerateOptions,
): Promise<Map<string, Buffer>> {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-gen-'));
  try {
    await runGeneration(options, { kind: format, dir });
    return filesOf(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('determinism', () => {
  for (const format of ['ndjson', 'bundles'] as const) {
    it(`gives byte-identical ${format} output for the same seed and as-of date`, async () => {
      const a = await generateTo(format, OPTIONS);
      const b = await generateTo(format, OPTIONS);
      assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
      for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name) as Buffer), `${name} differs`);
      assert.ok(a.has('truth.csv'));
    });
  }

  it('changes with the seed and with the as-of date', async () => {
    const base = await generateTo('ndjson', OPTIONS);
    const otherSeed = await generateTo('ndjson', { ...OPTIONS, seed: 'other' });
    const otherDate = await generateTo('ndjson', { ...OPTIONS, asOf: '2026-07-01' });
    const patients = (m: Map<string, Buffer>) => m.get('Patient.ndjson')?.toString();
    assert.notEqual(patients(base), patients(otherSeed));
    assert.notEqual(patients(base), patients(otherDate));
  });

  it('gives the same Patient records in demographics-only mode as in a full run', async () => {
    const full = await generateTo('ndjson', OPTIONS);
    const demographics = await generateTo('ndjson', { ...OPTIONS, demographicsOnly: true });
    assert.deepEqual([...demographics.keys()].sort(), ['Organization.ndjson', 'Patient.ndjson', 'truth.csv']);
    assert.ok(full.get('Patient.ndjson')?.equals(demographics.get('Patient.ndjson') as Buffer));
    assert.ok(full.get('truth.csv')?.equals(demographics.get('truth.csv') as Buffer));
  });

  it('writes the same NDJSON bytes on worker threads as on one thread', async () => {
    const single = await generateTo('ndjson', { ...OPTIONS, patients: 250 });
    const dir = mkdtempSync(join(tmpdir(), 'hoso-gen-par-'));
    try {
      const result = await runParallelNdjson(
        { options: { ...OPTIONS, patients: 250 }, sharedGeography: false },
        dir,
        2,
      );
      assert.equal(result.persons, 250);
      const parallel = filesOf(dir);
      assert.deepEqual([...parallel.keys()].sort(), [...single.keys()].sort());
      for (const [name, bytes] of single)
        assert.ok(bytes.equals(parallel.get(name) as Buffer), `${name} differs`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws UUID-shaped ids from a seeded stream', () => {
    const a = new Random('x');
    const b = new Random('x');
    const ids = Array.from({ length: 1000 }, () => a.uuid());
    assert.deepEqual(
      ids,
      Array.from({ length: 1000 }, () => b.uuid()),
    );
    for (const id of ids)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});
