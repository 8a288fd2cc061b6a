// Applies a JSON Patch (RFC 6902) to a resource with fast-json-patch, mapping its failures to
// FHIR errors: a malformed patch is 400, a failed `test` operation 422. Pure.
import jsonpatch from 'fast-json-patch';
import { FhirError, badRequest } from '../errors.ts';
import type { Resource } from '../store/model.ts';

export function applyJsonPatch(resource: Resource, patch: unknown): Resource {
  if (!Array.isArray(patch)) throw badRequest('a JSON Patch document must be an array of operations');
  const problem = jsonpatch.validate(patch as jsonpatch.Operation[], resource);
  if (problem) {
    if (problem.name === 'TEST_OPERATION_FAILED') {
      throw FhirError.of(422, 'processing', `JSON Patch test failed at operation ${Number(problem.index)}`);
    }
    throw badRequest(`JSON Patch operation ${Number(problem.index)} is invalid: ${problem.name}`);
  }
  try {
    const result = jsonpatch.applyPatch(
      structuredClone(resource),
      patch as jsonpatch.Operation[],
      true,
      true,
      true,
    ).newDocument as Resource;
    if (result?.resourceType !== resource.resourceType || result.id !== resource.id) {
      throw badRequest('a patch must not change resourceType or id');
    }
    return result;
  } catch (err) {
    if (err instanceof FhirError) throw err;
    throw badRequest(`JSON Patch could not be applied: ${(err as Error).name}`);
  }
}
