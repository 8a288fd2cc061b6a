// The patient index's admin API under /admin/mpi, in one plugin so one preHandler can guard it
// (JSON; documented in docs/MPI.md): processing the outbox, a record's person and link history, the review queue
// (accept / reject), manual unlink, merge and unmerge, and re-estimating the weights ($estimate).
// Every manual action writes link history and an audit row in the same transaction. The Person
// and golden Patient views are FHIR reads (fhir-read.ts). Registering it loads the old-ward →
// commune mapping from the shared reference data when that is present.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { loadAdminUnits } from '@hoso/vn/admin-units-loader';
import type { Queryable } from '../db/database.ts';
import { FhirError } from '../errors.ts';
import type { Services } from '../interactions/services.ts';
import { useFeatureOptions } from './config.ts';
import { DEFAULT_MAX_RECORDS, EstimateRefused, MAX_RECORDS, startEstimate } from './estimate.ts';
import { audit, newPerson, recordLink } from './history.ts';
import { processOutbox } from './linker.ts';
import { linkedRecords } from './person.ts';

const notFound = (what: string) => FhirError.of(404, 'not-found', `${what} not found`);

async function mergePerson(tx: Queryable, from: string, into: string, actor: string, reason: string) {
  if (from === into) throw FhirError.of(400, 'invalid', 'a person cannot be merged into itself');
  const persons = await tx.query<{ id: string }>('SELECT id FROM mpi_person WHERE id = ANY($1::text[])', [
    [from, into],
  ]);
  if (persons.length !== 2) throw notFound('person');
  for (const patientId of await linkedRecords(tx, from))
    await recordLink(tx, 'merge', patientId, into, from, reason, actor);
  await tx.query('UPDATE mpi_person SET merged_into = $2 WHERE id = $1', [from, into]);
  await audit(tx, 'merge', null, into, { from, into, reason, actor });
}

export interface MpiOptions {
  /** poll the outbox this often (ms) and link new Patients; 0 turns automatic linking off */
  linkEveryMs?: number;
  /** the shared reference data folder (HOSO_SHARED_DATA): old wards are mapped to communes when it has them */
  sharedData?: string;
}

/** Old ward codes → current communes, from the shared reference data when it is there. */
function loadWardMapping(services: Services, sharedData: string | undefined): void {
  if (!sharedData || !existsSync(join(sharedData, 'vn-admin-units'))) return;
  const units = loadAdminUnits(sharedData);
  useFeatureOptions(services.db, {
    communesOfLegacyWard: (code) => units.currentCommunesOfLegacyWard(code).map((c) => c.commune.code),
  });
}

export async function mpiRoutes(
  app: FastifyInstance,
  {
    services,
    guard,
    linkEveryMs = 1000,
    sharedData,
  }: MpiOptions & { services: Services; guard: preHandlerAsyncHookHandler },
) {
  app.addHook('preHandler', guard);
  const db = services.db;
  loadWardMapping(services, sharedData);
  const estimates = new Set<Promise<void>>();
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
  app.addHook('onClose', async () => {
    await Promise.all(estimates);
  });
  const actor = 'admin'; // until authorisation exists

  app.post('/admin/mpi/$process', async () => ({ processed: await drain() }));

  app.get<{ Params: { id: string } }>('/admin/mpi/records/:id', async (request) => {
    const [row] = await db.query<{ person_id: string }>(
      'SELECT person_id FROM mpi_record WHERE patient_id = $1',
      [request.params.id],
    );
    if (!row) throw notFound('record');
    return { patient: `Patient/${request.params.id}`, person: `Person/${row.person_id}` };
  });

  app.get<{ Params: { id: string } }>('/admin/mpi/records/:id/history', async (request) => {
    const rows = await db.query(
      `SELECT seq::text AS seq, at, action, person_id, previous_person_id, reason, actor
         FROM mpi_link_history WHERE patient_id = $1 ORDER BY seq`,
      [request.params.id],
    );
    if (rows.length === 0) throw notFound('record');
    return { items: rows };
  });

  app.get<{ Querystring: { status?: string; _count?: string } }>('/admin/mpi/review', async (request) => {
    const count = request.query._count ?? '100';
    if (!/^\d{1,4}$/u.test(count) || Number(count) < 1 || Number(count) > 1000)
      throw FhirError.of(400, 'invalid', `_count must be an integer from 1 to 1000, got "${count}"`);
    const rows = await db.query<Record<string, unknown>>(
      `SELECT v.id, v.patient_id, v.candidate_id, v.score, v.reason, v.evidence, v.status, v.created_at,
              a.person_id AS patient_person, b.person_id AS candidate_person
         FROM mpi_review v LEFT JOIN mpi_record a ON a.patient_id = v.patient_id
              LEFT JOIN mpi_record b ON b.patient_id = v.candidate_id
        WHERE v.status = $1 ORDER BY v.id LIMIT $2`,
      [request.query.status ?? 'open', Number(count)],
    );
    return { items: rows.map((r) => ({ ...r, evidence: JSON.parse(String(r.evidence)) })) };
  });

  app.post<{ Params: { id: string; decision: string } }>(
    '/admin/mpi/review/:id/:decision',
    async (request) => {
      const { id, decision } = request.params;
      if (decision !== 'accept' && decision !== 'reject')
        throw FhirError.of(404, 'not-found', `no review action ${decision}`);
      if (!/^\d{1,18}$/u.test(id)) throw notFound('review item');
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

  app.post<{ Querystring: { maxRecords?: string } }>('/admin/mpi/$estimate', async (request, reply) => {
    const raw = request.query.maxRecords ?? String(DEFAULT_MAX_RECORDS);
    const maxRecords = Number(raw);
    if (!/^\d{1,7}$/u.test(raw) || maxRecords < 1 || maxRecords > MAX_RECORDS)
      throw FhirError.of(
        400,
        'invalid',
        `maxRecords must be an integer from 1 to ${MAX_RECORDS}, got "${raw}"`,
      );
    const started = await startEstimate(db, maxRecords, actor).catch((error: unknown) => {
      if (error instanceof EstimateRefused) throw FhirError.of(409, 'conflict', error.message);
      throw error;
    });
    estimates.add(started.done);
    void started.done.finally(() => estimates.delete(started.done));
    const location = `/admin/mpi/estimates/${started.id}`;
    return reply.code(202).header('location', location).send({ id: started.id, status: 'running', location });
  });

  app.get<{ Params: { id: string } }>('/admin/mpi/estimates/:id', async (request) => {
    if (!/^\d{1,18}$/u.test(request.params.id)) throw notFound('estimate');
    const [row] = await db.query<Record<string, unknown> & { parameters: string | null }>(
      `SELECT id::text AS id, status, phase, done::int AS done, total::int AS total, pairs::int AS pairs,
              started_at, finished_at, error, actor, parameters
         FROM mpi_estimate WHERE id = $1`,
      [request.params.id],
    );
    if (!row) throw notFound('estimate');
    return { ...row, parameters: row.parameters === null ? null : JSON.parse(row.parameters) };
  });
}
