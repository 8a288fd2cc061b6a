// The patient index's HTTP API under /admin/mpi (FHIR-ish JSON; documented in docs/MPI.md):
// processing the outbox, the Person and golden Patient views, a person's $everything across all
// linked records, the review queue (accept / reject) and manual unlink, merge and unmerge.
// Every manual action writes link history and an audit row in the same transaction.
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../db/database.ts';
import { FhirError } from '../errors.ts';
import type { Services } from '../interactions/services.ts';
import { readEverything } from '../store/everything.ts';
import { linkedRecords, goldenPatient, personResource } from './person.ts';
import { newPerson, processOutbox, recordLink } from './linker.ts';

const notFound = (what: string) => FhirError.of(404, 'not-found', `${what} not found`);

async function audit(
  db: Queryable,
  action: string,
  patientId: string | null,
  personId: string | null,
  detail: unknown,
) {
  await db.query('INSERT INTO mpi_audit (action, patient_id, person_id, detail) VALUES ($1, $2, $3, $4)', [
    action,
    patientId,
    personId,
    JSON.stringify(detail),
  ]);
}

async function mergePerson(tx: Queryable, from: string, into: string, actor: string, reason: string) {
  if (from === into) throw FhirError.of(400, 'invalid', 'a person cannot be merged into itself');
  {
    const persons = await tx.query<{ id: string }>('SELECT id FROM mpi_person WHERE id = ANY($1::text[])', [
      [from, into],
    ]);
    if (persons.length !== 2) throw notFound('person');
    for (const patientId of await linkedRecords(tx, from))
      await recordLink(tx, 'merge', patientId, into, from, reason, actor);
    await tx.query('UPDATE mpi_person SET merged_into = $2 WHERE id = $1', [from, into]);
    await audit(tx, 'merge', null, into, { from, into, reason, actor });
  }
}

export interface MpiRouteOptions {
  services: Services;
  /** poll the outbox this often (ms) and link new Patients; 0 turns automatic linking off */
  linkEveryMs?: number;
}

