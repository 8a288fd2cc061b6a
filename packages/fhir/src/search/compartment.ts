// Patient-compartment membership from the R4 Patient CompartmentDefinition: the ids of the Patients
// a resource belongs to, read from the same reference rows that extraction produces (so the
// compartment and the `patient`/`subject` indexes never disagree). Only local `Patient/<id>`
// references count; a Patient is in its own compartment. Pure: no I/O, no SQL.

import { PATIENT_COMPARTMENT } from './definitions.generated.ts';
import { extractIndexRows, type IndexableResource } from './extract.ts';
import type { IndexRows } from './index-rows.ts';

/** The search parameters that put a resource of this type in a Patient's compartment. */
export function patientCompartmentParams(resourceType: string): readonly string[] {
  return PATIENT_COMPARTMENT[resourceType] ?? [];
}

/**
 * The sorted, distinct Patient ids whose compartment `resource` belongs to. Pass the rows already
 * extracted from this resource to avoid extracting twice.
 */
export function patientCompartment(resource: IndexableResource, rows?: IndexRows): string[] {
  const ids = new Set<string>();
  if (resource.resourceType === 'Patient' && typeof resource.id === 'string' && resource.id !== '')
    ids.add(resource.id);
  const params = patientCompartmentParams(resource.resourceType);
  if (params.length > 0) {
    const references = (rows ?? extractIndexRows(resource)).reference;
    for (const r of references) {
      if (r.targetType === 'Patient' && r.targetId !== null && params.includes(r.param)) ids.add(r.targetId);
    }
  }
  return [...ids].sort();
}
