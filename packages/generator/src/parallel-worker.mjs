// Entry of a generator worker thread: loads TypeScript through tsx (workers do not inherit the
// main thread's loader hooks), then starts parallel-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./parallel-worker.ts');
