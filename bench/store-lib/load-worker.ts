// Runs the load generator (load.ts) in a worker thread for bench/store-profile.ts, so the server in
// the main thread is profiled without the client's work on its event loop or in its profile.
import { parentPort, workerData } from 'node:worker_threads';
import { runLoad } from './load.ts';

export interface LoadWorkerInput {
  base: string;
  authorization: string;
  clients: number;
  bodies: Uint8Array[];
  sizes: number[];
  label: string;
}

const input = workerData as LoadWorkerInput;
const bodies = input.bodies.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const result = await runLoad({
  base: input.base,
  label: input.label,
  count: input.bodies.length,
  clients: input.clients,
  request: (i) => ({ method: 'POST', path: '', body: bodies[i]! }),
  authorization: () => input.authorization,
  units: (i) => input.sizes[i]!,
});
parentPort!.postMessage(result);
