// Shapes shared by the terminology service: concepts as loaders produce them and as the concept
// tables return them. Types only; no logic and no I/O.

export interface Designation {
  language?: string;
  use?: { system?: string; code?: string; display?: string };
  value: string;
}

/** A concept property in FHIR form: { code, valueCode | valueString | valueBoolean | … }. */
export type ConceptProperty = { code: string } & Record<string, unknown>;

/** One concept as a loader yields it; parents name codes of the same code system. */
export interface ConceptInput {
  code: string;
  display?: string;
  definition?: string;
  designations?: Designation[];
  parents?: string[];
  properties?: ConceptProperty[];
  abstract?: boolean;
  inactive?: boolean;
  /** Use frequency: higher ranks first in type-ahead among equally good matches. */
  weight?: number;
}

/** A code system's header: the CodeSystem resource without its concepts. */
export interface CodeSystemHeader {
  url: string;
  version: string;
  content: string;
  caseSensitive: boolean;
  resource: Record<string, unknown>;
}

/** A stored code system version. */
export interface CodeSystemRow {
  id: number;
  url: string;
  version: string;
  content: string;
  caseSensitive: boolean;
  resource: Record<string, unknown>;
  conceptCount: number;
}

/** A stored concept. */
export interface ConceptRow {
  cs: number;
  code: string;
  display: string | null;
  definition: string | null;
  designations: Designation[];
  parents: string[];
  ancestors: string[];
  abstract: boolean;
  inactive: boolean;
  properties: ConceptProperty[];
}
