// A preHandler that lets only administrators through, for the admin APIs (/admin/auth, /admin/mpi):
// a missing or bad token is a 401, any other caller a 403. Decides nothing about FHIR data access
// (that is the access policy's job).
import type { FastifyRequest } from 'fastify';
import { FhirError } from '../errors.ts';
import type { Authenticate } from './authenticate.ts';

export function requireAdmin(authenticate: Authenticate, what: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = await authenticate(request);
    if (principal.kind !== 'admin') throw FhirError.of(403, 'forbidden', `only an administrator may ${what}`);
  };
}
