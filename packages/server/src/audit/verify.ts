// Re-checks every audit chain from the stored rows with node:crypto: streams audit_event in pages
// ordered by (chain, seq), compares each chain's end with its head row, and reports heads whose
// chain has no rows at all. Reads only; never repairs anything.
import type { Queryable } from '../db/database.ts';
import { type Break, ChainVerifier } from './chain.ts';

export interface VerifyReport {
  chains: number;
  events: number;
  /** The first broken link of each broken chain, in chain-key order. */
  breaks: Break[];
}

export interface VerifyOptions {
  /** Rows read per query (default 2000). */
  pageSize?: number;
  /** Called after each page with the totals so far. */
  onProgress?(progress: { chains: number; events: number }): void;
}

interface EventRow {
  chain_key: string;
  seq: number;
  id: string;
  recorded: Date;
  break_glass: boolean;
  content: string;
  hash: Uint8Array;
}

interface HeadRow {
  chain_key: string;
  seq: number;
  hash: Uint8Array;
}

export async function verifyAuditTrail(q: Queryable, options: VerifyOptions = {}): Promise<VerifyReport> {
  const pageSize = options.pageSize ?? 2000;
  const report: VerifyReport = { chains: 0, events: 0, breaks: [] };
  let current: ChainVerifier | undefined;
  let after: [string, number] | undefined;
  for (;;) {
    const rows = await q.query<EventRow>(
      `SELECT chain_key, seq, id, recorded, break_glass, content, hash FROM audit_event
        ${after ? 'WHERE (chain_key, seq) > ($2, $3)' : ''} ORDER BY chain_key, seq LIMIT $1`,
      after ? [pageSize, ...after] : [pageSize],
    );
    const finished: ChainVerifier[] = [];
    for (const row of rows) {
      if (current?.chainKey !== row.chain_key) {
        if (current) finished.push(current);
        current = new ChainVerifier(row.chain_key);
      }
      current.add({
        seq: Number(row.seq),
        content: row.content,
        hash: row.hash,
        id: row.id,
        recorded: row.recorded,
        breakGlass: row.break_glass,
      });
      report.events++;
    }
    const last = rows.at(-1);
    if (!last && current) finished.push(current);
    await finishChains(q, finished, report);
    options.onProgress?.({ chains: report.chains, events: report.events });
    if (!last) break;
    after = [last.chain_key, Number(last.seq)];
  }
  await reportHeadsWithoutRows(q, pageSize, report);
  report.breaks.sort((a, b) => (a.chainKey < b.chainKey ? -1 : a.chainKey > b.chainKey ? 1 : 0));
  return report;
}

async function finishChains(q: Queryable, chains: ChainVerifier[], report: VerifyReport) {
  if (chains.length === 0) return;
  const heads = await q.query<HeadRow>(
    'SELECT chain_key, seq, hash FROM audit_head WHERE chain_key = ANY($1::text[])',
    [chains.map((c) => c.chainKey)],
  );
  const byKey = new Map(heads.map((h) => [h.chain_key, h]));
  for (const chain of chains) {
    const head = byKey.get(chain.chainKey);
    const broken = chain.finish(head && { seq: Number(head.seq), hash: head.hash });
    if (broken) report.breaks.push(broken);
    report.chains++;
  }
}

/** A head whose rows were all deleted: the chain is broken at its first link. */
async function reportHeadsWithoutRows(q: Queryable, pageSize: number, report: VerifyReport) {
  let after = '';
  for (;;) {
    const heads = await q.query<HeadRow>(
      `SELECT chain_key, seq FROM audit_head h
        WHERE chain_key > $1 AND NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.chain_key = h.chain_key)
        ORDER BY chain_key LIMIT $2`,
      [after, pageSize],
    );
    for (const head of heads) {
      report.chains++;
      report.breaks.push({
        chainKey: head.chain_key,
        seq: 1,
        reason: `no link is stored, the head is at ${Number(head.seq)}`,
      });
    }
    const last = heads.at(-1);
    if (!last) return;
    after = last.chain_key;
  }
}
