// Routes terminology operations (CodeSystem $lookup/$validate-code/$subsumes, ValueSet
// $expand/$validate-code, ConceptMap $translate; type and instance level; GET and POST) to
// ./operations.ts. Returns undefined for any other operation so the caller can route it.
import type { Queryable } from '../db/database.ts';
import { FhirError, badRequest, notFound } from '../errors.ts';
import type { Route } from '../interactions/route.ts';
import type { InteractionResult } from '../interactions/services.ts';
import type { Resource } from '../store/model.ts';
import { findCodeSystemById } from './concept-store.ts';
import {
  expand,
  lookup,
  subsumes,
  translate,
  validateCodeInCodeSystem,
  validateCodeInValueSet,
} from './operations.ts';
import { OperationInput } from './parameters.ts';
import { type Json, findValueSet, findValueSetById } from './value-sets.ts';

type OperationRoute = Extract<Route, { kind: 'type-operation' | 'instance-operation' }>;

const OPERATIONS: Record<string, string[]> = {
  CodeSystem: ['lookup', 'validate-code', 'subsumes'],
  ValueSet: ['expand', 'validate-code'],
  ConceptMap: ['translate'],
};

export const isTerminologyOperation = (route: OperationRoute) =>
  OPERATIONS[route.type]?.includes(route.operation) === true;

async function codeSystemOf(db: Queryable, route: OperationRoute) {
  if (route.kind === 'type-operation') return undefined;
  const cs = await findCodeSystemById(db, route.id);
  if (!cs) throw notFound(`CodeSystem/${route.id} is not loaded on this server`);
  return cs;
}

async function valueSetOf(db: Queryable, route: OperationRoute, input: OperationInput): Promise<Json> {
  if (route.kind === 'instance-operation') return findValueSetById(db, route.id);
  const posted = input.resource('valueSet');
  if (posted) return posted;
  const url = input.string('url');
  if (!url) throw badRequest(`ValueSet/$${route.operation} needs a url or a valueSet parameter`);
  const [u, v] = url.split('|');
  const vs = await findValueSet(db, u!, input.string('valueSetVersion') ?? v);
  if (!vs) throw FhirError.of(404, 'not-found', `value set ${url} is not known to this server`);
  return vs;
}

async function conceptMapId(db: Queryable, route: OperationRoute): Promise<number | undefined> {
  if (route.kind === 'type-operation') return undefined;
  const rows = await db.query<{ id: number }>(
    "SELECT id FROM tx_concept_map WHERE resource::jsonb ->> 'id' = $1 ORDER BY id DESC LIMIT 1",
    [route.id],
  );
  if (!rows[0]) throw notFound(`ConceptMap/${route.id} is not loaded on this server`);
  return rows[0].id;
}

async function run(db: Queryable, route: OperationRoute, input: OperationInput): Promise<Json> {
  switch (`${route.type}/${route.operation}`) {
    case 'CodeSystem/lookup':
      return lookup(db, input, await codeSystemOf(db, route));
    case 'CodeSystem/validate-code':
      return validateCodeInCodeSystem(db, input, await codeSystemOf(db, route));
    case 'CodeSystem/subsumes':
      return subsumes(db, input, await codeSystemOf(db, route));
    case 'ValueSet/expand':
      return expand(db, await valueSetOf(db, route, input), input);
    case 'ValueSet/validate-code':
      return validateCodeInValueSet(db, await valueSetOf(db, route, input), input);
    default:
      return translate(db, input, await conceptMapId(db, route));
  }
}

/** Runs a terminology operation from a GET query, or undefined if the route is not one. */
export async function terminologyGet(
  db: Queryable,
  route: OperationRoute,
  query: URLSearchParams,
): Promise<InteractionResult | undefined> {
  if (!isTerminologyOperation(route)) return undefined;
  return { status: 200, resource: (await run(db, route, OperationInput.fromQuery(query))) as Resource };
}

/** Runs a terminology operation from a POST (Parameters or form body), or undefined if not one. */
export async function terminologyPost(
  db: Queryable,
  route: OperationRoute,
  query: URLSearchParams,
  body: unknown,
): Promise<InteractionResult | undefined> {
  if (!isTerminologyOperation(route)) return undefined;
  return { status: 200, resource: (await run(db, route, OperationInput.fromBody(body, query))) as Resource };
}
