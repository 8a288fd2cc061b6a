// The store benchmark's result shapes (also the JSON file's) and its two renderings: the text
// tables printed at the end of a run and the Markdown tables for docs/BENCHMARKS.md.
import type { ProfileSummary } from './profile.ts';
import { round, table, type LatencySummary } from './stats.ts';

export type Engine = 'pg' | 'pglite';

export interface CpuUse {
  wallSeconds: number;
  /** CPU seconds of the server process (for PGlite this includes the database) */
  server: number;
  /** CPU seconds of the PostgreSQL backends serving the bench database */
  postgres: number | null;
  /** CPU seconds of this load-generator process */
  client: number;
  /** busy CPU seconds of the whole machine (all processes; 2 cores = 2 s per second) */
  machine: number;
}

export interface IngestResult {
  phase: string;
  clients: number;
  bundles: number;
  resources: number;
  failures: number;
  firstFailure?: string;
  seconds: number;
  resourcesPerSecond: number;
  bundleMs: LatencySummary;
  serverRssMiB: { end: number; peak: number };
  cpu: CpuUse;
  /** CPU milliseconds per stored resource: a throughput measure that other load on the machine disturbs less */
  cpuMsPerResource: { server: number; postgres: number | null };
  storedBefore: number;
}

export interface BaselineResult {
  phase: string;
  connections: number;
  bundles: number;
  resources: number;
  indexRowsPerResource: number;
  seconds: number;
  resourcesPerSecond: number;
  bundleMs: LatencySummary;
  /** `client` is this process: for PGlite that includes the database */
  cpu: CpuUse;
  cpuMsPerResource: { client: number; postgres: number | null };
}

export interface LatencyResult {
  name: string;
  clients: number;
  requests: number;
  failures: number;
  firstFailure?: string;
  seconds: number;
  requestsPerSecond: number;
  ms: LatencySummary;
  serverRssMiB: { end: number; peak: number };
  cpu: CpuUse;
}

export interface EngineResult {
  engine: Engine;
  storedResources: number;
  resourceTypes: Record<string, number>;
  ingest: IngestResult[];
  baseline: BaselineResult[];
  ratios: { phase: string; clients: number; ingest: number; baseline: number; ratio: number }[];
  reads: LatencyResult[];
  everything: (LatencyResult & { patient: string; entries: number }) | null;
  /** $everything on the freshly loaded database, before VACUUM ANALYZE */
  everythingUnanalyzed: LatencyResult | null;
  vacuumSeconds: number;
  /** CHECKPOINT and pg_prewarm of the resource table before the measured reads (PostgreSQL only) */
  prewarmSeconds?: number | null;
  /** how the store grew past the measured ingest phases to its full size */
  fill: { method: 'http' | 'copy' | 'none'; resources: number; copies: number; copySeconds: number | null };
  serverStartRssMiB: number;
  databaseSizeMiB: number | null;
  profile: ProfileSummary | null;
}

/** The latency phases of a run in report order: reads, then $everything after and before ANALYZE. */
const latencyPhases = (r: EngineResult) => [
  ...r.reads,
  ...(r.everything ? [r.everything] : []),
  ...(r.everythingUnanalyzed ? [r.everythingUnanalyzed] : []),
];

