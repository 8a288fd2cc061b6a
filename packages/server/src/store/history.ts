// History queries at instance, type and system level, newest first, keyset-paged by the change
// sequence, with the access policy's conditions applied.
import type { Queryable } from '../db/database.ts';
import { and, raw, sql } from '../db/sql.ts';
import type { AccessContext, AccessPolicy, StoredVersion } from './model.ts';
import { historyContent, toStoredVersion } from './read.ts';

export interface HistoryQuery {
  type?: string;
  id?: string;
  since?: string;
  count: number;
  /** The change sequence number to continue below. */
  before?: number;
}

export async function readHistory(
  db: Queryable,
  policy: AccessPolicy,
  ctx: AccessContext,
  q: HistoryQuery,
): Promise<{ versions: StoredVersion[]; nextBefore: number | undefined }> {
  const where = and([
    q.type !== undefined ? sql`r.type = ${q.type}` : raw('TRUE'),
    q.id !== undefined ? sql`r.id = ${q.id}` : raw('TRUE'),
    q.since !== undefined ? sql`r.last_updated >= ${q.since}::timestamptz` : raw('TRUE'),
    q.before !== undefined ? sql`r.seq < ${q.before}` : raw('TRUE'),
    ...policy.readConditions(ctx, 'r'),
  ]);
  const { text, params } =
    sql`SELECT r.type, r.id, r.version, r.seq, r.last_updated, r.deleted, r.method, ${historyContent('r')} AS content, r.compartment
    FROM resource_history r WHERE ${where} ORDER BY r.seq DESC LIMIT ${q.count + 1}`.render();
  const rows = await db.query<Parameters<typeof toStoredVersion>[0] & { seq: number | string }>(text, params);
  const more = rows.length > q.count;
  if (more) rows.pop();
  const last = rows.at(-1);
  return { versions: rows.map(toStoredVersion), nextBefore: more && last ? Number(last.seq) : undefined };
}
