// The audit trail's pure parts: the link hash, the chain verifier on hand-built chains (edits,
// gaps, reordering, truncation, copies out of step with the content), and how access events become
// AuditEvent records (grouping per patient, merging, the entity cap, what never gets recorded).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { type ChainRow, ChainVerifier, GENESIS, entryDigest, linkHash } from '../src/audit/chain.ts';
import { type AccessEvent, MAX_ENTITIES, auditRecords, eventsByPatient } from '../src/audit/event.ts';
import { timeOrderedId } from '../src/audit/record.ts';
import { validateResource } from '@hoso/fhir/validator';

const actor = {
  kind: 'practitioner',
  subject: 'acc-1',
  clientId: 'web',
  fhirUser: 'Practitioner/d1',
} as const;
const base = { interaction: 'read', outcome: 0, purpose: 'TREAT', actor } as const;

let counter = 0;
const ids = () => `id-${++counter}`;
const at = new Date('2026-11-22T01:00:00.000Z');

function buildChain(
  key: string,
  contents: string[],
): { rows: ChainRow[]; head: { seq: number; hash: Buffer } } {
  let previous: Buffer = GENESIS;
  const rows = contents.map((content, i) => {
    previous = linkHash(previous, i + 1, entryDigest(key, content));
    const id = JSON.parse(content).id as string;
    return { seq: i + 1, content, hash: previous, id, recorded: at, breakGlass: false };
  });
  return { rows, head: { seq: rows.length, hash: previous } };
}

const content = (n: number) =>
  JSON.stringify({ resourceType: 'AuditEvent', id: `e${n}`, recorded: at.toISOString() });

function verify(key: string, rows: ChainRow[], head: { seq: number; hash: Buffer } | undefined) {
  const v = new ChainVerifier(key);
  for (const row of rows) v.add(row);
  return v.finish(head);
}

describe('audit hash chain (pure)', () => {
  test('the link hash is sha256(previous || int8 seq || sha256(key NUL content))', () => {
    const digest = createHash('sha256').update(Buffer.from('Patient/a\0{}', 'utf8')).digest();
    assert.deepEqual(entryDigest('Patient/a', '{}'), digest);
    const seq = Buffer.from('0000000000000001', 'hex');
    const expected = createHash('sha256')
      .update(Buffer.concat([GENESIS, seq, digest]))
      .digest();
    assert.deepEqual(linkHash(GENESIS, 1, digest), expected);
  });

  test('an intact chain verifies', () => {
    const { rows, head } = buildChain('Patient/a', [1, 2, 3].map(content));
    assert.equal(verify('Patient/a', rows, head), undefined);
  });

  test('security: an edited content breaks the chain at that link', () => {
    const { rows, head } = buildChain('Patient/a', [1, 2, 3].map(content));
    rows[1] = { ...rows[1]!, content: rows[1]!.content.replace('e2', 'e9') };
    assert.deepEqual(verify('Patient/a', rows, head), {
      chainKey: 'Patient/a',
      seq: 2,
      reason: 'content or hash does not match the chain',
    });
  });

  test('security: a deleted link, reordered links, a truncated chain and a missing head are breaks', () => {
    const { rows, head } = buildChain('Patient/a', [1, 2, 3, 4].map(content));
    assert.equal(verify('Patient/a', [rows[0]!, rows[2]!, rows[3]!], head)?.seq, 2);
    const swapped = [rows[0]!, { ...rows[2]!, seq: 2 }, { ...rows[1]!, seq: 3 }, rows[3]!];
    assert.equal(verify('Patient/a', swapped, head)?.seq, 2);
    assert.match(verify('Patient/a', rows.slice(0, 3), head)!.reason, /truncated/);
    assert.equal(verify('Patient/a', rows.slice(0, 3), head)?.seq, 4);
    assert.match(verify('Patient/a', rows, undefined)!.reason, /no head/);
  });

  test('security: a row moved to another chain does not verify there', () => {
    const { rows } = buildChain('Patient/a', [content(1)]);
    assert.equal(verify('Patient/b', rows, { seq: 1, hash: Buffer.from(rows[0]!.hash) })?.seq, 1);
  });

  test('security: searchable copies that disagree with the hashed content are breaks', () => {
    const { rows, head } = buildChain('Patient/a', [content(1)]);
    const later = new Date(at.getTime() + 1);
    assert.match(verify('Patient/a', [{ ...rows[0]!, recorded: later }], head)!.reason, /recorded/);
    assert.match(verify('Patient/a', [{ ...rows[0]!, id: 'other' }], head)!.reason, /id/);
    assert.match(verify('Patient/a', [{ ...rows[0]!, breakGlass: true }], head)!.reason, /break-glass/);
  });
});

