// Sends the generated resources to a running FHIR server: transaction Bundles POSTed to the base
// URL with a bounded number of requests in flight. Stops at the first failure with a message
// naming the bundle, the HTTP status and the server's diagnostics. The only network code here.
import { toBundle, DEFAULT_BUNDLE_SIZE } from './bundles.ts';
import type { ResourceSink } from './files.ts';
import type { Resource } from './types.ts';

export const DEFAULT_CONCURRENCY = 4;

export class PostSink implements ResourceSink {
  readonly files: string[] = [];
  private batch: Resource[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;
  private sent = 0;
  private queued = 0;

  constructor(
    private readonly url: string,
    private readonly concurrency = DEFAULT_CONCURRENCY,
    private readonly size = DEFAULT_BUNDLE_SIZE,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** number of bundles the server accepted */
  get bundles(): number {
    return this.sent;
  }

  write(resource: Resource): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.batch.push(resource);
    if (this.batch.length < this.size) return undefined;
    return this.send();
  }

  private send(): Promise<void> | undefined {
    const body = JSON.stringify(toBundle(this.batch));
    const number = ++this.queued;
    this.batch = [];
    const request = this.post(body, number).then(
      () => {
        this.sent++;
        this.inFlight.delete(request);
      },
      (error: unknown) => {
        this.inFlight.delete(request);
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      },
    );
    this.inFlight.add(request);
    if (this.inFlight.size < this.concurrency) return undefined;
    return Promise.race(this.inFlight).then(() => {
      if (this.failure) throw this.failure;
    });
  }

  private async post(body: string, number: number): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/fhir+json',
          accept: 'application/fhir+json',
          ...this.headers,
        },
        body,
      });
    } catch (error) {
      throw new Error(`POST ${this.url} (bundle ${number}) failed: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const text = await response.text();
      let detail = text.slice(0, 500);
      try {
        const outcome = JSON.parse(text) as {
          issue?: { diagnostics?: string; details?: { text?: string } }[];
        };
        const issues = outcome.issue?.map((i) => i.diagnostics ?? i.details?.text).filter(Boolean);
        if (issues && issues.length > 0) detail = issues.join('; ');
      } catch {
        // not JSON: keep the raw text
      }
      throw new Error(`POST ${this.url} (bundle ${number}) was rejected: HTTP ${response.status} ${detail}`);
    }
    await response.arrayBuffer();
  }

  async close(): Promise<void> {
    if (this.batch.length > 0 && !this.failure) this.send();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }
}
