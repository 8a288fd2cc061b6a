// The audit trail in the database on both engines: recordAccess appends to per-patient chains in
// the caller's transaction, the append-only guard refuses changes, verifyAuditTrail finds every
// kind of tampering (done behind the guard's back), and parallel requests about one patient on
// PostgreSQL's pool still make one gap-free chain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Queryable } from '../src/db/database.ts';
import type { AccessEvent } from '../src/audit/event.ts';
import { recordAccess } from '../src/audit/record.ts';
import { verifyAuditTrail } from '../src/audit/verify.ts';
import { describeEachEngine } from './support/engines.ts';

const actor = {
  kind: 'practitioner',
  subject: 'acc-1',
  clientId: 'web',
  fhirUser: 'Practitioner/d1',
} as const;
const read = (patient: string, resources: string[] = [`Patient/${patient}`]): AccessEvent => ({
  patient,
  interaction: 'read',
  outcome: 0,
  purpose: 'TREAT',
  actor,
  resources,
});

/** Runs `statements` with the append-only triggers off: what an owner bent on tampering could do. */
async function tamper(
  q: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  ...statements: string[]
) {
  await q.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head DISABLE TRIGGER USER');
    for (const sql of statements) await tx.query(sql);
    await tx.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_head ENABLE TRIGGER USER');
  });
}

describeEachEngine('audit trail', (get) => {
  test('recordAccess appends one chained row per patient per call, and verify accepts it', async () => {
    const { db } = get();
    await db.transaction((tx) => recordAccess(tx, [read('a'), read('b')]));
    await db.transaction((tx) =>
      recordAccess(tx, [
        read('a', ['Observation/1']),
        read('a', ['Observation/2']),
        { ...read('a'), interaction: 'update' },
      ]),
    );
    const rows = await db.query<{ chain_key: string; seq: number }>(
      'SELECT chain_key, seq FROM audit_event ORDER BY chain_key, seq',
    );
    assert.deepEqual(
      rows.map((r) => [r.chain_key, Number(r.seq)]),
      [
        ['Patient/a', 1],
        ['Patient/a', 2],
        ['Patient/a', 3],
        ['Patient/b', 1],
      ],
    );
    assert.deepEqual(await verifyAuditTrail(db), { chains: 2, events: 4, breaks: [] });
  });

  test('security: the audit record rolls back with the access, and a failed record fails the access', async () => {
    const { db } = get();
    const before = await verifyAuditTrail(db);
    await assert.rejects(
      db.transaction(async (tx) => {
        await recordAccess(tx, [read('rolled-back')]);
        throw new Error('the access failed');
      }),
    );
    await assert.rejects(
      db.transaction((tx) => recordAccess(tx, [{ ...read('x'), patient: '' }])),
      /empty patient id/,
    );
    assert.deepEqual(await verifyAuditTrail(db), before);
  });

  test('security: UPDATE, DELETE and TRUNCATE of the trail are refused', async () => {
    const { db } = get();
    for (const sql of [
      "UPDATE audit_event SET content = '{}'",
      'DELETE FROM audit_event',
      'TRUNCATE audit_event',
      'DELETE FROM audit_head',
      'TRUNCATE audit_head',
      'UPDATE audit_head SET seq = 1',
      'UPDATE audit_head SET seq = seq - 1',
    ]) {
      await assert.rejects(db.query(sql), /append-only|only advance/, sql);
    }
    assert.equal((await verifyAuditTrail(db)).breaks.length, 0);
  });

  test('security: verify finds edited content, a deleted row, a truncated chain and a deleted head', async () => {
    const { db } = get();
    for (const p of ['t1', 't2', 't3', 't4']) {
      for (let i = 0; i < 3; i++) await db.transaction((tx) => recordAccess(tx, [read(p)]));
    }
    await tamper(
      db,
      `UPDATE audit_event SET content = replace(content, '"TREAT"', '"HRESCH"') WHERE chain_key = 'Patient/t1' AND seq = 2`,
    );
    await tamper(db, `DELETE FROM audit_event WHERE chain_key = 'Patient/t2' AND seq = 2`);
    await tamper(db, `DELETE FROM audit_event WHERE chain_key = 'Patient/t3' AND seq = 3`);
    await tamper(db, `DELETE FROM audit_head WHERE chain_key = 'Patient/t4'`);
    const report = await verifyAuditTrail(db, { pageSize: 2 });
    assert.deepEqual(
      report.breaks.map((b) => [b.chainKey, b.seq]),
      [
        ['Patient/t1', 2],
        ['Patient/t2', 2],
        ['Patient/t3', 3],
        ['Patient/t4', 4],
      ],
    );
    assert.match(report.breaks[2]!.reason, /truncated/);
  });

  test('security: verify finds reordered rows, a moved recorded time and a chain deleted but for its head', async () => {
    const { db } = get();
    for (let i = 0; i < 3; i++) {
      await db.transaction((tx) => recordAccess(tx, [read('r1'), read('r2'), read('r3')]));
    }
    await tamper(
      db,
      `UPDATE audit_event SET seq = -seq WHERE chain_key = 'Patient/r1' AND seq IN (1, 2)`,
      `UPDATE audit_event SET seq = CASE seq WHEN -1 THEN 2 ELSE 1 END WHERE chain_key = 'Patient/r1' AND seq < 0`,
    );
    await tamper(
      db,
      `UPDATE audit_event SET recorded = recorded - interval '1 day' WHERE chain_key = 'Patient/r2' AND seq = 3`,
    );
    await tamper(db, `DELETE FROM audit_event WHERE chain_key = 'Patient/r3'`);
    const breaks = (await verifyAuditTrail(db)).breaks.filter((b) => b.chainKey.startsWith('Patient/r'));
    assert.deepEqual(
      breaks.map((b) => [b.chainKey, b.seq]),
      [
        ['Patient/r1', 1],
        ['Patient/r2', 3],
        ['Patient/r3', 1],
      ],
    );
  });

  test('parallel requests about one patient make one gap-free chain (PostgreSQL: a pool of connections)', async () => {
    const { db } = get();
    const n = 60;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        db.transaction((tx) => recordAccess(tx, [read('hot', [`Observation/${i}`]), read(`cold-${i}`)])),
      ),
    );
    const seqs = await db.query<{ seq: number }>(
      "SELECT seq FROM audit_event WHERE chain_key = 'Patient/hot' ORDER BY seq",
    );
    assert.deepEqual(
      seqs.map((r) => Number(r.seq)),
      Array.from({ length: n }, (_, i) => i + 1),
    );
    const report = await verifyAuditTrail(db);
    assert.equal(
      report.breaks.filter((b) => b.chainKey === 'Patient/hot' || b.chainKey.startsWith('Patient/cold'))
        .length,
      0,
    );
  });
});
