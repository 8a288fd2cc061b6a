// The audit trail's HTTP side on both engines: GET /fhir/AuditEvent and /fhir/AuditEvent/{id}
// answer only within the patients `allowedPatients` returns (here a stub reading a test header),
// in searchset Bundles with next links; writes answer 405; bad parameters 400. The plugin runs in a
// Fastify app of its own, so the stub (a function parameter) decides visibility alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance, type FastifyRequest, type InjectOptions } from 'fastify';
import type { AccessEvent } from '../src/audit/event.ts';
import { auditPlugin } from '../src/audit/plugin.ts';
import { recordAccess } from '../src/audit/record.ts';
import { describeEachEngine } from './support/engines.ts';

const BASE = 'http://localhost:8080/fhir';

const actor = {
  kind: 'practitioner',
  subject: 'acc-1',
  clientId: 'web',
  fhirUser: 'Practitioner/d1',
} as const;
const event = (patient: string | undefined, recorded: string, resources: string[] = []): AccessEvent => ({
  ...(patient !== undefined ? { patient } : {}),
  interaction: 'read',
  outcome: 0,
  purpose: 'TREAT',
  actor,
  resources,
  recorded: new Date(recorded),
});

/** The stub: `x-allowed: all` or a comma list of facility Patient ids (none: nothing). */
const allowedPatients = async (request: FastifyRequest) => {
  const header = String(request.headers['x-allowed'] ?? '');
  return header === 'all' ? ('all' as const) : header.split(',').filter(Boolean);
};
const as = (allowed: string) => ({ 'x-allowed': allowed });
const refs = (bundle: { entry?: { resource: { entity?: { what?: { reference: string } }[] } }[] }) =>
  (bundle.entry ?? []).map((e) => e.resource.entity?.[0]?.what?.reference);

