// Reads of single resources and their versions, with the access policy's conditions applied.
// A resource the caller may not see reads exactly like one that does not exist.
import type { Queryable } from '../db/database.ts';
import { preparedShape } from '../db/prepared.ts';
import { and, raw, sql } from '../db/sql.ts';
import type { AccessContext, AccessPolicy, StoredVersion } from './model.ts';

export interface ReadDeps {
  db: Queryable;
  policy: AccessPolicy;
}

export interface VersionRow {
  type: string;
  id: string;
  version: number;
  last_updated: Date;
  deleted: boolean;
  method: string;
  content: string | null;
  compartment: string[];
}

export const toStoredVersion = (r: VersionRow): StoredVersion => ({
  type: r.type,
  id: r.id,
  version: r.version,
  lastUpdated: r.last_updated.toISOString(),
  deleted: r.deleted,
  method: r.method,
  content: r.content,
  compartment: r.compartment,
});

/**
 * The content of the version in history row `h`. The history row of a resource's current version
 * holds none: that JSON is stored once, in the `resource` row, and copied into the history row when
 * a later version supersedes it (store/write.ts). Rows written before that rule hold their own copy.
 */
export const historyContent = (h: string) =>
  raw(`coalesce(${h}.content, (SELECT hc.content FROM resource hc
     WHERE hc.type = ${h}.type AND hc.id = ${h}.id AND hc.version = ${h}.version))`);

/** Reads one row; the statement's shape is prepared (its text varies only with the caller's kind). */
async function one(deps: ReadDeps, query: ReturnType<typeof sql>): Promise<StoredVersion | undefined> {
  const { text, params } = query.render();
  const rows = await deps.db.query<VersionRow>(preparedShape(text), params);
  return rows[0] && toStoredVersion(rows[0]);
}

/** The query of the current row (a VersionRow) of Type/id the caller may see. */
export function currentRow(
  policy: AccessPolicy,
  ctx: AccessContext,
  type: string,
  id: string,
  forUpdate = false,
) {
  const visible = and(policy.readConditions(ctx, 'r', 'one'));
  return sql`SELECT r.type, r.id, r.version, r.last_updated, r.deleted, 'current' AS method, r.content, r.compartment
          FROM resource r WHERE r.type = ${type} AND r.id = ${id} AND ${visible}${raw(forUpdate ? ' FOR UPDATE' : '')}`;
}

/**
 * The current version (possibly a deletion marker) of Type/id, or undefined. `forUpdate` locks the
 * row until the caller's transaction ends (read-modify-write such as PATCH).
 */
export const readCurrent = (
  deps: ReadDeps,
  ctx: AccessContext,
  type: string,
  id: string,
  forUpdate = false,
) => one(deps, currentRow(deps.policy, ctx, type, id, forUpdate));

/** One historical version of Type/id, or undefined. */
export function readVersion(deps: ReadDeps, ctx: AccessContext, type: string, id: string, version: number) {
  const visible = and(deps.policy.readConditions(ctx, 'r', 'one'));
  return one(
    deps,
    sql`SELECT r.type, r.id, r.version, r.last_updated, r.deleted, r.method, ${historyContent('r')} AS content, r.compartment
          FROM resource_history r WHERE r.type = ${type} AND r.id = ${id} AND r.version = ${version} AND ${visible}`,
  );
}
