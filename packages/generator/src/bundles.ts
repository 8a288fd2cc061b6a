// Groups a stream of resources into FHIR transaction Bundles of a fixed size, each entry a PUT of
// the resource at its own id (idempotent: posting the same bundle twice changes nothing). The
// stream's order is kept, so resources are always sent after the ones they reference. Pure.
import type { Bundle, Resource } from './types.ts';

export const DEFAULT_BUNDLE_SIZE = 25;

export function toBundle(resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({
      fullUrl: `urn:uuid:${resource.id}`,
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    })),
  };
}

export function* transactionBundles(
  resources: Iterable<Resource>,
  size = DEFAULT_BUNDLE_SIZE,
): Generator<Bundle> {
  let batch: Resource[] = [];
  for (const resource of resources) {
    batch.push(resource);
    if (batch.length >= size) {
      yield toBundle(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield toBundle(batch);
}
