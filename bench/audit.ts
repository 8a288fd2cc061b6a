// `node --import tsx bench/audit.ts` — the audit trail's cost, on PGlite and PostgreSQL:
//   1. per request: the time recordAccess adds inside the access's transaction (the call itself,
//      and the whole transaction with and without it, which on PostgreSQL includes the WAL flush a
//      read now needs at commit), for a read, a search over 10 patients, a 25-entry transaction
//      about one patient and a search of 1,000 resources of one patient, over a trail pre-filled
//      with --events rows in --patients chains;
//   2. PostgreSQL only: 8 concurrent clients recording reads of random patients vs. all of one
//      patient (the one case that queues, on that chain's head row);
//   3. `hoso audit verify`'s core (verifyAuditTrail) over the whole trail, events per second.
// Prints tables (times in µs unless marked ms; "process CPU" is this process's CPU time per call —
// all of the database work on PGlite, only the client's on PostgreSQL); progress on stderr. Runs
// one engine at a time, and prints the load average, which skews wall times on a shared machine.
//
//   node --import tsx bench/audit.ts [--engine pglite|pg|both] [--events 100000] [--patients 10000]
//                                    [--requests 2000] [--pg-url postgres://postgres@127.0.0.1:5432]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { AccessEvent } from '@hoso/server/audit/event';
import { recordAccess } from '@hoso/server/audit/record';
import { verifyAuditTrail } from '@hoso/server/audit/verify';
import type { Database } from '@hoso/server/db/database';
import { migrate } from '@hoso/server/db/migrations';
import { openPglite } from '@hoso/server/db/pglite';
import { openPostgres } from '@hoso/server/db/postgres';
import { round, summarize, table } from './store-lib/stats.ts';

const { values: flags } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '100000' },
    patients: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '2000' },
    'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432' },
  },
});
const EVENTS = Number(flags.events);
const PATIENTS = Number(flags.patients);
const REQUESTS = Number(flags.requests);
const progress = (msg: string) => process.stderr.write(`[bench:audit] ${msg}\n`);

const actor = {
  kind: 'practitioner',
  subject: 'acc-bench',
  clientId: 'bench-client',
  fhirUser: 'Practitioner/bench',
  organization: 'org-bench',
  role: 'doctor',
} as const;
const event = (
  patient: string,
  resources: string[],
  interaction: AccessEvent['interaction'] = 'read',
): AccessEvent => ({
  patient,
  interaction,
  outcome: 0,
  purpose: 'TREAT',
  actor,
  resources,
});
let rng = 42;
const random = (n: number) => {
  rng = (rng * 1103515245 + 12345) % 2147483648;
  return rng % n;
};
const anyPatient = () => `p${random(PATIENTS)}`;
const refs = (type: string, n: number) => Array.from({ length: n }, (_, i) => `${type}/${random(1e9)}-${i}`);

const SCENARIOS: { name: string; events: () => AccessEvent[] }[] = [
  { name: 'read (1 patient, 1 resource)', events: () => [event(anyPatient(), refs('Observation', 1))] },
  {
    name: 'search over 10 patients (10 chains, 20 refs each)',
    events: () => Array.from({ length: 10 }, () => event(anyPatient(), refs('Observation', 20))),
  },
  {
    name: 'transaction, 25 creates of 1 patient (1 row)',
    events: () => {
      const p = anyPatient();
      return Array.from({ length: 25 }, () => event(p, refs('Observation', 1), 'create'));
    },
  },
  {
    name: 'search of 1,000 resources of 1 patient (capped at 100)',
    events: () => [event(anyPatient(), refs('Observation', 1000), 'search-type')],
  },
];

async function prefill(db: Database) {
  const batch = Math.min(1000, PATIENTS);
  for (let done = 0; done < EVENTS; done += batch) {
    const events = Array.from({ length: Math.min(batch, EVENTS - done) }, (_, i) =>
      event(`p${(done + i) % PATIENTS}`, refs('Observation', 3)),
    );
    await db.transaction((tx) => recordAccess(tx, events));
    if ((done / batch) % 20 === 0) progress(`prefilled ${done + events.length} events`);
  }
}

const micros = (start: bigint) => Number(process.hrtime.bigint() - start) / 1000;

