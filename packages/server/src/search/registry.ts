// The SearchParameters of every R4 resource type, looked up by (type, code), from the definitions
// the fhir package derives from the specification. Built once at start.
import { SEARCH_PARAMETERS } from '@hoso/fhir/search/definitions.generated';
import type { SearchParamDef, SearchParamRegistry } from './model.ts';

export function r4SearchParams(): SearchParamRegistry {
  const common = (SEARCH_PARAMETERS.Resource ?? []).map(([code, type]) => ({ code, type }));
  const byType = new Map<string, Map<string, SearchParamDef>>();
  for (const [type, defs] of Object.entries(SEARCH_PARAMETERS)) {
    if (type === 'Resource' || type === 'DomainResource') continue;
    const map = new Map<string, SearchParamDef>(common.map((d) => [d.code, d]));
    for (const [code, kind] of defs) map.set(code, { code, type: kind });
    byType.set(type, map);
  }
  const commonMap = new Map(common.map((d) => [d.code, d]));
  return {
    get: (type, code) => (byType.get(type) ?? commonMap).get(code),
    list: (type) => [...(byType.get(type) ?? commonMap).values()],
  };
}
