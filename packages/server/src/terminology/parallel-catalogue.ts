// A large catalogue CSV read on two cores: this thread splits the file into record lines and hands
// chunks to a worker thread (./catalogue-worker.ts), which turns them into encoded concept rows,
// whenever it has started and is not behind; this thread encodes the others itself (so it does not
// wait for the worker's start), then merges them in file order
// (duplicate codes keep their first occurrence, ancestors are computed here, where every parent
// has been seen). The result is what prepareConcepts gives for the same file, except that source
// order numbers skip the rows a duplicate or blank line took. Costs more CPU than one thread
// (the lines are copied to the worker, which starts tsx and compiles its code: ~0.4 s; files read
// one after the other can share one worker, SharedCatalogueWorker).
import { Worker } from 'node:worker_threads';
import type { PreparedConcepts } from './bulk-load.ts';
import { CopyWriter, type EncodedRows, encodeConcepts } from './copy-rows.ts';
import { AncestorIndex } from './hierarchy.ts';
import { catalogueLines } from './loaders/catalogue.ts';
import { csvHeader, csvRecordLines, splitRecord } from './loaders/csv.ts';
import { SortedRows } from './sorted-rows.ts';

/** One chunk of CSV record lines for the worker; its concepts' source order numbers start at firstOrd. */
export interface LinesRequest {
  header: string[];
  lines: string[];
  firstOrd: number;
}

/** Chunks in flight beyond the one being merged (memory stays a few chunks). */
const AHEAD = 4;
/** Chunks queued at the worker before this thread encodes the next one itself. */
const WORKER_QUEUE = 2;

class CatalogueWorker {
  private readonly worker = new Worker(new URL('./catalogue-worker.mjs', import.meta.url));
  private readonly waiting: { resolve(r: EncodedRows): void; reject(e: Error): void }[] = [];
  /** Whether the worker has started (loading tsx and its code takes ~0.4 s). */
  private started = false;

  constructor() {
    this.worker.on('message', (r: EncodedRows | 'ready') => {
      if (r === 'ready') this.started = true;
      else this.waiting.shift()?.resolve(r);
    });
    const fail = (error: Error) => {
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`catalogue worker stopped (exit code ${code})`)));
  }

  /** Whether a chunk given now would be encoded soon: started and not too far behind. */
  get free(): boolean {
    return this.started && this.waiting.length < WORKER_QUEUE;
  }

  encode(request: LinesRequest): Promise<EncodedRows> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(request);
    });
  }

  close = () => this.worker.terminate();
}

/**
 * One catalogue worker for files read one after the other (an importFiles call), started when
 * first needed: each start costs ~0.4 s of CPU.
 */
export class SharedCatalogueWorker {
  private worker: CatalogueWorker | undefined;
  get = () => (this.worker ??= new CatalogueWorker());
  close = async () => {
    await this.worker?.close();
  };
}

export interface ReadOptions {
  /**
   * Whether this thread encodes chunks while the worker is busy or starting (default). If not, the
   * worker encodes every chunk and this thread only splits lines and merges, busy for short spells
   * only: for reading beside another file's COPY, which this thread feeds.
   */
  encodeHere?: boolean;
  /** The worker to use (else one of this file's own). */
  shared?: SharedCatalogueWorker;
}

/** prepareConcepts for a catalogue CSV file, on two threads. */
export async function prepareCsvCatalogue(
  path: string,
  onProgress?: (count: number) => void,
  { encodeHere = true, shared }: ReadOptions = {},
): Promise<PreparedConcepts> {
  const rows = new SortedRows();
  const seen = new Set<string>();
  const hierarchy = new AncestorIndex();
  const pending = new Map<string, number>();
  const w = new CopyWriter();
  const ancestorsField = (ancestors: readonly string[]) => {
    w.reset().textArray(ancestors);
    return w.bytes();
  };
  const merge = (part: EncodedRows) => {
    const block = rows.addBlock(part.bytes);
    let offset = 0;
    for (let i = 0; i < part.codes.length; i++) {
      const code = part.codes[i]!;
      const length = part.lengths[i]!;
      if (!seen.has(code)) {
        seen.add(code);
        const row = rows.addRow(block, offset, length, part.ranks[i]!, code);
        const ancestors = hierarchy.add(code, part.parents[i]!);
        if (ancestors) rows.complete(row, ancestorsField(ancestors));
        else pending.set(code, row);
      }
      offset += length;
    }
    onProgress?.(seen.size);
  };
  const worker = shared?.get() ?? new CatalogueWorker();
  const inFlight: Promise<EncodedRows>[] = [];
  try {
    let header: string[] | undefined;
    let ord = 1;
    for await (const batch of csvRecordLines(path)) {
      if (!header) {
        const first = batch.shift();
        if (first === undefined) continue;
        header = csvHeader(splitRecord(first));
      }
      const request = { header, lines: batch, firstOrd: ord };
      ord += batch.length;
      const encoded =
        worker.free || !encodeHere
          ? worker.encode(request)
          : Promise.resolve(encodeConcepts(catalogueLines(header, batch), request.firstOrd));
      encoded.catch(() => undefined); // awaited in order below
      inFlight.push(encoded);
      while (inFlight.length > AHEAD) merge(await inFlight.shift()!);
    }
    while (inFlight.length > 0) merge(await inFlight.shift()!);
  } finally {
    // A shared worker answers in order: nothing of this file may be left for the next one's.
    if (shared) await Promise.allSettled(inFlight);
    else await worker.close();
  }
  for (const [code, ancestors] of hierarchy.resolvePending()) {
    rows.complete(pending.get(code)!, ancestorsField(ancestors));
  }
  return { rows, count: seen.size };
}
