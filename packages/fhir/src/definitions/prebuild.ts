// Fills the compact-model cache ahead of the first start: `node --import tsx
// packages/fhir/src/definitions/prebuild.ts` (meant for the root postinstall). Prints where and how long.
// A command only: nothing imports it, and without it the first process to load the model builds it.
import { loadModel, modelCachePath } from './cache.ts';

const t0 = performance.now();
loadModel();
console.log(`FHIR R4 model cached at ${modelCachePath()} (${Math.round(performance.now() - t0)} ms)`);
