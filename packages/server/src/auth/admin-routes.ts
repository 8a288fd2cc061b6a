// The accounts and clients administration API under /admin/auth, for administrators only: create
// accounts, reset passwords, lock and unlock, register clients. Answers OperationOutcome errors
// like the rest of /admin; never returns password hashes or stored secrets.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FhirError, notFound } from '../errors.ts';
import { type NewAccount, createAccount, findAccount, setActive, setPassword } from './accounts.ts';
import type { Authenticate } from './authenticate.ts';
import { requireAdmin } from './guard.ts';
import { type NewClient, findClient, registerClient } from './clients.ts';
import type { Database } from '../db/database.ts';

export interface AdminRouteOptions {
  db: Database;
  authenticate: Authenticate;
}

const bodyOf = <T>(request: FastifyRequest): T => {
  if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
    throw FhirError.of(400, 'invalid', 'the body must be a JSON object');
  }
  return request.body as T;
};

type IdParams = { Params: { id: string } };

export async function adminAuthRoutes(app: FastifyInstance, { db, authenticate }: AdminRouteOptions) {
  app.addHook('preHandler', requireAdmin(authenticate, 'manage accounts and clients'));

  app.post('/admin/auth/accounts', async (request, reply) =>
    reply.code(201).send(await createAccount(db, bodyOf<NewAccount>(request))),
  );

  app.get<IdParams>('/admin/auth/accounts/:id', async (request) => {
    const found = await findAccount(db, request.params.id);
    if (!found) throw notFound('no such account');
    return found;
  });

  app.post<IdParams>('/admin/auth/accounts/:id/password', async (request, reply) => {
    const { password } = bodyOf<{ password: string }>(request);
    if (!(await setPassword(db, request.params.id, password))) throw notFound('no such account');
    return reply.code(204).send();
  });

  for (const [action, active] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<IdParams>(`/admin/auth/accounts/:id/${action}`, async (request, reply) => {
      if (!(await setActive(db, request.params.id, active))) throw notFound('no such account');
      return reply.code(204).send();
    });
  }

  app.post('/admin/auth/clients', async (request, reply) => {
    const { client, secret } = await registerClient(db, bodyOf<NewClient>(request));
    return reply.code(201).send({ ...client, ...(secret ? { secret } : {}) });
  });

  app.get<IdParams>('/admin/auth/clients/:id', async (request) => {
    const found = await findClient(db, request.params.id);
    if (!found) throw notFound('no such client');
    return found;
  });
}
