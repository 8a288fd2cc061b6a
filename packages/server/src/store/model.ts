// Types shared by the store's modules: stored resources, write operations and the plug-in points
// (indexing, access policy). Types only: no behaviour lives here.
import type { IndexRows } from '@hoso/fhir/search/index-rows';
import type { Sql } from '../db/sql.ts';

export interface Meta {
  versionId?: string;
  lastUpdated?: string;
  [key: string]: unknown;
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Meta;
  [key: string]: unknown;
}

/** What the store needs to know about a resource beyond its JSON: search rows and compartment. */
export interface Indexer {
  index(resource: Resource): { rows: IndexRows; compartment: string[] };
}

/** Who is asking and on whose behalf; grows with authorization (scopes, role, facility). */
export interface AccessContext {
  /** The facility (Organization id) recording writes made in this request, when known. */
  organization: string | null;
}

/**
 * The single point where authorization plugs in: SQL conditions over a `resource`-shaped row
 * (columns type, id, compartment, organization, category) that every query ANDs in.
 */
export interface AccessPolicy {
  readConditions(ctx: AccessContext, alias: string): Sql[];
  /** Throws a FhirError when the caller may not write this resource. */
  checkWrite(ctx: AccessContext, resource: Resource, action: WriteAction): void;
}

export type WriteAction = 'create' | 'update' | 'delete';

export interface WriteOp {
  action: WriteAction;
  type: string;
  id: string;
  /** The new content for create/update (id set; meta.versionId/lastUpdated are assigned on write). */
  resource?: Resource;
  /** If-Match: the version the client last saw; a mismatch fails with 412. */
  ifMatch?: number;
}

export interface WriteResult {
  action: WriteAction | 'noop';
  type: string;
  id: string;
  version: number;
  lastUpdated: string;
  /** The stored content (absent for deletes). */
  resource?: Resource;
  created: boolean;
}

export interface StoredVersion {
  type: string;
  id: string;
  version: number;
  lastUpdated: string;
  deleted: boolean;
  method: string;
  content: string | null;
}
