// Runs a generation into its destination: NDJSON files, a bundle file or a FHIR server, plus the
// truth file, reporting progress as it goes. The edge between the pure generator and the sinks;
// awaits only when a sink asks it to (backpressure), so it runs at the generator's speed.
import { generatePopulation, type GenerateOptions } from './population.ts';
import { BundleFileSink, NdjsonSink, TruthFile, type ResourceSink } from './files.ts';
import { PostSink } from './post.ts';

export type Destination =
  | { kind: 'ndjson'; dir: string }
  | { kind: 'bundles'; dir: string }
  | { kind: 'post'; url: string; dir?: string; concurrency?: number };

export interface Progress {
  persons: number;
  resources: number;
  truthRows: number;
}

export interface RunResult extends Progress {
  /** files written (resource files and truth.csv) */
  files: string[];
}

function sinkFor(destination: Destination): ResourceSink {
  switch (destination.kind) {
    case 'ndjson':
      return new NdjsonSink(destination.dir);
    case 'bundles':
      return new BundleFileSink(destination.dir);
    case 'post':
      return new PostSink(destination.url, destination.concurrency);
  }
}

/** how many persons between progress reports */
const REPORT_EVERY = 100;

export async function runGeneration(
  options: GenerateOptions,
  destination: Destination,
  onProgress?: (progress: Progress) => void,
): Promise<RunResult> {
  const population = generatePopulation(options);
  const sink = sinkFor(destination);
  const truth = destination.dir === undefined ? undefined : new TruthFile(destination.dir);
  const progress: Progress = { persons: 0, resources: 0, truthRows: 0 };
  try {
    for (const output of population.outputs) {
      let wait: Promise<void> | undefined;
      if (output.kind === 'resource') {
        progress.resources++;
        wait = sink.write(output.resource);
      } else if (output.kind === 'truth') {
        progress.truthRows++;
        wait = truth?.write(output.row);
      } else {
        progress.persons++;
        if (onProgress && progress.persons % REPORT_EVERY === 0) onProgress(progress);
      }
      if (wait) await wait;
    }
  } finally {
    await Promise.all([sink.close(), truth?.close()]);
  }
  onProgress?.(progress);
  return { ...progress, files: [...sink.files, ...(truth ? [truth.path] : [])] };
}
