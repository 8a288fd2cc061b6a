// The patient index's read-only FHIR views under /fhir, for dispatch-read: `Person/{person id}`,
// `Patient/{person id}` (the golden Patient) and `Patient/{person id}/$everything` across every
// facility record linked to the person. It answers only for ids of mpi_person and returns
// undefined for everything else, so ordinary reads are untouched; it never writes.
import type { Queryable } from '../db/database.ts';
import { FhirError } from '../errors.ts';
import { everythingOf } from '../interactions/read.ts';
import type { ParsedUrl } from '../interactions/route.ts';
import type { InteractionResult, Services } from '../interactions/services.ts';
import type { AccessContext } from '../store/model.ts';
import { goldenPatient, linkedRecords, personResource } from './person.ts';

/** Person ids are UUIDs (mpi_person); other ids skip the lookup. */
const PERSON_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

function personRoute({
  route,
}: ParsedUrl): { id: string; view: 'Person' | 'Patient' | 'everything' } | undefined {
  if (route.kind === 'instance' && (route.type === 'Person' || route.type === 'Patient'))
    return { id: route.id, view: route.type };
  if (route.kind === 'instance-operation' && route.type === 'Patient' && route.operation === 'everything')
    return { id: route.id, view: 'everything' };
  return undefined;
}

async function isPerson(db: Queryable, id: string): Promise<boolean> {
  if (!PERSON_ID.test(id)) return false;
  return (await db.query('SELECT 1 FROM mpi_person WHERE id = $1', [id])).length > 0;
}

export async function personRead(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  url: ParsedUrl,
): Promise<InteractionResult | undefined> {
  const target = personRoute(url);
  if (!target || !(await isPerson(db, target.id))) return undefined;
  if (target.view === 'Person') return { status: 200, resource: (await personResource(db, target.id))! };
  if (target.view === 'Patient') {
    const golden = await goldenPatient(db, target.id);
    if (!golden) throw FhirError.of(404, 'not-found', `person ${target.id} has no linked records`);
    return { status: 200, resource: golden };
  }
  const records = await linkedRecords(db, target.id);
  if (records.length === 0) throw FhirError.of(404, 'not-found', `person ${target.id} has no linked records`);
  return everythingOf(services, db, ctx, records, `Patient/${target.id}/$everything`, url.query);
}
