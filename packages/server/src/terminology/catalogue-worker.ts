// Worker side of reading a large catalogue CSV on two cores (./parallel-catalogue.ts): says when it
// has started, then turns each batch of CSV record lines into encoded concept rows and sends them
// back, the buffers transferred.
import { parentPort } from 'node:worker_threads';
import { encodeConcepts } from './copy-rows.ts';
import { catalogueLines } from './loaders/catalogue.ts';
import type { LinesRequest } from './parallel-catalogue.ts';

parentPort!.on('message', ({ header, lines, firstOrd }: LinesRequest) => {
  const encoded = encodeConcepts(catalogueLines(header, lines), firstOrd);
  const { bytes, lengths, ranks } = encoded;
  parentPort!.postMessage(encoded, [bytes.buffer, lengths.buffer, ranks.buffer] as ArrayBuffer[]);
});
parentPort!.postMessage('ready');
