// Types shared by the store's modules: stored resources, write operations and the plug-in points
// (indexing, access policy). Types only: no behaviour lives here.
import type { IndexRows } from '@hoso/fhir/search/index-rows';
import type { Principal } from '../auth/principal.ts';
import type { Queryable } from '../db/database.ts';
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

/** Who is asking and on whose behalf. */
export interface AccessContext {
  /** The facility (Organization id) recording writes made in this request, when known. */
  organization: string | null;
  /** A verified caller, or `internal` for the server's own work (seeding, patient-index linking). */
  principal: Principal | 'internal';
  /**
   * The part of the caller's credential check that may still be pending (the token's grant must not
   * be revoked), when the request goes on beside it. Nothing may be answered, recorded or committed
   * for the caller before it is confirmed.
   */
  credential?: CredentialCheck;
}

/** The revocation half of a token check: one lookup of the token's grant, made once per request. */
export interface CredentialCheck {
  /** The grant the token was issued under. */
  readonly grantId: string;
  /**
   * Resolves once the grant is known not to be revoked; rejects with a 401 FhirError otherwise.
   * Starts the lookup unless it is running or a statement checked the grant already (`settle`).
   */
  confirmed(): Promise<void>;
  /** Adopts the outcome of a check made inside another statement, if no lookup has started. */
  settle(outcome: Promise<void>): void;
  /** Whether a lookup has started or an outcome was adopted. */
  readonly started: boolean;
}

/** A write as the store is about to apply it: what exists now and whose record the new content joins. */
export interface PlannedWrite {
  op: WriteOp;
  /** The current row (possibly a deletion marker), if the resource ever existed. */
  existing?: { organization: string | null; compartment: string[]; deleted: boolean };
  /** The Patient ids the new content belongs to (empty for deletes). */
  compartment: string[];
}

/**
 * The single point where authorization plugs in. Reads: SQL conditions over a `resource`-shaped row
 * (columns type, id, compartment, organization, category) that every query ANDs in. Writes: a check
 * of the whole planned batch inside its transaction, and a hook that keeps the policy's own data
 * (consent and referral grants) in step with what was written, in the same transaction.
 */
export interface AccessPolicy {
  /**
   * The conditions on rows of `alias` the caller may see. `rows` says how many rows the query tests
   * them on — one (a read by id or version) or a set — so the policy can pick the form that is
   * cheaper for it; both forms select the same rows.
   */
  readConditions(ctx: AccessContext, alias: string, rows?: 'one' | 'set'): Sql[];
  /** Throws a FhirError (403) when the caller may not make one of these writes. */
  checkWrites(tx: Queryable, ctx: AccessContext, writes: readonly PlannedWrite[]): Promise<void>;
  afterWrites(tx: Queryable, ctx: AccessContext, written: readonly WriteResult[]): Promise<void>;
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
  /** The Patient ids whose compartment the written (or deleted) version is in. */
  compartment: string[];
}

export interface StoredVersion {
  type: string;
  id: string;
  version: number;
  lastUpdated: string;
  deleted: boolean;
  method: string;
  content: string | null;
  /** The Patient ids whose compartment holds this version (for the audit trail). */
  compartment: string[];
}
