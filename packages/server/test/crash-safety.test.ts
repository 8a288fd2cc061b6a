// Crash safety (issue 2, item 8): the real server, on a fresh database, receives a stream of
// transaction Bundles over a socket and is killed with SIGKILL while some are in flight. After a
// restart on the same data, every acknowledged bundle must be fully present and searchable, and
// every other bundle either fully present (committed, but the reply was lost) or entirely absent.
// Several kill rounds per engine; the numbers are printed for the README's "Crash safety" section.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../src/database.ts';
import type { Database } from '../src/db/database.ts';
import { StoreDamagedError, checkStoreIntegrity } from '../src/db/integrity.ts';
import { migrate } from '../src/db/migrations.ts';
import { openPglite } from '../src/db/pglite.ts';
import { type Engine, type TestDatabase, openTestDatabase, postgresSkipReason } from './support/engines.ts';
import { registerClient } from '../src/auth/clients.ts';
import {
  type ServerProcess,
  clientCredentialsToken,
  killServerProcesses,
  runServerToExit,
  startServerProcess,
} from './support/server-process.ts';

const ROUNDS = Number(process.env.HOSO_CRASH_ROUNDS ?? 2); // kills per engine
const OBSERVATIONS = 4; // per bundle, each referencing the bundle's Patient by urn:uuid
const MAX_BUNDLES = 200; // per round
const CLIENTS = 4; // concurrent senders, so several bundles are in flight at the kill
const ROUND_DEADLINE_MS = 5_000; // the kill comes at the latest this long after the first reply
const FIRST_REPLY_TIMEOUT_MS = 20_000; // … or this long after the stream starts (a stuck server)
const SYSTEM = 'urn:hoso:test:crash-safety';

type Outcome = 'acknowledged' | 'failed' | 'unsent';

/** The senders' facility-system credentials and token (the signing key survives restarts). */
let credentials: { id: string; secret: string } | undefined;
let token = '';

interface Sent {
  index: number;
  value: string; // the Patient's identifier value; Observation k has `${value}-o${k}`
  outcome: Outcome;
  /** From the transaction-response, for acknowledged bundles: Patient id and Observation ids. */
  patientId?: string;
  observationIds?: string[];
  status?: number;
}

interface RoundReport {
  round: number;
  sent: number;
  acknowledged: number;
  failedInFlight: number;
  committedWithoutAck: number;
  absent: number;
  inFlightAtKill: number;
  streamMs: number;
  restartMs: number;
}

