// Worker side of parallel NDJSON generation (parallel.ts): builds the population once, then turns
// each requested block (the facilities, or a range of people) into NDJSON text per resource type
// and truth.csv lines, and sends them back. Holds one block at a time; writes nothing itself.
import { parentPort, workerData } from 'node:worker_threads';
import { generatePopulation } from './population.ts';
import { loadGeography } from './geography-files.ts';
import { truthLine } from './files.ts';
import type { BlockRequest, BlockResult, WorkerSetup } from './parallel.ts';
import type { Output } from './types.ts';

const setup = workerData as WorkerSetup;
const population = generatePopulation({
  ...setup.options,
  geography: setup.sharedGeography ? loadGeography() : undefined,
});

function serialise(seq: number, outputs: Iterable<Output>): BlockResult {
  const types = new Map<string, string[]>();
  const truth: string[] = [];
  const result: BlockResult = { seq, types: [], truth: '', persons: 0, resources: 0, truthRows: 0 };
  for (const output of outputs) {
    if (output.kind === 'resource') {
      let lines = types.get(output.resource.resourceType);
      if (!lines) types.set(output.resource.resourceType, (lines = []));
      lines.push(JSON.stringify(output.resource));
      result.resources++;
    } else if (output.kind === 'truth') {
      truth.push(truthLine(output.row));
      result.truthRows++;
    } else {
      result.persons++;
    }
  }
  result.types = [...types].map(([type, lines]) => [type, lines.join('\n') + '\n']);
  result.truth = truth.join('');
  return result;
}

parentPort?.on('message', (request: BlockRequest) => {
  const outputs =
    request.from < 0 ? population.facilityOutputs() : population.peopleOutputs(request.from, request.to);
  parentPort?.postMessage(serialise(request.seq, outputs));
});