describeEachEngine('audit API', (get) => {
  let app: FastifyInstance;
  const api = {
    async request(
      method: InjectOptions['method'],
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      const res = await app.inject({
        method,
        url: `/fhir/${path.replace(/^\//, '')}`,
        headers: { ...(body !== undefined ? { 'content-type': 'application/fhir+json' } : {}), ...headers },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
    },
  };
  before(async () => {
    const db = get().db;
    app = Fastify();
    await app.register(auditPlugin, { db, baseUrl: () => BASE, allowedPatients });
    await app.ready();
    for (let day = 1; day <= 5; day++) {
      await db.transaction((tx) =>
        recordAccess(tx, [
          event('p1', `2026-11-0${day}T10:00:00.000Z`, ['Observation/o1']),
          event('p2', `2026-11-0${day}T11:00:00.000Z`, ['Observation/o2']),
        ]),
      );
    }
    await db.transaction((tx) =>
      recordAccess(tx, [event(undefined, '2026-11-06T00:00:00.000Z', ['Organization/x'])]),
    );
  });
  after(() => app.close());

  test('a patient lists their own events, newest first, as a searchset Bundle', async () => {
    const res = await api.request('GET', 'AuditEvent', undefined, as('p1'));
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
    assert.equal(res.body.resourceType, 'Bundle');
    assert.equal(res.body.type, 'searchset');
    assert.equal(res.body.total, 5);
    assert.deepEqual(refs(res.body), Array(5).fill('Patient/p1'));
    const recorded = res.body.entry.map((e: { resource: { recorded: string } }) => e.resource.recorded);
    assert.deepEqual(recorded, [...recorded].sort().reverse());
    assert.equal(res.body.entry[0].fullUrl, `${BASE}/AuditEvent/${res.body.entry[0].resource.id}`);
    assert.equal(res.body.entry[0].search.mode, 'match');
  });

  test("security: results never include other patients' events, whatever is asked", async () => {
    const mine = await api.request('GET', 'AuditEvent?patient=Patient/p2', undefined, as('p1'));
    assert.equal(mine.status, 200);
    assert.equal(mine.body.entry.length, 0);
    const mixed = await api.request('GET', 'AuditEvent?patient=p1,p2', undefined, as('p1'));
    assert.deepEqual(new Set(refs(mixed.body)), new Set(['Patient/p1']));
    const nobody = await api.request('GET', 'AuditEvent', undefined, as(''));
    assert.equal(nobody.body.entry.length, 0);
    const other = (await api.request('GET', 'AuditEvent?patient=p2', undefined, as('all'))).body.entry[0];
    const read = await api.request('GET', `AuditEvent/${other.resource.id}`, undefined, as('p1'));
    assert.equal(read.status, 404);
    assert.equal(read.body.resourceType, 'OperationOutcome');
    const unknown = await api.request(
      'GET',
      'AuditEvent/00000000-0000-0000-0000-000000000000',
      undefined,
      as('p1'),
    );
    assert.deepEqual(read.body.issue[0].code, unknown.body.issue[0].code);
  });

  test('an administrator sees every chain; patient and date filter; ge/le bound the range', async () => {
    const all = await api.request('GET', 'AuditEvent?_count=100', undefined, as('all'));
    assert.equal(all.body.total, 11);
    assert.equal(refs(all.body)[0], 'Organization/x'); // the client's chain: no patient
    const both = await api.request('GET', 'AuditEvent?patient=p1,Patient/p2', undefined, as('all'));
    assert.equal(both.body.total, 10);
    const range = await api.request(
      'GET',
      'AuditEvent?patient=p1&date=ge2026-11-02&date=le2026-11-04',
      undefined,
      as('p1,p2'),
    );
    assert.deepEqual(
      range.body.entry.map((e: { resource: { recorded: string } }) => e.resource.recorded.slice(0, 10)),
      ['2026-11-04', '2026-11-03', '2026-11-02'],
    );
    const day = await api.request('GET', 'AuditEvent?date=2026-11-03&_sort=date', undefined, as('p1,p2'));
    assert.deepEqual(refs(day.body), ['Patient/p1', 'Patient/p2']);
  });

  test('paging follows next links to the end without repeats', async () => {
    const seen: string[] = [];
    let url: string | undefined = 'AuditEvent?_count=3&patient=p1,p2';
    let pages = 0;
    while (url) {
      const res = await api.request('GET', url, undefined, as('p1,p2'));
      assert.equal(res.status, 200);
      seen.push(...res.body.entry.map((e: { resource: { id: string } }) => e.resource.id));
      const next = res.body.link.find((l: { relation: string }) => l.relation === 'next');
      url = next ? next.url.slice(BASE.length) : undefined;
      pages++;
    }
    assert.equal(pages, 4);
    assert.equal(seen.length, 10);
    assert.equal(new Set(seen).size, 10);
  });

  test('read by id returns the stored AuditEvent', async () => {
    const listed = (await api.request('GET', 'AuditEvent?_count=1', undefined, as('p2'))).body.entry[0]
      .resource;
    const res = await api.request('GET', `AuditEvent/${listed.id}`, undefined, as('p2'));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, listed);
    assert.equal(res.body.agent[0].who.reference, 'Practitioner/d1');
  });

  test('security: every write to AuditEvent answers 405 with an OperationOutcome, and nothing changes', async () => {
    const before = (await api.request('GET', 'AuditEvent?_count=0', undefined, as('all'))).body.total;
    const id = (await api.request('GET', 'AuditEvent?_count=1', undefined, as('p1'))).body.entry[0].resource
      .id;
    const body = { resourceType: 'AuditEvent', id };
    for (const [method, path] of [
      ['POST', 'AuditEvent'],
      ['PUT', `AuditEvent/${id}`],
      ['PATCH', `AuditEvent/${id}`],
      ['DELETE', `AuditEvent/${id}`],
      ['DELETE', 'AuditEvent?patient=p1'],
      ['PUT', 'AuditEvent?patient=p1'],
      ['POST', `AuditEvent/${id}/$validate`],
    ] as const) {
      const res = await api.request(method, path, method === 'DELETE' ? undefined : body, as('all'));
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.allow, 'GET, HEAD');
      assert.equal(res.body.resourceType, 'OperationOutcome');
      assert.match(res.body.issue[0].diagnostics, /append-only/);
    }
    assert.equal((await api.request('GET', 'AuditEvent?_count=0', undefined, as('all'))).body.total, before);
  });

  test('bad parameters answer 400; unknown ones are reported, or refused under strict handling', async () => {
    for (const query of [
      'patient=Practitioner/x',
      'patient=',
      'date=yesterday',
      'date=ap2026',
      '_count=-1',
      '_count=5000',
      '_sort=_lastUpdated',
      '_cursor=bogus',
      'patient:missing=true',
    ]) {
      const res = await api.request('GET', `AuditEvent?${query}`, undefined, as('all'));
      assert.equal(res.status, 400, query);
      assert.equal(res.body.resourceType, 'OperationOutcome', query);
    }
    const cursor = Buffer.from(
      JSON.stringify({ recorded: '2026-02-30T00:00:00.000Z', id: 'x', descending: true }),
    );
    const forged = await api.request(
      'GET',
      `AuditEvent?_cursor=${cursor.toString('base64url')}`,
      undefined,
      as('all'),
    );
    assert.equal(forged.status, 400);
    const lenient = await api.request('GET', 'AuditEvent?action=R', undefined, as('p1'));
    assert.equal(lenient.status, 200);
    assert.equal(lenient.body.entry.at(-1).search.mode, 'outcome');
    const strict = await api.request('GET', 'AuditEvent?action=R', undefined, {
      ...as('p1'),
      prefer: 'handling=strict',
    });
    assert.equal(strict.status, 400);
    const xml = await api.request('GET', 'AuditEvent?_format=xml', undefined, as('p1'));
    assert.equal(xml.status, 406);
  });

  test('POST AuditEvent/_search searches with a form body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/fhir/AuditEvent/_search',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...as('p1,p2') },
      payload: 'patient=p2&_count=2',
    });
    assert.equal(res.statusCode, 200);
    const bundle = JSON.parse(res.body);
    assert.deepEqual(refs(bundle), ['Patient/p2', 'Patient/p2']);
  });
});
