// Type-ahead chooses its plan from how common the filter's words are (the key frequencies an import
// keeps): the most used concepts first, or straight to the word-key index. Whichever plan runs, the
// page and total must be the same; tested over HTTP on both engines by changing the kept frequencies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importFile } from '../src/terminology/import-files.ts';
import { forgetKeyFrequencies } from '../src/terminology/key-frequencies.ts';
import { prefixKey } from '../src/terminology/keys.ts';
import { describeApi } from './support/api.ts';

const URL_ = 'http://example.org/procedures';
const ACTIONS = ['Nội soi', 'Siêu âm', 'Chụp cộng hưởng từ', 'Sinh thiết', 'Phẫu thuật nội soi'];
const ORGANS = [
  'dạ dày',
  'đại tràng',
  'gan',
  'thận',
  'tuyến giáp',
  'phổi',
  'tim',
  'não',
  'khớp gối',
  'vú',
  'tụy',
  'lách',
];
const QUALIFIERS = ['một bên', 'hai bên', 'ở trẻ em', 'cấp cứu', 'có gây mê', 'có gây tê'];
const FILTERS = [
  'noi soi da day',
  'sieu am gan tre',
  'chup cong huong tu nao',
  'thuat',
  'noi soi',
  'DV00',
  'ga',
];

/** 3,000 concepts: every action × organ × qualifier, numbered, with weights not in that order. */
function catalogue(dir: string): string {
  const lines = ['code,display,parent,weight'];
  for (let i = 0; i < 3000; i++) {
    const display = `${ACTIONS[i % 5]} ${ORGANS[Math.floor(i / 5) % 12]} ${QUALIFIERS[Math.floor(i / 60) % 6]} ${i}`;
    lines.push(`DV${String(i).padStart(5, '0')},${display},,${(i * 7919) % 3001}`);
  }
  const file = join(dir, 'procedures.csv');
  writeFileSync(file, lines.join('\n'));
  return file;
}

describeApi('Type-ahead plans', (api) => {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-tx-plan-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const expand = async (filter: string, page: string) => {
    const res = await api.request(
      'GET',
      `ValueSet/$expand?url=${encodeURIComponent(`${URL_}?fhir_vs`)}&filter=${encodeURIComponent(filter)}&${page}`,
    );
    assert.equal(res.status, 200, res.text);
    const { total, contains } = res.body.expansion as { total?: number; contains?: { code: string }[] };
    return { total, codes: (contains ?? []).map((c) => c.code) };
  };
  const answers = async () => {
    const out: unknown[] = [];
    for (const f of FILTERS)
      for (const page of ['count=10', 'count=20&offset=90']) out.push(await expand(f, page));
    return out;
  };

  test('an import keeps the frequencies of its common word keys', async () => {
    await importFile(api.db.db, catalogue(dir), { url: URL_, version: '1' });
    const rows = await api.db.db.query<{ key: number; freq: number }>(
      `SELECT f.key, f.freq FROM tx_word_key_freq f JOIN tx_code_system s ON s.id = f.cs WHERE s.url = $1`,
      [URL_],
    );
    const freq = new Map(rows.map((r) => [Number(r.key), r.freq]));
    // "noi" is in 2 of 5 actions; "day" (dạ dày) in 1 of 12 organs; key 0 bounds the keys not listed.
    assert.ok(Math.abs(freq.get(prefixKey('noi', 3))! - 0.4) < 0.05, String(freq.get(prefixKey('noi', 3))));
    assert.ok(
      Math.abs(freq.get(prefixKey('day', 3))! - 1 / 12) < 0.02,
      String(freq.get(prefixKey('day', 3))),
    );
    assert.ok(freq.has(0) && freq.get(0)! < 0.1);
  });

  test('pages and totals are the same whichever plan runs', async () => {
    const chosen = await answers();
    // Every key common: the most used concepts are read first, then the index.
    await api.db.db.query('UPDATE tx_word_key_freq SET freq = 1');
    forgetKeyFrequencies();
    assert.deepEqual(await answers(), chosen);
    // No frequencies kept (a version imported before they were): as common.
    await api.db.db.query('DELETE FROM tx_word_key_freq');
    forgetKeyFrequencies();
    assert.deepEqual(await answers(), chosen);
    // "noi soi da day": Nội soi or Phẫu thuật nội soi (2 of 5) of dạ dày (1 of 12), most used first.
    const rare = chosen[0] as { total?: number; codes: string[] };
    const numbers = rare.codes.map((c) => Number(c.slice(2)));
    assert.equal(numbers.length, 10);
    assert.ok(numbers.every((n) => [0, 4].includes(n % 5) && Math.floor(n / 5) % 12 === 0));
    const weights = numbers.map((n) => (n * 7919) % 3001);
    assert.deepEqual(
      weights,
      [...weights].sort((a, b) => b - a),
    );
  });

  test('sequential scans start at the first page, where the most used concepts are', async () => {
    // With synchronized scans a large partition's head scan started where an earlier scan stopped.
    const [row] = await api.db.db.query<{ s: string }>("SELECT current_setting('synchronize_seqscans') AS s");
    assert.equal(row!.s, 'off');
  });
});
