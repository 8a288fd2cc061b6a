// Adapts the fhir package's R4 validator to the interaction layer's ResourceValidator, with the
// asynchronous checks that need the database (terminology codes, Vietnamese business rules), and
// re-exports the resource-type list the router needs.
import { isResourceType, resourceTypes } from '@hoso/fhir/definitions';
import { type AsyncCheck, validateResourceAsync } from '@hoso/fhir/validator';
import type { Queryable } from './db/database.ts';
import type { ResourceValidator } from './interactions/services.ts';
import { type CheckContext, terminologyChecks } from './terminology/checks.ts';

export { isResourceType, resourceTypes };

/**
 * The R4 validator plus the checks that read `db` (or the write's transaction, when given). The
 * checks are made once per context, so one write's resources share their look-ups.
 */
export function createValidator(db: Queryable): ResourceValidator {
  const checksFor = new WeakMap<object, AsyncCheck[]>();
  const outside = terminologyChecks({ db, batch: [], database: db });
  const checks = (context: Omit<CheckContext, 'database'> | undefined) => {
    if (!context) return outside;
    let found = checksFor.get(context);
    if (!found) checksFor.set(context, (found = terminologyChecks({ ...context, database: db })));
    return found;
  };
  return { validate: (resource, context) => validateResourceAsync(resource, checks(context)) };
}
