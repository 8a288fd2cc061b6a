// FHIR CodeSystem resources as concept streams: flattens the nested concept tree into parents,
// maps parent/inactive/status/notSelectable properties to columns, keeps designations and the rest
// of the properties. Pure.
import type { CodeSystemHeader, ConceptInput, ConceptProperty, Designation } from '../model.ts';

type Json = Record<string, unknown>;

interface FhirConcept {
  code: string;
  display?: string;
  definition?: string;
  designation?: Designation[];
  property?: ConceptProperty[];
  concept?: FhirConcept[];
}

export function codeSystemHeader(cs: Json): CodeSystemHeader {
  if (typeof cs.url !== 'string') throw new Error('a CodeSystem to import needs a url');
  const { concept: _concept, text: _text, ...resource } = cs;
  return {
    url: cs.url,
    version: typeof cs.version === 'string' ? cs.version : '',
    content: typeof cs.content === 'string' ? cs.content : 'complete',
    caseSensitive: cs.caseSensitive !== false,
    resource,
  };
}

const valueOf = (p: ConceptProperty) => Object.entries(p).find(([k]) => k.startsWith('value'))?.[1];

export function* codeSystemConcepts(cs: Json): Generator<ConceptInput> {
  const stack: [FhirConcept, string | undefined][] = ((cs.concept as FhirConcept[] | undefined) ?? [])
    .map((c) => [c, undefined] as [FhirConcept, string | undefined])
    .reverse();
  while (stack.length > 0) {
    const [c, parent] = stack.pop()!;
    const parents = parent ? [parent] : [];
    const properties: ConceptProperty[] = [];
    let inactive = false;
    let abstract = false;
    for (const p of c.property ?? []) {
      const v = valueOf(p);
      if (p.code === 'parent' && typeof v === 'string') parents.push(v);
      else if (p.code === 'inactive' && v === true) inactive = true;
      else if (p.code === 'status' && (v === 'retired' || v === 'inactive')) inactive = true;
      else if (p.code === 'notSelectable' && v === true) abstract = true;
      if (p.code !== 'parent') properties.push(p);
    }
    yield {
      code: c.code,
      ...(c.display !== undefined ? { display: c.display } : {}),
      ...(typeof c.definition === 'string' ? { definition: c.definition } : {}),
      ...(c.designation?.length ? { designations: c.designation } : {}),
      parents,
      ...(properties.length ? { properties } : {}),
      inactive,
      abstract,
    };
    for (const child of [...(c.concept ?? [])].reverse()) stack.push([child, c.code]);
  }
}