describe('access events to AuditEvents (pure)', () => {
  test('a read becomes one R2 AuditEvent in the patient chain with who, why, what and where', () => {
    const [record] = auditRecords(
      [
        {
          ...base,
          patient: 'p1',
          resources: ['Patient/p1', 'Observation/o1'],
          actor: { ...actor, organization: 'org1' },
        },
      ],
      ids,
      at,
    );
    assert.equal(record!.chainKey, 'Patient/p1');
    const event = JSON.parse(record!.content);
    assert.equal(event.resourceType, 'AuditEvent');
    assert.equal(event.id, record!.id);
    assert.equal(event.type.code, 'rest');
    assert.deepEqual(event.subtype, [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }]);
    assert.equal(event.action, 'R');
    assert.equal(event.outcome, '0');
    assert.equal(event.recorded, at.toISOString());
    assert.equal(event.purposeOfEvent[0].coding[0].code, 'TREAT');
    assert.deepEqual(event.agent[0].who, { reference: 'Practitioner/d1' });
    assert.equal(event.agent[0].requestor, true);
    assert.deepEqual(event.agent[1].who.identifier.value, 'web');
    assert.deepEqual(event.agent[2].who, { reference: 'Organization/org1' });
    assert.deepEqual(
      event.entity.map((e: { what: { reference: string } }) => e.what.reference),
      ['Patient/p1', 'Observation/o1'],
    );
    assert.equal(event.meta, undefined);
  });

  test('security: break-glass is recorded as ETREAT with the BTG label and the reason', () => {
    const [record] = auditRecords(
      [{ ...base, patient: 'p1', resources: [], breakGlass: true, reason: 'unconscious in ER' }],
      ids,
      at,
    );
    const event = JSON.parse(record!.content);
    assert.equal(record!.breakGlass, true);
    assert.equal(event.purposeOfEvent[0].coding[0].code, 'ETREAT');
    assert.equal(event.purposeOfEvent[0].text, 'unconscious in ER');
    assert.equal(event.meta.security[0].code, 'BTG');
  });

  test('events differing only in resources merge; other differences stay separate records', () => {
    const events: AccessEvent[] = [
      { ...base, interaction: 'create', patient: 'p1', resources: ['Observation/1'] },
      { ...base, interaction: 'create', patient: 'p1', resources: ['Observation/2', 'Observation/1'] },
      { ...base, interaction: 'update', patient: 'p1', resources: ['Observation/3'] },
      { ...base, interaction: 'create', patient: 'p2', resources: ['Observation/4'] },
    ];
    const records = auditRecords(events, ids, at);
    assert.deepEqual(
      records.map((r) => r.chainKey),
      ['Patient/p1', 'Patient/p1', 'Patient/p2'],
    );
    const first = JSON.parse(records[0]!.content);
    assert.equal(first.action, 'C');
    assert.deepEqual(
      first.entity.slice(1).map((e: { what: { reference: string } }) => e.what.reference),
      ['Observation/1', 'Observation/2'],
    );
  });

  test(`entities are capped at ${MAX_ENTITIES} references and the rest counted`, () => {
    const resources = Array.from({ length: 250 }, (_, i) => `Observation/${i}`);
    const [record] = auditRecords(
      [{ ...base, interaction: 'search-type', patient: 'p1', resources }],
      ids,
      at,
    );
    const event = JSON.parse(record!.content);
    assert.equal(event.entity.length, 1 + MAX_ENTITIES + 1);
    assert.equal(event.entity.at(-1).description, '150 more resources not listed');
  });

  test('eventsByPatient splits a search by compartment; no patient goes to the client chain', () => {
    const events = eventsByPatient({ ...base, interaction: 'search-type' }, [
      { reference: 'Observation/1', patients: ['p1'] },
      { reference: 'Observation/2', patients: ['p2'] },
      { reference: 'Encounter/3', patients: ['p1', 'p2'] },
      { reference: 'Organization/4', patients: [] },
    ]);
    assert.deepEqual(
      events.map((e) => [e.patient, e.resources]),
      [
        ['p1', ['Observation/1', 'Encounter/3']],
        ['p2', ['Observation/2', 'Encounter/3']],
        [undefined, ['Organization/4']],
      ],
    );
    const empty = eventsByPatient({ ...base, interaction: 'search-type' }, []);
    assert.deepEqual(
      auditRecords(empty, ids, at, 3).map((r) => r.chainKey),
      ['Client/web/3'],
    );
    assert.deepEqual(
      eventsByPatient({ ...base, interaction: 'operation' }, [], ['p9']).map((e) => e.patient),
      ['p9'],
    );
  });

  test('security: no query string, search value or resource content reaches the record', () => {
    const [record] = auditRecords(
      [{ ...base, interaction: 'search-type', patient: 'p1', resources: ['Observation/1'] }],
      ids,
      at,
    );
    const event = JSON.parse(record!.content);
    assert.equal(
      event.entity.some((e: Record<string, unknown>) => 'query' in e || 'detail' in e),
      false,
    );
    assert.deepEqual(Object.keys(event).sort(), [
      'action',
      'agent',
      'entity',
      'id',
      'outcome',
      'purposeOfEvent',
      'recorded',
      'resourceType',
      'source',
      'subtype',
      'type',
    ]);
  });

  test('event ids are UUIDv7: valid FHIR ids, unique, in time order', async () => {
    const first = timeOrderedId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const ids = Array.from({ length: 1000 }, timeOrderedId);
    for (const id of ids)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id > first));
  });

  test('every kind of record is a valid R4 AuditEvent', () => {
    const records = auditRecords(
      [
        {
          ...base,
          patient: 'p1',
          resources: ['Patient/p1', 'Observation/1'],
          actor: { ...actor, organization: 'o', role: 'doctor' },
        },
        {
          ...base,
          interaction: 'search-type',
          patient: 'p2',
          breakGlass: true,
          reason: 'ER',
          resources: Array.from({ length: 150 }, (_, i) => `Observation/${i}`),
        },
        {
          ...base,
          interaction: 'search-type',
          outcome: 4,
          actor: { kind: 'system', subject: 'lab', clientId: 'lab' },
          resources: [],
        },
      ],
      ids,
      at,
    );
    for (const record of records)
      assert.deepEqual(validateResource(JSON.parse(record.content)), [], record.content);
  });
});
