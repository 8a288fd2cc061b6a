// Adapts the fhir package's R4 validator to the interaction layer's ResourceValidator, with the
// asynchronous checks that need the database (terminology codes, Vietnamese business rules), and
// re-exports the resource-type list the router needs.
import { isResourceType, resourceTypes } from '@hoso/fhir/definitions';
import { validateResourceAsync } from '@hoso/fhir/validator';
import type { Queryable } from './db/database.ts';
import type { ResourceValidator } from './interactions/services.ts';
import { terminologyChecks } from './terminology/checks.ts';

export { isResourceType, resourceTypes };

/** The R4 validator plus the checks that read `db` (or the write's transaction, when given). */
export function createValidator(db: Queryable): ResourceValidator {
  return {
    validate: (resource, context) =>
      validateResourceAsync(
        resource,
        terminologyChecks({ db: context?.db ?? db, batch: context?.batch ?? [] }),
      ),
  };
}
