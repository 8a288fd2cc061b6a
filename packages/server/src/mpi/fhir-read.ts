// The patient index's read-only FHIR views under /fhir, for dispatch-read: `Person/{person id}`,
// `Patient/{person id}` (the golden Patient) and `Patient/{person id}/$everything` across every
// facility record linked to the person. It answers only for ids of mpi_person and returns
// undefined for everything else, so ordinary reads are untouched; it never writes. A person exists
// for a caller only through a facility record the access policy shows them; reads are audited.
import type { Queryable } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { FhirError } from '../errors.ts';
import { everythingOf } from '../interactions/read.ts';
import type { ParsedUrl } from '../interactions/route.ts';
import type { InteractionResult, Services } from '../interactions/services.ts';
import type { AccessContext } from '../store/model.ts';
import { sql } from '../db/sql.ts';
import { visibility } from '../search/visibility.ts';
import { goldenPatient, personResource } from './person.ts';

/** Person ids are UUIDs (mpi_person); other ids skip the lookup. */
const PERSON_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

/** Whether `Type/id` could name one of the patient index's views (so mpi_person must be asked). */
export const mayBePersonRead = (type: string, id: string) =>
  (type === 'Person' || type === 'Patient') && PERSON_ID.test(id);

function personRoute({
  route,
}: ParsedUrl): { id: string; view: 'Person' | 'Patient' | 'everything' } | undefined {
  if (route.kind === 'instance' && (route.type === 'Person' || route.type === 'Patient'))
    return { id: route.id, view: route.type };
  if (route.kind === 'instance-operation' && route.type === 'Patient' && route.operation === 'everything')
    return { id: route.id, view: 'everything' };
  return undefined;
}

/**
 * The person's facility records the caller may see: a person (and their golden record) exists for a
 * caller only through a record the access policy shows them, so nobody learns of a person otherwise.
 */
async function visibleRecords(services: Services, db: Queryable, ctx: AccessContext, personId: string) {
  const { text, params } = sql`SELECT r.id FROM resource r JOIN mpi_record m ON m.patient_id = r.id
     WHERE m.person_id = ${personId} AND r.type = 'Patient'
       AND ${visibility(services.policy, ctx)('r')}
     ORDER BY r.id`.render();
  return (await db.query<{ id: string }>(text, params)).map((r) => r.id);
}

const IS_PERSON = prepared('is_person', 'SELECT 1 FROM mpi_person WHERE id = $1');

async function isPerson(db: Queryable, id: string): Promise<boolean> {
  if (!PERSON_ID.test(id)) return false;
  return (await db.query(IS_PERSON, [id])).length > 0;
}

export async function personRead(
  services: Services,
  db: Queryable,
  ctx: AccessContext,
  url: ParsedUrl,
): Promise<InteractionResult | undefined> {
  const target = personRoute(url);
  if (!target || !(await isPerson(db, target.id))) return undefined;
  const records = await visibleRecords(services, db, ctx, target.id);
  if (records.length === 0)
    throw FhirError.of(
      404,
      'not-found',
      `${target.view === 'Person' ? 'Person' : 'Patient'}/${target.id} is not known`,
    );
  const access = {
    interaction: 'read' as const,
    touched: [
      { reference: `${target.view === 'Person' ? 'Person' : 'Patient'}/${target.id}`, patients: records },
    ],
  };
  if (target.view === 'Person') {
    return { status: 200, resource: (await personResource(db, target.id))!, access };
  }
  if (target.view === 'Patient') {
    const golden = await goldenPatient(db, target.id);
    if (!golden) throw FhirError.of(404, 'not-found', `person ${target.id} has no linked records`);
    return { status: 200, resource: golden, access };
  }
  return everythingOf(services, db, ctx, records, `Patient/${target.id}/$everything`, url.query);
}
