// A terminology import loads its concepts into a table of its own, committed so that a second
// connection can index it, and only its last transaction makes the version visible: a failed import
// leaves nothing behind, and a load table a killed import left unattached is dropped by a later one.
// Several files import in a pipeline (the next read while the one before is stored), in order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Database, Queryable } from '../src/db/database.ts';
import { ensureBuiltinTerminology } from '../src/terminology/builtin.ts';
import { importFile, importFiles } from '../src/terminology/import-files.ts';
import { describeApi } from './support/api.ts';

const URL_ = 'http://example.org/drugs';

/** The database, but the statement that attaches a load table fails. */
function failingAttach(db: Database): Database {
  const guard = (q: Queryable): Queryable => ({
    ...q,
    query: (sql, params) =>
      /ATTACH PARTITION/.test(sql) ? Promise.reject(new Error('attach failed')) : q.query(sql, params),
  });
  return { ...db, ...guard(db), transaction: (fn) => db.transaction((tx) => fn(guard(tx))) };
}

describeApi('Terminology import', (api) => {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-tx-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'drugs.csv');
  writeFileSync(
    file,
    ['code,display,parent,weight', 'TH1,Paracetamol 500 mg viên nén,,3', 'TH2,Amoxicilin 250 mg,,1'].join(
      '\n',
    ),
  );
  const loadTables = async () =>
    (
      await api.db.db.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relname ~ '^tx_concept_[0-9]+_' AND relkind = 'r' AND NOT relispartition`,
      )
    ).map((r) => r.name);
  const lookup = (code: string) => api.request('GET', `CodeSystem/$lookup?system=${URL_}&code=${code}`);

  test('a failed import leaves no code system, no concepts and no load table', async () => {
    await assert.rejects(
      importFile(failingAttach(api.db.db), file, { url: URL_, version: '1' }),
      /attach failed/,
    );
    assert.deepEqual(await loadTables(), []);
    assert.equal((await lookup('TH1')).status, 404);
    const rows = await api.db.db.query('SELECT 1 FROM tx_code_system WHERE url = $1', [URL_]);
    assert.equal(rows.length, 0);
  });

  test('a failed re-import keeps the version loaded before', async () => {
    await importFile(api.db.db, file, { url: URL_, version: '1' });
    writeFileSync(file, ['code,display', 'TH3,Metformin 850 mg'].join('\n'));
    await assert.rejects(importFile(failingAttach(api.db.db), file, { url: URL_, version: '1' }));
    assert.equal((await lookup('TH1')).status, 200);
    assert.equal((await lookup('TH3')).status, 404);
    assert.deepEqual(await loadTables(), []);
  });

  test('an import drops load tables left unattached over an hour ago, not newer ones', async () => {
    const old = `tx_concept_99_${(Date.now() - 2 * 3_600_000).toString(36)}_1`;
    const recent = `tx_concept_99_${Date.now().toString(36)}_1`;
    for (const t of [old, recent]) await api.db.db.query(`CREATE TABLE ${t} (LIKE tx_concept)`);
    await importFile(api.db.db, file, { url: URL_, version: '2' });
    assert.deepEqual(await loadTables(), [recent]);
    await api.db.db.query(`DROP TABLE ${recent}`);
    assert.equal((await lookup('TH3')).status, 200);
  });

  test('servers starting together on a fresh database load the built-in codes once, without failing', async () => {
    const icd = 'http://hl7.org/fhir/sid/icd-10';
    await api.db.db.query('DELETE FROM tx_code_system WHERE url = $1', [icd]);
    await Promise.all([ensureBuiltinTerminology(api.db.db), ensureBuiltinTerminology(api.db.db)]);
    const rows = await api.db.db.query('SELECT 1 FROM tx_code_system WHERE url = $1', [icd]);
    assert.equal(rows.length, 1);
    const res = await api.request('GET', `CodeSystem/$lookup?system=${icd}&code=I10`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(await loadTables(), []);
  });

  test('several files import in order, each reported once stored; a failing file stops the rest', async () => {
    const second = join(dir, 'labs.csv');
    writeFileSync(second, ['code,display', 'XN1,Glucose máu', 'XN2,HbA1c'].join('\n'));
    const labs = 'http://example.org/labs';
    const reported: string[] = [];
    const results = await importFiles(
      api.db.db,
      [
        { file, options: { url: URL_, version: '3' } },
        { file: second, options: { url: labs, version: '1' } },
      ],
      (r) => reported.push(...r.map((x) => `${x.file}:${x.count}`)),
    );
    assert.deepEqual(
      results.map((r) => [r.file, r.count]),
      [
        [file, 1],
        [second, 2],
      ],
    );
    assert.deepEqual(reported, [`${file}:1`, `${second}:2`]);
    const glucose = await api.request('GET', `CodeSystem/$lookup?system=${labs}&code=XN1`);
    assert.equal(glucose.status, 200, glucose.text);

    const unknown = join(dir, 'notes.txt');
    writeFileSync(unknown, 'not a terminology file');
    await assert.rejects(
      importFiles(api.db.db, [{ file: unknown }, { file: second, options: { url: labs, version: '2' } }]),
      /not a terminology file/,
    );
    const rows = await api.db.db.query('SELECT 1 FROM tx_code_system WHERE url = $1 AND version = $2', [
      labs,
      '2',
    ]);
    assert.equal(rows.length, 0);
    assert.deepEqual(await loadTables(), []);
  });
});
