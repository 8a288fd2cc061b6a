// Entry of a catalogue worker thread: loads TypeScript through tsx (workers do not inherit the
// main thread's loader hooks), then starts catalogue-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./catalogue-worker.ts');