function transactionBundle(system: string, value: string): unknown {
  const patientUrl = `urn:uuid:${randomUUID()}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: patientUrl,
        resource: {
          resourceType: 'Patient',
          identifier: [{ system, value }],
          name: [{ family: 'Trần', given: ['Thị', 'Bình'] }],
          gender: 'female',
          birthDate: '1990-02-03',
        },
        request: { method: 'POST', url: 'Patient' },
      },
      ...Array.from({ length: OBSERVATIONS }, (_, k) => ({
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          resourceType: 'Observation',
          identifier: [{ system, value: `${value}-o${k}` }],
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
          subject: { reference: patientUrl },
          effectiveDateTime: `2025-06-0${k + 1}T08:00:00+07:00`,
          valueQuantity: { value: 60 + k, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
        },
        request: { method: 'POST', url: 'Observation' },
      })),
    ],
  };
}

/** `Type/id` from a transaction-response entry's location (`Type/id/_history/n`, maybe absolute). */
function idFromLocation(location: unknown, type: string): string {
  const match = new RegExp(`${type}/([A-Za-z0-9\\-.]{1,64})/_history/`).exec(String(location));
  assert.ok(match, `no ${type} id in location ${String(location)}`);
  return match[1]!;
}

interface StreamResult {
  sent: Sent[];
  inFlightAtKill: number;
  unexpected: string[];
}

/**
 * Streams bundles from CLIENTS concurrent senders and SIGKILLs the server once a random number of
 * them were acknowledged (or ROUND_DEADLINE_MS after the first, or when MAX_BUNDLES were sent), plus
 * a random delay.
 */
async function streamAndKill(server: ServerProcess, system: string, round: number): Promise<StreamResult> {
  const killAfterAcks = randomInt(10, 60);
  const extraDelayMs = randomInt(0, 40);
  const sent: Sent[] = [];
  const unexpected: string[] = [];
  let acknowledged = 0;
  let inFlight = 0;
  let killed = false;
  let inFlightAtKill = 0;
  let trigger!: () => void;
  const killRequested = new Promise<void>((resolve) => (trigger = resolve));
  const timers = [setTimeout(() => trigger(), FIRST_REPLY_TIMEOUT_MS)];

  const killer = (async () => {
    await killRequested;
    await new Promise((resolve) => setTimeout(resolve, extraDelayMs));
    inFlightAtKill = inFlight;
    killed = true;
    await server.kill();
  })();

  const sender = async () => {
    while (!killed && sent.length < MAX_BUNDLES) {
      const item: Sent = { index: sent.length, value: `r${round}-b${sent.length}`, outcome: 'failed' };
      sent.push(item);
      inFlight++;
      try {
        const res = await fetch(`${server.base}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
          body: JSON.stringify(transactionBundle(system, item.value)),
        });
        item.status = res.status;
        const body = (await res.json()) as {
          resourceType?: string;
          type?: string;
          entry?: { response?: { status?: string; location?: string } }[];
        };
        if (res.status >= 200 && res.status < 300 && body.type === 'transaction-response') {
          const entries = body.entry ?? [];
          assert.equal(entries.length, 1 + OBSERVATIONS);
          item.patientId = idFromLocation(entries[0]!.response?.location, 'Patient');
          item.observationIds = entries
            .slice(1)
            .map((e) => idFromLocation(e.response?.location, 'Observation'));
          item.outcome = 'acknowledged';
          if (++acknowledged === 1) timers.push(setTimeout(() => trigger(), ROUND_DEADLINE_MS));
          if (acknowledged >= killAfterAcks) trigger();
        } else {
          unexpected.push(`${item.value}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        }
      } catch (err) {
        // The connection died with the server: the bundle is unacknowledged.
        if (!killed) unexpected.push(`${item.value}: ${(err as Error).message}`);
      } finally {
        inFlight--;
      }
    }
    if (sent.length >= MAX_BUNDLES) trigger();
  };
  await Promise.all(Array.from({ length: CLIENTS }, sender));
  trigger();
  await killer;
  for (const timer of timers) clearTimeout(timer);
  return { sent, inFlightAtKill, unexpected };
}

interface Found {
  id: string;
  identifier: { system?: string; value?: string }[];
  subject?: { reference?: string };
}

interface SearchSet {
  entry?: { resource: Found }[];
  link?: { relation: string; url: string }[];
}

async function getJson(url: string): Promise<SearchSet> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as SearchSet;
  assert.equal(res.status, 200, `GET ${url}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** Every resource of `type` with an identifier in `system`, following `next` links. */
async function searchAll(base: string, type: string, system: string): Promise<Found[]> {
  const found: Found[] = [];
  let url: string | undefined = `${base}/${type}?identifier=${encodeURIComponent(`${system}|`)}&_count=1000`;
  for (let page = 0; url && page < 50; page++) {
    const bundle = await getJson(url.replace('//localhost:', '//127.0.0.1:'));
    for (const e of bundle.entry ?? []) found.push(e.resource);
    url = (bundle.link ?? []).find((l) => l.relation === 'next')?.url;
  }
  assert.equal(url, undefined, 'paging did not end');
  return found;
}

const identifierIn = (resource: Found, system: string): string =>
  resource.identifier.find((i) => i.system === system)?.value ?? '';

/**
 * Checks a finished round against the restarted server: acknowledged bundles fully present and
 * searchable; every other bundle all-or-nothing. Returns how many unacknowledged bundles committed.
 */
async function verifyRound(base: string, system: string, sent: Sent[]): Promise<number> {
  const patients = new Map<string, Found>();
  for (const p of await searchAll(base, 'Patient', system)) {
    const value = identifierIn(p, system);
    assert.ok(!patients.has(value), `two Patients with identifier ${value}`);
    patients.set(value, p);
  }
  const observations = new Map<string, Found[]>();
  for (const o of await searchAll(base, 'Observation', system)) {
    const value = identifierIn(o, system).replace(/-o\d+$/, '');
    observations.set(value, [...(observations.get(value) ?? []), o]);
  }
  const known = new Set(sent.map((s) => s.value));
  for (const value of [...patients.keys(), ...observations.keys()]) {
    assert.ok(known.has(value), `a resource of a bundle that was never sent: ${value}`);
  }
  let committedWithoutAck = 0;
  for (const item of sent) {
    const patient = patients.get(item.value);
    const obs = observations.get(item.value) ?? [];
    if (item.outcome === 'acknowledged') {
      assert.ok(patient, `acknowledged bundle ${item.value}: Patient missing`);
      assert.equal(patient.id, item.patientId, `acknowledged bundle ${item.value}: another Patient id`);
      assert.deepEqual(
        obs.map((o) => o.id).sort(),
        [...item.observationIds!].sort(),
        `acknowledged bundle ${item.value}: Observations missing`,
      );
    } else if (patient || obs.length > 0) {
      // Committed before the kill but the reply never arrived: it must be whole.
      assert.ok(patient, `torn bundle ${item.value}: ${obs.length} Observations without their Patient`);
      assert.equal(obs.length, OBSERVATIONS, `torn bundle ${item.value}: ${obs.length} Observations`);
      committedWithoutAck++;
    }
    if (patient) {
      for (const o of obs) assert.equal(o.subject?.reference, `Patient/${patient.id}`);
    }
  }
  // The acknowledged ones are also found the way a client would look for them.
  for (const item of sent.filter((s) => s.outcome === 'acknowledged')) {
    const byIdentifier = await getJson(
      `${base}/Patient?identifier=${encodeURIComponent(`${system}|${item.value}`)}`,
    );
    assert.deepEqual(
      (byIdentifier.entry ?? []).map((e) => e.resource.id),
      [item.patientId],
    );
    const bySubject = await getJson(`${base}/Observation?subject=Patient/${item.patientId}&_count=100`);
    assert.equal((bySubject.entry ?? []).length, OBSERVATIONS, `Observation?subject for ${item.value}`);
  }
  return committedWithoutAck;
}

/**
 * Store-level consistency: every current row has its history version and outbox event (exactly, by
 * joins), and the server's own after-crash check finds nothing.
 */
async function checkStoreConsistency(db: Database): Promise<void> {
  assert.deepEqual(await checkStoreIntegrity(db), []);
  const [row] = await db.query<{ resources: number; orphans: number; no_outbox: number }>(
    `SELECT (SELECT count(*)::int FROM resource) AS resources,
            (SELECT count(*)::int FROM resource r WHERE NOT EXISTS (SELECT 1 FROM resource_history h
               WHERE h.type = r.type AND h.id = r.id AND h.version = r.version AND h.seq = r.seq)) AS orphans,
            (SELECT count(*)::int FROM resource_history h WHERE NOT EXISTS
               (SELECT 1 FROM outbox o WHERE o.seq = h.seq)) AS no_outbox`,
  );
  assert.ok(row!.resources > 0);
  assert.equal(row!.orphans, 0, 'resource rows without their history row');
  assert.equal(row!.no_outbox, 0, 'history rows without their outbox event');
}

for (const engine of ['pglite', 'postgres'] as const satisfies readonly Engine[]) {
  describe(`crash safety [${engine}]`, { skip: engine === 'postgres' ? postgresSkipReason() : false }, () => {
    let database: TestDatabase | undefined;
    let server: ServerProcess | undefined;

    before(async () => {
      database = await openTestDatabase(engine);
      const { client, secret } = await registerClient(database.db, {
        name: 'crash-safety sender',
        confidential: true,
        scopes: 'system/*.cruds',
        secret: true,
      });
      credentials = { id: client.id, secret: secret! };
      // One process per PGlite folder: the server must be the only one to open it.
      if (engine === 'pglite') await database.db.close();
    });

    after(async () => {
      await killServerProcesses();
      if (!database) return;
      if (engine === 'pglite') rmSync(database.location, { recursive: true, force: true });
      else await database.dispose();
    });

    test(`SIGKILL during a stream of transactions, ${ROUNDS} rounds: acknowledged bundles survive, none is torn`, async () => {
      const location = database!.location;
      const reports: RoundReport[] = [];
      server = await startServerProcess(engine, location);
      token = await clientCredentialsToken(server.base, credentials!);
      let previous: { system: string; sent: Sent[] }[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const system = `${SYSTEM}:${engine}:r${round}`;
        const streamStarted = Date.now();
        const { sent, inFlightAtKill, unexpected } = await streamAndKill(server, system, round);
        const streamMs = Date.now() - streamStarted;
        assert.deepEqual(unexpected, [], 'every reply before the kill is a 2xx transaction-response');
        assert.ok(inFlightAtKill > 0, 'requests were in flight at the kill');

        server = await startServerProcess(engine, location);
        // A new port is a new FHIR base URL, so a new audience: tokens are per server address.
        token = await clientCredentialsToken(server.base, credentials!);
        if (engine === 'pglite') {
          assert.match(server.output(), /did not shut down cleanly/, 'the restart reports the unclean stop');
        }
        const committedWithoutAck = await verifyRound(server.base, system, sent);
        // Earlier rounds are still intact after further kills.
        for (const p of previous) await verifyRound(server.base, p.system, p.sent);
        previous = [...previous, { system, sent }];
        const acknowledged = sent.filter((s) => s.outcome === 'acknowledged').length;
        const failed = sent.length - acknowledged;
        reports.push({
          round,
          sent: sent.length,
          acknowledged,
          failedInFlight: failed,
          committedWithoutAck,
          absent: failed - committedWithoutAck,
          inFlightAtKill,
          streamMs,
          restartMs: server.startupMs,
        });
        assert.ok(acknowledged > 0, 'some bundles were acknowledged before the kill');
      }
      // A clean stop after the last round, then the store's own bookkeeping is checked directly.
      assert.equal(await server.stop(), 0, 'clean shutdown after the last round');
      if (engine === 'pglite') {
        const db = await openPglite(join(location, 'pglite'));
        try {
          await checkStoreConsistency(db);
        } finally {
          await db.close();
        }
      } else {
        await checkStoreConsistency(database!.db);
      }
      const total = reports.reduce(
        (sum, r) => ({
          sent: sum.sent + r.sent,
          acknowledged: sum.acknowledged + r.acknowledged,
          committedWithoutAck: sum.committedWithoutAck + r.committedWithoutAck,
        }),
        { sent: 0, acknowledged: 0, committedWithoutAck: 0 },
      );
      console.log(`crash safety [${engine}]: ${JSON.stringify(reports)}`);
      console.log(
        `crash safety [${engine}] total: ${ROUNDS} kills, ${total.sent} bundles sent, ${total.acknowledged} acknowledged (all present), ` +
          `${total.committedWithoutAck} committed without a reply, 0 torn`,
      );
    });
  });
}

/** Leaves the lock file a killed server would leave: the pid of a process that has exited. */
function leaveStaleLock(folder: string): void {
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(join(folder, 'hoso.lock'), String(dead));
}

// A SIGKILL does not damage PGlite (above); a power cut with fsync off can. These simulate the
// result — a transaction only partly on disk, an unreadable control file — and check that the
// server refuses to serve such a store after an unclean stop, and keeps refusing.
describe('a damaged embedded store is refused after an unclean stop [pglite]', () => {
  const folders: string[] = [];
  const damagedCopy = async (damage: (db: Database, folder: string) => Promise<void>) => {
    const copy = await openTestDatabase('pglite');
    folders.push(copy.location);
    // Normally a no-op; it covers a template copied while a concurrent `npm test` was re-creating it.
    await migrate(copy.db);
    await damage(copy.db, copy.location);
    await copy.db.close();
    leaveStaleLock(copy.location);
    return copy.location;
  };

  after(async () => {
    await killServerProcesses();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  test('a write without its history row and outbox event: npm start says so and exits', async () => {
    const folder = await damagedCopy(async (db) => {
      await db.query(
        `INSERT INTO resource (type, id, version, seq, last_updated, content)
         VALUES ('Patient', 'torn', 1, nextval('resource_seq'), now(), '{"resourceType":"Patient","id":"torn"}')`,
      );
    });
    const run = await runServerToExit('pglite', folder);
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /is damaged and will not be served: the current versions add up to 1 but there are 0 history rows/,
    );
    assert.match(run.output, /Restore the folder from a backup/);
    assert.doesNotMatch(run.output, /FHIR base:/);
    // The refusal sticks: the lock stays with the refusing process's (now dead) pid, so the next
    // start checks again instead of trusting the folder.
    assert.equal(readFileSync(join(folder, 'hoso.lock'), 'utf8'), String(run.pid));
  });

  test('a store PGlite cannot open after an unclean stop is reported as damaged', async () => {
    const folder = await damagedCopy(async () => undefined);
    const control = openSync(join(folder, 'pglite', 'global', 'pg_control'), 'r+');
    writeSync(control, Buffer.alloc(512), 0, 512, 0);
    closeSync(control);
    await assert.rejects(openDatabase(undefined, folder), (err: Error) => {
      assert.ok(err instanceof StoreDamagedError, String(err));
      assert.match(err.message, /is damaged and will not be served: PGlite cannot open it/);
      return true;
    });
  });
});
