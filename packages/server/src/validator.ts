// Adapts the fhir package's R4 validator to the interaction layer's ResourceValidator, and
// re-exports the resource-type list the router needs. Asynchronous checks (terminology, Vietnamese
// business rules) are added here as they arrive.
import { isResourceType, resourceTypes } from '@hoso/fhir/definitions';
import { validateResourceAsync } from '@hoso/fhir/validator';
import type { ResourceValidator } from './interactions/services.ts';

export { isResourceType, resourceTypes };

export const r4Validator: ResourceValidator = {
  validate: (resource) => validateResourceAsync(resource, []),
};
