// The two-thread catalogue reader (parallel-catalogue.ts), which the import uses for CSV files of
// 8 MB and more, against the one-thread reader on the same file: the same concepts, encoded to the
// same bytes in the same order. The file spans several 1 MB read chunks, so both threads encode,
// and holds what splits badly across chunks: quoted fields with commas, quotes and line breaks,
// CRLF line ends, children listed before their parents. No database. Also with one worker shared
// by two files read in turn, encoding every chunk (as importFiles reads beside a COPY).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { prepareConcepts } from '../src/terminology/bulk-load.ts';
import { csvCatalogue } from '../src/terminology/loaders/catalogue.ts';
import { prepareCsvCatalogue, SharedCatalogueWorker } from '../src/terminology/parallel-catalogue.ts';

const ROWS = 30_000;
let dir: string;
let file: string;

/**
 * A catalogue of ~3.5 MB: items, each group of 300 followed by its parent group row, awkward text.
 * No code repeats (a repeated code would shift the two readers' source order numbers apart).
 */
function catalogue(): string {
  const lines = ['code,display,display_en,parent,weight'];
  for (let i = 0; i < ROWS; i++) {
    const group = `G${Math.floor(i / 300)}`;
    const quoted = i % 5 === 0 ? `"Viên nén ${i}, ""bao phim""\nđường uống"` : `Thuốc số ${i} viên nang`;
    lines.push(`XN${String(i).padStart(6, '0')},${quoted},Drug number ${i} capsule,${group},${i % 13}`);
    if (i % 300 === 299) lines.push(`${group},Nhóm ${group},Group ${group},,`);
  }
  return lines.join('\r\n') + '\r\n';
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hoso-catalogue-'));
  file = join(dir, 'catalogue.csv');
  await writeFile(file, catalogue());
});

after(() => rm(dir, { recursive: true, force: true }));

test('two threads read a multi-chunk catalogue into the same encoded rows as one thread', async () => {
  const one = await prepareConcepts(csvCatalogue(file));
  const progress: number[] = [];
  const two = await prepareCsvCatalogue(file, (n) => progress.push(n));
  assert.ok(one.count > ROWS, 'every item and group was read');
  assert.equal(two.count, one.count);
  assert.ok(progress.length >= 3, 'progress is reported chunk by chunk');
  assert.equal(progress.at(-1), two.count);
  assert.ok(Buffer.concat([...two.rows.chunks()]).equals(Buffer.concat([...one.rows.chunks()])));
});

test('one worker shared by files read in turn, encoding every chunk, gives the same rows', async () => {
  const one = Buffer.concat([...(await prepareConcepts(csvCatalogue(file))).rows.chunks()]);
  const shared = new SharedCatalogueWorker();
  try {
    for (let i = 0; i < 2; i++) {
      const read = await prepareCsvCatalogue(file, undefined, { encodeHere: false, shared });
      assert.ok(Buffer.concat([...read.rows.chunks()]).equals(one));
    }
  } finally {
    await shared.close();
  }
});
