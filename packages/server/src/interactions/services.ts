// What the interaction layer needs from the rest of the server, passed in explicitly so each
// piece (validator, indexer, policy, search parameters) can be replaced and tested on its own.
import type { Database, Queryable } from '../db/database.ts';
import type { AuditInteraction, TouchedResource } from '../audit/event.ts';
import type { Issue } from '../errors.ts';
import type { SearchParamRegistry } from '../search/model.ts';
import type { AccessPolicy, Indexer, Resource } from '../store/model.ts';

export interface ValidationResult {
  /** Structure, type, cardinality, format, binding and invariant problems: answered with 400. */
  structural: Issue[];
  /** Business-rule problems (e.g. Vietnamese rules): answered with 422. */
  business: Issue[];
}

/** Where database-reading checks look: the write's transaction and the rest of its Bundle. */
export interface ValidationContext {
  db: Queryable;
  batch: readonly Resource[];
}

export interface ResourceValidator {
  validate(resource: unknown, context?: ValidationContext): Promise<ValidationResult>;
}

export interface Services {
  db: Database;
  policy: AccessPolicy;
  indexer: Indexer;
  validator: ResourceValidator;
  searchParams: SearchParamRegistry;
  isResourceType(name: string): boolean;
  /** Absolute FHIR base URL without a trailing slash, e.g. http://localhost:8080/fhir. */
  baseUrl: string;
  capabilityStatement(): Resource;
}

/** The outcome of one interaction, independent of HTTP: becomes a response or a Bundle entry. */
export interface InteractionResult {
  status: number;
  resource?: Resource;
  location?: string;
  etag?: string;
  lastModified?: string;
  /** What the interaction read or wrote, for the audit trail; absent when it touched no stored data. */
  access?: Access;
}

/** The resources an interaction touched and whose records they are in. */
export interface Access {
  interaction: AuditInteraction;
  touched: TouchedResource[];
  /** Patients the request concerned even if nothing of theirs came back (the target of $everything). */
  patients?: string[];
}
