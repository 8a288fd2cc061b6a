// Builds the CapabilityStatement from what this server actually implements: every R4 resource
// type with the same interactions, the search parameters the search compiler supports, and the
// operations that are routed. Pure: computed once at start.
import { SUPPORTED_SEARCH_TYPES, SUPPORTED_SPECIAL, type SearchParamRegistry } from './search/model.ts';
import type { Resource } from './store/model.ts';

const TYPE_INTERACTIONS = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
];

const referenceParams = (searchParams: SearchParamRegistry, type: string) =>
  searchParams
    .list(type)
    .filter((p) => p.type === 'reference')
    .map((p) => p.code);

export function capabilityStatement(
  resourceTypes: readonly string[],
  searchParams: SearchParamRegistry,
  baseUrl: string,
  version: string,
): Resource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'Hồ Sơ', version },
    implementation: { description: 'Hồ Sơ shared health record — FHIR R4 server', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        resource: resourceTypes.map((type) => ({
          type,
          interaction: TYPE_INTERACTIONS.map((code) => ({ code })),
          versioning: 'versioned',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalRead: 'not-supported',
          conditionalUpdate: true,
          conditionalDelete: 'single',
          searchParam: searchParams
            .list(type)
            .filter((p) =>
              p.type === 'special' ? SUPPORTED_SPECIAL.has(p.code) : SUPPORTED_SEARCH_TYPES.has(p.type),
            )
            .map((p) => ({ name: p.code, type: p.type })),
          searchInclude: ['*', ...referenceParams(searchParams, type).map((code) => `${type}:${code}`)],
          searchRevInclude: ['*'],
          operation: [
            { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
            ...(type === 'Patient'
              ? [
                  {
                    name: 'everything',
                    definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                  },
                ]
              : []),
          ],
        })),
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
      },
    ],
  };
}
