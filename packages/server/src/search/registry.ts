// The SearchParameters of every R4 resource type, looked up by (type, code), from the definitions
// the fhir package derives from the specification, plus the special `_text` and `_content`.
// Built once at start.
import { SEARCH_PARAMETERS } from '@hoso/fhir/search/definitions.generated';
import type { SearchParamDef, SearchParamRegistry } from './model.ts';

const SPECIAL: SearchParamDef[] = [
  { code: '_id', type: 'token' },
  { code: '_lastUpdated', type: 'date' },
  { code: '_text', type: 'special' },
  { code: '_content', type: 'special' },
];

export function r4SearchParams(): SearchParamRegistry {
  const common: SearchParamDef[] = [
    ...SPECIAL,
    ...(SEARCH_PARAMETERS.Resource ?? []).map(([code, type]) => ({ code, type })),
  ];
  const byType = new Map<string, Map<string, SearchParamDef>>();
  const typesByCode = new Map<string, string[]>();
  for (const [type, defs] of Object.entries(SEARCH_PARAMETERS)) {
    if (type === 'Resource' || type === 'DomainResource') continue;
    const map = new Map<string, SearchParamDef>(common.map((d) => [d.code, d]));
    for (const [code, kind, , components] of defs) {
      map.set(code, {
        code,
        type: kind,
        ...(components ? { components: components.map(([c, t]) => ({ code: c, type: t })) } : {}),
      });
    }
    byType.set(type, map);
    for (const code of map.keys()) typesByCode.set(code, [...(typesByCode.get(code) ?? []), type]);
  }
  const commonMap = new Map(common.map((d) => [d.code, d]));
  return {
    get: (type, code) => (byType.get(type) ?? commonMap).get(code),
    list: (type) => [...(byType.get(type) ?? commonMap).values()],
    typesWith: (code) => typesByCode.get(code) ?? [],
  };
}
