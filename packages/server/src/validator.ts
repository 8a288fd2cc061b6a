// Adapts the fhir package's R4 validator to the interaction layer's ResourceValidator, and
// re-exports the resource-type list the router needs.
import { isResourceType, resourceTypes } from '@hoso/fhir/definitions';
import type { ResourceValidator } from './interactions/services.ts';

export { isResourceType, resourceTypes };

export const r4Validator: ResourceValidator = {
  async validate(resource) {
    const type = (resource as { resourceType?: unknown }).resourceType;
    const structural =
      typeof type === 'string' && isResourceType(type)
        ? []
        : [
            {
              severity: 'error' as const,
              code: 'structure',
              diagnostics: `unknown resourceType "${String(type)}"`,
            },
          ];
    return { structural, business: [] };
  },
};
