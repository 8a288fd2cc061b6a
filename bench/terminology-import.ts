// Where a terminology import's wall time goes: imports the benchmark's three generated catalogues
// (162,496 concepts each by default; --concepts N for another size) into a scratch PostgreSQL
// database (or --pglite) with the importer of `hoso terminology import` (importFiles; with
// --one-by-one, importFile for each file in turn), and prints a timeline: each file's reading
// (this process, from its first progress report to its last) and every statement the import sends
// (the transaction it ran in, its start and duration). Diagnosis only: the numbers to quote are
// `npm run bench:terminology`'s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CopyData, Database, Queryable, SqlValue } from '../packages/server/src/db/database.ts';
import { migrate } from '../packages/server/src/db/migrations.ts';
import { importFile, importFiles } from '../packages/server/src/terminology/import-files.ts';
import { catalogue } from './terminology-catalogues.ts';
import { openScratch } from './store-lib/scratch-db.ts';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const perFile = Number(option('--concepts') ?? 162_496);
const pglite = argv.includes('--pglite');
const oneByOne = argv.includes('--one-by-one');
const adminUrl = process.env.HOSO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Event {
  what: string;
  start: number;
  ms: number;
}
const events: Event[] = [];

const label = (sql: string) =>
  sql
    .replace(/\s+/g, ' ')
    .replace(/tx_concept_[0-9a-z_]+/g, 'T')
    .trim()
    .slice(0, 60);

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    events.push({ what, start, ms: performance.now() - start });
  }
}

/** Wraps a connection so that every statement is timed. */
function timedQueryable(q: Queryable, tag: string): Queryable {
  return {
    query: <T>(sql: string, params?: readonly SqlValue[]) =>
      timed(`${tag} ${label(sql)}`, () => q.query<T>(sql, params)),
    ...(q.copyFrom
      ? {
          copyFrom: (target: string, data: CopyData, options?: string) =>
            timed(`${tag} COPY ${label(target).slice(0, 12)}`, () => q.copyFrom!(target, data, options)),
        }
      : {}),
  };
}

let transactions = 0;
function timedDatabase(db: Database): Database {
  return {
    ...timedQueryable(db, '-'),
    engine: db.engine,
    transaction: (fn) => {
      const tag = `t${++transactions}`;
      return db.transaction((tx) => fn(timedQueryable(tx, tag)));
    },
    exec: (script) => db.exec(script),
    close: () => db.close(),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'hoso-tx-phases-data-'));
const { db, cleanup } = await openScratch(
  pglite ? 'pglite' : 'postgres',
  adminUrl,
  `hoso_tx_phases_${process.pid}`,
);
try {
  await migrate(db);
  const files = (['lab', 'drug', 'service'] as const).map((k) => catalogue(dir, k, perFile));
  const timedDb = timedDatabase(db);
  const reading = new Map<string, { from: number; to: number }>();
  const progress = (file: string) => {
    const now = performance.now();
    const r = reading.get(file);
    if (r) r.to = now;
    else reading.set(file, { from: now, to: now });
  };
  const imports = files.map((file, i) => ({
    file,
    options: { url: `http://bench.hoso.vn/catalogue/${i}`, version: '1', progress },
  }));
  const t0 = performance.now();
  let concepts = 0;
  if (oneByOne) {
    for (const f of imports) concepts += (await importFile(timedDb, f.file, f.options))[0]!.count;
  } else {
    for (const r of await importFiles(timedDb, imports)) concepts += r.count;
  }
  const seconds = (performance.now() - t0) / 1000;
  const at = (t: number) => (t - t0).toFixed(0).padStart(6);
  const lines = [
    ...[...reading].map(([file, r]) => ({
      start: r.from,
      text: `${at(r.from)} +${(r.to - r.from).toFixed(0).padStart(5)} ms  read ${basename(file)} (first to last progress report)`,
    })),
    ...events
      .filter((e) => e.ms >= 5)
      .map((e) => ({ start: e.start, text: `${at(e.start)} +${e.ms.toFixed(0).padStart(5)} ms  ${e.what}` })),
  ];
  for (const l of lines.sort((a, b) => a.start - b.start)) console.log(l.text);
  console.log(
    `${oneByOne ? 'one file after the other' : 'importFiles (pipelined)'}: ${concepts} concepts in ${seconds.toFixed(1)} s = ${Math.round(concepts / seconds)}/s`,
  );
} finally {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
}
