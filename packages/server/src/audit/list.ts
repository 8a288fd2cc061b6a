// Reads AuditEvents back for the API: one page of a search restricted to the chains a caller may
// see, and one event by id. Every query carries that restriction; nothing here decides it.
import type { Queryable } from '../db/database.ts';
import { type Sql, and, raw, sql } from '../db/sql.ts';
import type { AuditSearch, DateFilter, PageCursor } from './search.ts';

/** Facility Patient ids whose events may be shown, or every chain (patients' and clients'). */
export type Visible = readonly string[] | 'all';

export interface AuditPage {
  events: { id: string; content: string }[];
  /** The last row of the page when another page follows. */
  next: PageCursor | undefined;
  /** Counted only for `_count=0`. */
  total: number | undefined;
}

const chainKeys = (patients: readonly string[]) => patients.map((p) => `Patient/${p}`);

/** The chains to read: the asked patients within the visible ones; none asked: all visible. */
function chainCondition(asked: string[] | undefined, visible: Visible): Sql | undefined | 'none' {
  const patients =
    visible === 'all' ? asked : asked === undefined ? visible : asked.filter((p) => visible.includes(p));
  if (patients === undefined) return undefined;
  if (patients.length === 0) return 'none';
  return sql`chain_key = ANY(${chainKeys(patients)}::text[])`;
}

function dateCondition({ prefix, start, end }: DateFilter): Sql {
  const lo = sql`${start}::timestamptz`;
  const hi = sql`${end}::timestamptz`;
  switch (prefix) {
    case 'eq':
      return sql`recorded BETWEEN ${lo} AND ${hi}`;
    case 'ne':
      return sql`recorded NOT BETWEEN ${lo} AND ${hi}`;
    case 'gt':
    case 'sa':
      return sql`recorded > ${hi}`;
    case 'lt':
    case 'eb':
      return sql`recorded < ${lo}`;
    case 'ge':
      return sql`recorded >= ${lo}`;
    case 'le':
      return sql`recorded <= ${hi}`;
  }
}

export async function searchAuditEvents(
  q: Queryable,
  search: AuditSearch,
  visible: Visible,
): Promise<AuditPage> {
  const chains = chainCondition(search.patients, visible);
  if (chains === 'none') return { events: [], next: undefined, total: search.count === 0 ? 0 : undefined };
  const conditions = [...(chains ? [chains] : []), ...search.dates.map(dateCondition)];
  if (search.count === 0) {
    const { text, params } = sql`SELECT count(*) AS n FROM audit_event WHERE ${and(conditions)}`.render();
    const [row] = await q.query<{ n: number }>(text, params);
    return { events: [], next: undefined, total: Number(row?.n ?? 0) };
  }
  const dir = raw(search.descending ? 'DESC' : 'ASC');
  if (search.cursor) {
    const after = sql`(${search.cursor.recorded}::timestamptz, ${search.cursor.id})`;
    conditions.push(search.descending ? sql`(recorded, id) < ${after}` : sql`(recorded, id) > ${after}`);
  }
  const { text, params } = sql`SELECT id, recorded, content FROM audit_event WHERE ${and(conditions)}
    ORDER BY recorded ${dir}, id ${dir} LIMIT ${search.count + 1}`.render();
  const rows = await q.query<{ id: string; recorded: Date; content: string }>(text, params);
  const page = rows.slice(0, search.count);
  const last = page.at(-1);
  return {
    events: page.map(({ id, content }) => ({ id, content })),
    next:
      rows.length > search.count && last ? { recorded: last.recorded.toISOString(), id: last.id } : undefined,
    total: undefined,
  };
}

/** The event with this id if it is in a visible chain. */
export async function readAuditEvent(
  q: Queryable,
  id: string,
  visible: Visible,
): Promise<string | undefined> {
  const [row] = await q.query<{ chain_key: string; content: string }>(
    'SELECT chain_key, content FROM audit_event WHERE id = $1',
    [id],
  );
  if (!row) return undefined;
  if (visible !== 'all' && !chainKeys(visible).includes(row.chain_key)) return undefined;
  return row.content;
}
