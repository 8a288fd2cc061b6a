// NDJSON generation on several CPU cores: worker threads (parallel-worker.ts) generate and
// serialise blocks of people, this thread writes the blocks in order, so the files are
// byte-identical to a single-threaded run. A bounded window of blocks in flight keeps memory flat.
import { Worker } from 'node:worker_threads';
import { NdjsonSink, TruthFile } from './files.ts';
import type { GenerateOptions } from './population.ts';
import type { Progress, RunResult } from './run.ts';

export interface WorkerSetup {
  options: Omit<GenerateOptions, 'geography'>;
  /** load the communes from the shared data folder (else the built-in ones) */
  sharedGeography: boolean;
}

/** from < 0: the facility resources */
export interface BlockRequest {
  seq: number;
  from: number;
  to: number;
}

export interface BlockResult extends Progress {
  seq: number;
  /** NDJSON text per resource type, in order of first appearance */
  types: [string, string][];
  truth: string;
}

export const BLOCK_SIZE = 200;
/** blocks in flight per worker */
const WINDOW = 3;

interface Pool {
  workers: Worker[];
  /** per worker, the resolvers of its outstanding blocks, oldest first (a worker answers in order) */
  waiting: { resolve(r: BlockResult): void; reject(e: Error): void }[][];
}

function startPool(setup: WorkerSetup, size: number): Pool {
  const pool: Pool = { workers: [], waiting: [] };
  for (let i = 0; i < size; i++) {
    const worker = new Worker(new URL('./parallel-worker.mjs', import.meta.url), { workerData: setup });
    const waiting: Pool['waiting'][number] = [];
    worker.on('message', (result: BlockResult) => waiting.shift()?.resolve(result));
    worker.on('error', (error) => {
      for (const w of waiting.splice(0)) w.reject(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`generator worker stopped (exit code ${code})`);
      for (const w of waiting.splice(0)) w.reject(error);
    });
    pool.workers.push(worker);
    pool.waiting.push(waiting);
  }
  return pool;
}

function request(pool: Pool, block: BlockRequest): Promise<BlockResult> {
  const i = block.seq % pool.workers.length;
  return new Promise((resolve, reject) => {
    (pool.waiting[i] as Pool['waiting'][number]).push({ resolve, reject });
    (pool.workers[i] as Worker).postMessage(block);
  });
}

export async function runParallelNdjson(
  setup: WorkerSetup,
  dir: string,
  workers: number,
  onProgress?: (progress: Progress) => void,
): Promise<RunResult> {
  const blocks: BlockRequest[] = [{ seq: 0, from: -1, to: 0 }];
  for (let from = 0; from < setup.options.patients; from += BLOCK_SIZE) {
    blocks.push({ seq: blocks.length, from, to: from + BLOCK_SIZE });
  }
  const pool = startPool(setup, workers);
  const sink = new NdjsonSink(dir);
  const truth = new TruthFile(dir);
  const progress: Progress = { persons: 0, resources: 0, truthRows: 0 };
  const inFlight: Promise<BlockResult>[] = [];
  try {
    let next = 0;
    for (const block of blocks) {
      while (next < blocks.length && next < block.seq + workers * WINDOW) {
        const pending = request(pool, blocks[next++] as BlockRequest);
        pending.catch(() => undefined); // awaited below, in order
        inFlight.push(pending);
      }
      const result = await (inFlight.shift() as Promise<BlockResult>);
      for (const [type, text] of result.types) await sink.writeText(type, text);
      await truth.writeText(result.truth);
      progress.persons += result.persons;
      progress.resources += result.resources;
      progress.truthRows += result.truthRows;
      onProgress?.(progress);
    }
  } finally {
    await Promise.all(pool.workers.map((w) => w.terminate()));
    await Promise.all([sink.close(), truth.close()]);
  }
  return { ...progress, files: [...sink.files, truth.path] };
}
