// Migrations 65 and 66 on a database that has grants from before them: the columns it adds, and the grants
// of stored Consents rebuilt from their content (a permit by class was stored as a permit of
// everything), those of deleted Consents removed, and break-the-glass grants left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate } from '../src/db/migrations.ts';
import { describeEachEngine } from './support/engines.ts';

const consent = (id: string) => ({
  resourceType: 'Consent',
  id,
  status: 'active',
  patient: { reference: 'Patient/pa' },
  provision: {
    type: 'permit',
    actor: [{ reference: { reference: 'Organization/org-b' } }],
    class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Observation' }],
  },
});

describeEachEngine('access grants migrations 65 and 66', (get) => {
  test('rebuilds the grants of stored Consents narrowed, and drops those of deleted ones', async () => {
    const { db } = get();
    await db.exec(`
      ALTER TABLE access_grant DROP COLUMN types, DROP COLUMN instances, DROP COLUMN purposes, DROP COLUMN codes;
      DELETE FROM hoso_migrations WHERE version IN (65, 66);`);
    for (const [id, deleted] of [
      ['kept', false],
      ['gone', true],
    ] as const) {
      await db.query(
        `INSERT INTO resource (type, id, version, seq, last_updated, deleted, content, compartment)
         VALUES ('Consent', $1, 1, nextval('resource_seq'), now(), $2, $3, '{pa}')`,
        [id, deleted, deleted ? null : JSON.stringify(consent(id))],
      );
      await db.query(
        `INSERT INTO access_grant (source_type, source_id, patient, grantee, effect)
         VALUES ('Consent', $1, 'pa', 'Organization/org-b', 'permit')`,
        [id],
      );
    }
    await db.query(
      `INSERT INTO access_grant (source_type, source_id, patient, grantee, effect, period_end, reason)
       VALUES ('break-glass', 'bg-1', 'pa', 'Practitioner/pr-b', 'emergency', now() + interval '1 hour', 'cấp cứu')`,
    );
    assert.equal(await migrate(db), 2);
    const rows = await db.query<{ source_id: string; effect: string; types: string[] }>(
      'SELECT source_id, effect, types FROM access_grant ORDER BY source_id',
    );
    assert.deepEqual(
      rows.map((r) => [r.source_id, r.effect, r.types]),
      [
        ['bg-1', 'emergency', []],
        ['kept', 'permit', ['Observation']],
      ],
    );
  });
});
