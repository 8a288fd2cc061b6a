// `hoso audit verify`: recomputes every audit hash chain in the configured database and prints
// what it checked and the first broken link of each broken chain; exit code 1 on any break. Only
// parses options, opens the database (refusing a PGlite folder a running server holds) and
// reports; the checking lives in @hoso/server/audit/verify. Never changes the trail.
import { parseArgs } from 'node:util';
import { verifyAuditTrail } from '@hoso/server/audit/verify';
import type { Command } from './commands.ts';
import { openConfiguredDatabase } from './configured-database.ts';

const USAGE = `usage: hoso audit verify [--database-url URL] [--data-dir DIR] [--page-size N]

  Recomputes every audit chain (one per patient, and one per client for other data) with
  node:crypto and compares it with the stored hashes and chain heads. Prints the chains and
  events checked and, for each broken chain, its key and the first broken sequence number.
  Exit code 0: every chain holds; 1: a chain is broken (or the database cannot be read).

  --database-url URL   PostgreSQL (default: HOSO_DATABASE_URL)
  --data-dir DIR       the PGlite folder when no URL is given (default: HOSO_DATA_DIR or ./data;
                       stop the server first)
  --page-size N        rows read per query (default 2000)`;

/** Progress on stderr: rewritten in place on a terminal, a line every 10 s otherwise. */
function progressReporter(): (p: { chains: number; events: number }) => void {
  const started = performance.now();
  let shown = started;
  return ({ chains, events }) => {
    const now = performance.now();
    const every = process.stderr.isTTY ? 250 : 10_000;
    if (now - shown < every) return;
    shown = now;
    const rate = Math.round(events / ((now - started) / 1000));
    const text = `verifying: ${events.toLocaleString('en')} events in ${chains.toLocaleString('en')} chains (${rate.toLocaleString('en')}/s)`;
    process.stderr.write(process.stderr.isTTY ? `\r${text}   ` : `${text}\n`);
  };
}

export const auditCommand: Command = {
  summary: 'verify the audit trail: recompute every per-patient hash chain (exit 1 on a break)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        'page-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const pageSize = Number(values['page-size'] ?? 2000);
    if (values.help || positionals[0] !== 'verify' || positionals.length > 1 || !(pageSize >= 1)) {
      console.log(USAGE);
      process.exitCode = values.help ? 0 : 2;
      return;
    }
    const opened = await openConfiguredDatabase(values, 'verify');
    if (!opened) return;
    try {
      const started = performance.now();
      const report = await verifyAuditTrail(opened.db, { pageSize, onProgress: progressReporter() });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `audit trail in ${opened.description}: ${report.chains.toLocaleString('en')} chains, ${report.events.toLocaleString('en')} events checked in ${seconds} s`,
      );
      for (const b of report.breaks) console.log(`BROKEN ${b.chainKey} at sequence ${b.seq}: ${b.reason}`);
      if (report.breaks.length > 0) {
        console.log(`${report.breaks.length} broken chain${report.breaks.length === 1 ? '' : 's'}`);
        process.exitCode = 1;
      } else console.log('every chain holds');
    } catch (err) {
      console.error(`hoso: ${(err as Error).message}`);
      process.exitCode = 1;
    } finally {
      await opened.close();
    }
  },
};
