// Routes a read-side request (GET, or POST _search) to its interaction: capabilities, read, vread,
// search, history and the read operations.
import type { Queryable } from '../db/database.ts';
import { FhirError, badRequest } from '../errors.ts';
import { personRead } from '../mpi/fhir-read.ts';
import type { AccessContext } from '../store/model.ts';
import { terminologyGet } from '../terminology/routes.ts';
import { everything, history, read, search, vread } from './read.ts';
import type { ParsedUrl } from './route.ts';
import type { InteractionResult, Services } from './services.ts';

export async function dispatchRead(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  url: ParsedUrl,
  strict: boolean,
): Promise<InteractionResult> {
  const person = await personRead(services, db, ctx, url); // the patient index's Person and golden Patient
  if (person) return person;
  const { route, query } = url;
  switch (route.kind) {
    case 'metadata':
      return { status: 200, resource: services.capabilityStatement() };
    case 'type':
    case 'search-post':
      return search(services, db, ctx, route.type, query, strict);
    case 'instance':
      return read(services, db, ctx, route.type, route.id);
    case 'version':
      return vread(services, db, ctx, route.type, route.id, route.version);
    case 'system-history':
    case 'type-history':
    case 'instance-history':
      return history(services, db, ctx, route, query);
    case 'instance-operation': {
      if (route.type === 'Patient' && route.operation === 'everything') {
        return everything(services, db, ctx, route.id, query);
      }
      const terminology = await terminologyGet(db, route, query);
      if (terminology) return terminology;
      throw FhirError.of(
        404,
        'not-supported',
        `operation $${route.operation} is not supported on ${route.type}/{id} with GET`,
      );
    }
    case 'type-operation': {
      const terminology = await terminologyGet(db, route, query);
      if (terminology) return terminology;
      throw FhirError.of(
        404,
        'not-supported',
        `operation $${route.operation} is not supported on ${route.type} with GET`,
      );
    }
    case 'system':
      throw badRequest('searching all resource types is not supported; name a resource type');
  }
}