export async function mpiRoutes(app: FastifyInstance, { services, linkEveryMs = 1000 }: MpiRouteOptions) {
  const db = services.db;
  // one consumer at a time in this process: the timer and $process share this chain
  let chain: Promise<number> = Promise.resolve(0);
  const drain = () => {
    chain = chain.then(async () => {
      let total = 0;
      for (let n = await processOutbox(db); n > 0; n = await processOutbox(db)) total += n;
      return total;
    });
    return chain;
  };
  if (linkEveryMs > 0) {
    const timer = setInterval(() => void drain().catch(() => undefined), linkEveryMs);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await chain.catch(() => undefined);
    });
  }
  const actor = 'admin'; // until authorisation exists
  const json = (reply: { header(k: string, v: string): unknown }) =>
    reply.header('content-type', 'application/fhir+json');

  app.post('/admin/mpi/$process', async () => ({ processed: await drain() }));

  app.get<{ Params: { id: string } }>('/admin/mpi/records/:id', async (request) => {
    const [row] = await db.query<{ person_id: string }>(
      'SELECT person_id FROM mpi_record WHERE patient_id = $1',
      [request.params.id],
    );
    if (!row) throw notFound('record');
    return { patient: `Patient/${request.params.id}`, person: `Person/${row.person_id}` };
  });

  app.get<{ Params: { id: string } }>('/admin/mpi/Person/:id', async (request, reply) => {
    json(reply);
    return (await personResource(db, request.params.id)) ?? Promise.reject(notFound('person'));
  });

  app.get<{ Params: { id: string } }>('/admin/mpi/Patient/:id', async (request, reply) => {
    json(reply);
    return (await goldenPatient(db, request.params.id)) ?? Promise.reject(notFound('golden patient'));
  });

  app.get<{ Params: { id: string }; Querystring: { _count?: string } }>(
    '/admin/mpi/Person/:id/$everything',
    async (request, reply) => {
      const patientIds = await linkedRecords(db, request.params.id);
      if (patientIds.length === 0) throw notFound('person');
      const count = Math.min(Number(request.query._count ?? 1000) || 1000, 5000);
      const page = await readEverything(db, services.policy, { organization: null }, { patientIds, count });
      json(reply);
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        ...(page.more ? {} : { total: page.rows.length }),
        entry: page.rows.map((r) => ({
          fullUrl: `${services.baseUrl}/${r.type}/${r.id}`,
          resource: JSON.parse(r.content ?? '{}'),
        })),
      };
    },
  );

  app.get<{ Querystring: { status?: string; _count?: string } }>('/admin/mpi/review', async (request) => {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT v.id, v.patient_id, v.candidate_id, v.score, v.reason, v.evidence, v.status, v.created_at,
              a.person_id AS patient_person, b.person_id AS candidate_person
         FROM mpi_review v JOIN mpi_record a ON a.patient_id = v.patient_id JOIN mpi_record b ON b.patient_id = v.candidate_id
        WHERE v.status = $1 ORDER BY v.id LIMIT $2`,
      [request.query.status ?? 'open', Math.min(Number(request.query._count ?? 100) || 100, 1000)],
    );
    return { items: rows.map((r) => ({ ...r, evidence: JSON.parse(String(r.evidence)) })) };
  });

  app.post<{ Params: { id: string; decision: string } }>(
    '/admin/mpi/review/:id/:decision',
    async (request) => {
      const { id, decision } = request.params;
      if (decision !== 'accept' && decision !== 'reject')
        throw FhirError.of(404, 'not-found', `no review action ${decision}`);
      const [item] = await db.query<{ patient_id: string; candidate_id: string; status: string }>(
        'SELECT patient_id, candidate_id, status FROM mpi_review WHERE id = $1',
        [id],
      );
      if (!item) throw notFound('review item');
      if (item.status !== 'open')
        throw FhirError.of(409, 'conflict', `review item ${id} is already ${item.status}`);
      await db.transaction(async (tx) => {
        if (decision === 'accept') {
          const personOf = async (patientId: string) =>
            (
              await tx.query<{ person_id: string }>(
                'SELECT person_id FROM mpi_record WHERE patient_id = $1',
                [patientId],
              )
            )[0]?.person_id;
          const a = await personOf(item.patient_id);
          const b = await personOf(item.candidate_id);
          if (a && b && a !== b) await mergePerson(tx, a, b, actor, `review ${id}`);
        }
        await tx.query(
          'UPDATE mpi_review SET status = $2, decided_at = now(), decided_by = $3 WHERE id = $1',
          [id, decision === 'accept' ? 'accepted' : 'rejected', actor],
        );
        await audit(tx, `review-${decision}`, item.patient_id, null, {
          review: id,
          candidate: item.candidate_id,
          actor,
        });
      });
      return { id, status: decision === 'accept' ? 'accepted' : 'rejected' };
    },
  );

  app.post<{ Params: { id: string } }>('/admin/mpi/records/:id/unlink', async (request) => {
    return db.transaction(async (tx) => {
      const [row] = await tx.query<{ person_id: string }>(
        'SELECT person_id FROM mpi_record WHERE patient_id = $1',
        [request.params.id],
      );
      if (!row) throw notFound('record');
      const person = await newPerson(tx);
      await recordLink(tx, 'unlink', request.params.id, person, row.person_id, 'manual', actor);
      await audit(tx, 'unlink', request.params.id, person, { from: row.person_id, actor });
      return { patient: `Patient/${request.params.id}`, person: `Person/${person}` };
    });
  });

  app.post<{ Params: { id: string }; Body: { into?: string } }>(
    '/admin/mpi/Person/:id/merge',
    async (request) => {
      const into = request.body?.into;
      if (!into) throw FhirError.of(400, 'invalid', 'body must be {"into": "<person id>"}');
      await db.transaction((tx) => mergePerson(tx, request.params.id, into, actor, 'manual'));
      return { merged: request.params.id, into };
    },
  );

  app.post<{ Params: { id: string } }>('/admin/mpi/Person/:id/unmerge', async (request) => {
    const from = request.params.id;
    return db.transaction(async (tx) => {
      const [person] = await tx.query<{ merged_into: string | null }>(
        'SELECT merged_into FROM mpi_person WHERE id = $1',
        [from],
      );
      if (!person?.merged_into) throw FhirError.of(409, 'conflict', `person ${from} is not merged`);
      // the records whose latest link change is the merge out of this person go back
      const moved = await tx.query<{ patient_id: string }>(
        `SELECT h.patient_id FROM mpi_link_history h
          WHERE h.action = 'merge' AND h.previous_person_id = $1
            AND h.seq = (SELECT max(seq) FROM mpi_link_history x WHERE x.patient_id = h.patient_id)`,
        [from],
      );
      for (const { patient_id } of moved)
        await recordLink(tx, 'unmerge', patient_id, from, person.merged_into, 'manual', actor);
      await tx.query('UPDATE mpi_person SET merged_into = NULL WHERE id = $1', [from]);
      await audit(tx, 'unmerge', null, from, { from: person.merged_into, records: moved.length, actor });
      return { person: `Person/${from}`, records: moved.map((m) => `Patient/${m.patient_id}`) };
    });
  });
}
