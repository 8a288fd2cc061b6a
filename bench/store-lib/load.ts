// The load generator: N concurrent clients, each with its own keep-alive connection to 127.0.0.1,
// taking request numbers from one shared counter; per-request latency from first byte sent to the
// last byte of the response read. Progress goes to stderr every few seconds.
import http from 'node:http';

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: Buffer;
}

export interface LoadOptions {
  base: string;
  label: string;
  count: number;
  clients: number;
  request: (i: number) => RequestSpec;
  /** the `Authorization` header value for each request */
  authorization: () => string;
  /** work units (resources) a successful request counts for; default 1 */
  units?: (i: number) => number;
  /** returns an error message when a response is wrong */
  check?: (i: number, status: number, body: Buffer) => string | undefined;
  /** extra text for the progress line (e.g. server RSS) */
  status?: () => string;
  progressEverySeconds?: number;
}

export interface LoadResult {
  requests: number;
  failures: number;
  firstFailure?: string;
  seconds: number;
  units: number;
  latencies: number[];
}

function send(
  agent: http.Agent,
  url: URL,
  spec: RequestSpec,
  authorization: string,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { accept: 'application/fhir+json', authorization };
    if (spec.body) {
      headers['content-type'] = 'application/fhir+json';
      headers['content-length'] = spec.body.length;
      headers.prefer = 'return=minimal';
    }
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: spec.method,
        path: url.pathname + spec.path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(spec.body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.base.endsWith('/') ? options.base : `${options.base}/`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let units = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const every = (options.progressEverySeconds ?? 5) * 1000;
  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    const done = latencies.length;
    const pct = ((100 * next) / options.count).toFixed(0);
    process.stderr.write(
      `  [${options.label}] ${done}/${options.count} requests (${pct} %), ${units} resources, ` +
        `${(units / s).toFixed(0)}/s, ${(done / s).toFixed(0)} req/s, ${failures} failed` +
        `${options.status ? `, ${options.status()}` : ''}\n`,
    );
  }, every);
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= options.count) return;
      const spec = options.request(i);
      const t0 = performance.now();
      let problem: string | undefined;
      try {
        const { status, body } = await send(agent, url, spec, options.authorization());
        latencies.push(performance.now() - t0);
        problem =
          status >= 200 && status < 300
            ? options.check?.(i, status, body)
            : `HTTP ${status}: ${body.toString('utf8').slice(0, 600)}`;
      } catch (err) {
        latencies.push(performance.now() - t0);
        problem = (err as Error).message;
      }
      if (problem) {
        failures++;
        firstFailure ??= `${spec.method} ${spec.path}: ${problem}`;
      } else units += options.units?.(i) ?? 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    clearInterval(progress);
    agent.destroy();
  }
  return {
    requests: latencies.length,
    failures,
    ...(firstFailure ? { firstFailure } : {}),
    seconds: (performance.now() - started) / 1000,
    units,
    latencies,
  };
}