export function report(results: EngineResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`\n== ${r.engine === 'pg' ? 'PostgreSQL' : 'PGlite'}: ${r.storedResources} resources stored ==`);
    out.push(
      table(
        [
          'ingest (HTTP, validated, indexed)',
          'clients',
          'stored before',
          'resources',
          'res/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'RSS end/peak MiB',
          'server CPU ms/res',
          'pg CPU ms/res',
          'failed',
        ],
        r.ingest.map((i) => [
          i.phase,
          i.clients,
          i.storedBefore,
          i.resources,
          i.resourcesPerSecond,
          i.bundleMs.p50,
          i.bundleMs.p95,
          i.bundleMs.p99,
          `${i.serverRssMiB.end}/${i.serverRssMiB.peak}`,
          i.cpuMsPerResource.server,
          i.cpuMsPerResource.postgres ?? '-',
          i.failures,
        ]),
      ),
    );
    out.push('');
    out.push(
      table(
        [
          'baseline (raw set-based SQL)',
          'connections',
          'resources',
          'index rows/res',
          'res/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'client CPU ms/res',
          'pg CPU ms/res',
        ],
        r.baseline.map((b) => [
          b.phase,
          b.connections,
          b.resources,
          b.indexRowsPerResource,
          b.resourcesPerSecond,
          b.bundleMs.p50,
          b.bundleMs.p95,
          b.bundleMs.p99,
          b.cpuMsPerResource.client,
          b.cpuMsPerResource.postgres ?? '-',
        ]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['ingest / baseline', 'ingest res/s', 'baseline res/s', 'ratio'],
        r.ratios.map((x) => [x.phase, x.ingest, x.baseline, `${(x.ratio * 100).toFixed(0)} %`]),
      ),
    );
    out.push('');
    const lat = latencyPhases(r);
    out.push(
      table(
        ['latency', 'clients', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'RSS end MiB', 'failed'],
        lat.map((l) => [
          l.name + ('entries' in l ? ` (${l.entries} entries)` : ''),
          l.clients,
          l.requests,
          l.requestsPerSecond,
          l.ms.p50,
          l.ms.p95,
          l.ms.p99,
          l.serverRssMiB.end,
          l.failures,
        ]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['CPU seconds', 'wall', 'server', 'postgres', 'bench client', 'machine busy'],
        [
          ...r.ingest.map((i) => [`${i.phase} ×${i.clients}`, i.cpu] as const),
          ...lat.map((l) => [`${l.name} ×${l.clients}`, l.cpu] as const),
        ].map(([name, c]) => [name, c.wallSeconds, c.server, c.postgres ?? '-', c.client, c.machine]),
      ),
    );
    if (r.databaseSizeMiB !== null) out.push(`\ndatabase size: ${r.databaseSizeMiB} MiB`);
    if (r.fill.method === 'copy') {
      out.push(
        `fill: ${r.fill.resources} resources as ${r.fill.copies} in-database copies of the ingested ones (${r.fill.copySeconds} s)`,
      );
    }
    out.push(`VACUUM ANALYZE after loading (reads ran after it): ${r.vacuumSeconds} s`);
    if (r.prewarmSeconds != null) {
      out.push(
        `CHECKPOINT and pg_prewarm of resource and its indexes before the measured reads: ${r.prewarmSeconds} s`,
      );
    }
    out.push(
      `resource types: ${Object.entries(r.resourceTypes)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
    if (r.profile) {
      out.push(
        `\nserver CPU profile during ingest (${round(r.profile.seconds, 1)} s busy): self time by area`,
      );
      out.push(
        table(
          ['area', 'self s', 'share', 'inclusive share'],
          r.profile.categories.map((c) => {
            const inc = r.profile!.inclusive.find((x) => x.category === c.category);
            return [
              c.category,
              round(c.seconds, 1),
              `${(c.share * 100).toFixed(1)} %`,
              inc ? `${(inc.share * 100).toFixed(1)} %` : '',
            ];
          }),
        ),
      );
      out.push('\nhottest functions (self time)');
      out.push(
        table(
          ['function', 'self s', 'share'],
          r.profile.top.map((t) => [t.fn, round(t.seconds, 1), `${(t.share * 100).toFixed(1)} %`]),
        ),
      );
    }
  }
  return out.join('\n');
}

/** A Markdown table (for docs/BENCHMARKS.md). */
function md(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

const ms = (n: number) => (n >= 100 ? Math.round(n) : n >= 10 ? round(n, 1) : round(n, 2));

/** The Markdown tables of one saved run (`npm run bench:store -- --report bench/out/store-….json`). */
export function markdown(results: EngineResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const name = r.engine === 'pg' ? 'PostgreSQL 15' : 'PGlite 0.5 (in the server process)';
    out.push(`#### ${name}: ${r.storedResources.toLocaleString('en')} resources stored`);
    out.push('');
    out.push(
      md(
        [
          'ingest over HTTP',
          'clients',
          'stored before',
          'resources',
          'resources/s',
          'bundle p50 ms',
          'p95 ms',
          'p99 ms',
          'server RSS end / peak MiB',
          'server CPU ms/resource',
          'PostgreSQL CPU ms/resource',
        ],
        r.ingest.map((i) => [
          i.phase,
          i.clients,
          i.storedBefore.toLocaleString('en'),
          i.resources.toLocaleString('en'),
          `**${i.resourcesPerSecond}**`,
          ms(i.bundleMs.p50),
          ms(i.bundleMs.p95),
          ms(i.bundleMs.p99),
          `${i.serverRssMiB.end} / ${i.serverRssMiB.peak}`,
          i.cpuMsPerResource.server,
          i.cpuMsPerResource.postgres ?? 'in server',
        ]),
      ),
    );
    out.push('');
    out.push(
      md(
        [
          'baseline: raw set-based SQL, same rows',
          'connections',
          'resources',
          'index rows/resource',
          'resources/s',
          'bundle p50 ms',
          'p95 ms',
          'p99 ms',
          'client CPU ms/resource',
          'PostgreSQL CPU ms/resource',
          'ingest / baseline',
        ],
        r.baseline.map((b, i) => [
          b.phase,
          b.connections,
          b.resources.toLocaleString('en'),
          b.indexRowsPerResource,
          b.resourcesPerSecond,
          ms(b.bundleMs.p50),
          ms(b.bundleMs.p95),
          ms(b.bundleMs.p99),
          b.cpuMsPerResource.client,
          b.cpuMsPerResource.postgres ?? 'in client',
          r.ratios[i] ? `**${Math.round(r.ratios[i].ratio * 100)} %**` : '',
        ]),
      ),
    );
    out.push('');
    const lat = latencyPhases(r);
    out.push(
      md(
        ['latency', 'clients', 'requests', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'server RSS MiB'],
        lat.map((l) => [
          l.name + ('entries' in l ? ` (${l.entries} entries)` : ''),
          l.clients,
          l.requests,
          l.requestsPerSecond,
          `**${ms(l.ms.p50)}**`,
          `**${ms(l.ms.p95)}**`,
          ms(l.ms.p99),
          l.serverRssMiB.end,
        ]),
      ),
    );
    out.push('');
    out.push(
      md(
        [
          'CPU seconds in the phase',
          'wall',
          'server',
          'PostgreSQL backends',
          'bench client',
          'whole machine busy',
        ],
        [
          ...r.ingest.map((i) => [`${i.phase} ×${i.clients}`, i.cpu] as const),
          ...r.baseline.map((b) => [`baseline ×${b.connections}`, b.cpu] as const),
          ...lat.map((l) => [`${l.name} ×${l.clients}`, l.cpu] as const),
        ].map(([label, c]) => [
          label,
          c.wallSeconds,
          c.server || '-',
          c.postgres ?? '-',
          c.client,
          c.machine,
        ]),
      ),
    );
  }
  return out.join('\n');
}
