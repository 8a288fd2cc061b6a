// Adapts the fhir package's search-parameter extraction and patient-compartment rules to the
// store's Indexer interface: one extraction per resource serves both.
import { patientCompartment } from '@hoso/fhir/search/compartment';
import { extractIndexRows } from '@hoso/fhir/search/extract';
import type { Indexer } from './store/model.ts';

export const r4Indexer: Indexer = {
  index(resource) {
    const rows = extractIndexRows(resource);
    return { rows, compartment: patientCompartment(resource, rows) };
  },
};