async function perRequest(db: Database) {
  const rows: (string | number)[][] = [];
  for (const scenario of SCENARIOS) {
    const call: number[] = [];
    let cpu = 0;
    const withAudit: number[] = [];
    const without: number[] = [];
    let events = 0;
    for (let i = 0; i < REQUESTS + 200; i++) {
      const list = scenario.events();
      const warm = i >= 200;
      let t = process.hrtime.bigint();
      await db.transaction((tx) => tx.query('SELECT $1::text', ['access']));
      if (warm) without.push(micros(t));
      let inner = 0;
      t = process.hrtime.bigint();
      await db.transaction(async (tx) => {
        await tx.query('SELECT $1::text', ['access']);
        const c = process.hrtime.bigint();
        const u = process.cpuUsage();
        await recordAccess(tx, list);
        inner = micros(c);
        const used = process.cpuUsage(u);
        if (warm) cpu += used.user + used.system;
      });
      if (warm) {
        withAudit.push(micros(t));
        call.push(inner);
        events += list.length;
      }
    }
    const c = summarize(call);
    const w = summarize(withAudit);
    const o = summarize(without);
    const perEvent = round((c.mean * REQUESTS) / events, 1);
    rows.push([
      scenario.name,
      c.p50,
      c.p95,
      Math.round(cpu / REQUESTS),
      perEvent,
      o.p50,
      w.p50,
      round(w.p50 - o.p50, 1),
      w.p95,
    ]);
    progress(`${scenario.name}: recordAccess p50 ${c.p50} µs`);
  }
  return table(
    [
      'request',
      'recordAccess p50',
      'p95',
      'process CPU mean',
      'µs/event (mean)',
      'tx without p50',
      'tx with p50',
      'added p50',
      'tx with p95',
    ],
    rows,
  );
}

async function concurrency(db: Database) {
  const rows: (string | number)[][] = [];
  for (const [name, pick] of [
    ['random patients', anyPatient],
    ['one patient', () => 'p-hot'],
  ] as const) {
    const latencies: number[] = [];
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < REQUESTS / 8; i++) {
          const t = process.hrtime.bigint();
          await db.transaction((tx) => recordAccess(tx, [event(pick(), refs('Observation', 1))]));
          latencies.push(micros(t) / 1000);
        }
      }),
    );
    const seconds = micros(started) / 1e6;
    const s = summarize(latencies);
    rows.push([name, Math.round(latencies.length / seconds), s.p50, s.p95]);
    progress(`8 clients, ${name}: ${Math.round(latencies.length / seconds)} requests/s`);
  }
  return table(['8 clients, each request audited', 'requests/s', 'tx p50 ms', 'tx p95 ms'], rows);
}

async function verify(db: Database) {
  const started = process.hrtime.bigint();
  const report = await verifyAuditTrail(db);
  const seconds = micros(started) / 1e6;
  if (report.breaks.length > 0)
    throw new Error(`the benchmark's own trail is broken: ${report.breaks[0]!.reason}`);
  return `verifyAuditTrail: ${report.events} events in ${report.chains} chains, ${round(seconds, 1)} s, ${Math.round(report.events / seconds)} events/s`;
}

async function run(engine: 'pglite' | 'pg') {
  let db: Database;
  let cleanup: () => Promise<void>;
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
    db = await openPglite(dir);
    cleanup = async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const name = `hoso_bench_audit_${process.pid}`;
    const admin = new pg.Client({ connectionString: `${flags['pg-url']}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    db = await openPostgres(`${flags['pg-url']}/${name}`, 8);
    cleanup = async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  try {
    await migrate(db);
    const [version] = await db.query<{ v: string }>('SELECT version() AS v');
    progress(`${engine}: ${version?.v.slice(0, 40)}; prefilling ${EVENTS} events over ${PATIENTS} patients`);
    await prefill(db);
    await db.query('ANALYZE audit_event');
    await db.query('ANALYZE audit_head');
    console.log(
      `\n## ${engine} — ${EVENTS} events prefilled in ${PATIENTS} chains, ${REQUESTS} requests each` +
        ` (load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})\n`,
    );
    console.log(await perRequest(db));
    if (engine === 'pg') console.log(`\n${await concurrency(db)}`);
    console.log(`\n${await verify(db)}`);
  } finally {
    await cleanup();
  }
}

for (const engine of flags.engine === 'both'
  ? (['pglite', 'pg'] as const)
  : [flags.engine as 'pglite' | 'pg']) {
  await run(engine);
}
