// Summarises a V8 .cpuprofile (node --cpu-prof) of the server: self time grouped by where the code
// lives (validation, index extraction, SQL driver, HTTP, logging, …) and the hottest functions.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES: [string, RegExp][] = [
  ['validation (packages/fhir validator)', /packages\/fhir\/src\/(validator|definitions)/],
  ['search-index extraction (packages/fhir search)', /packages\/fhir\/src\/search/],
  ['text folding (packages/vn)', /packages\/vn\//],
  ['store write path (packages/server store)', /packages\/server\/src\/(store|db|indexer)/],
  ['interactions/REST (packages/server)', /packages\/server\/src\//],
  ['PGlite (WebAssembly PostgreSQL)', /pglite|^wasm:/],
  ['pg driver', /node_modules\/(pg|pg-protocol|pg-types|pgpass|postgres-)/],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|thread-stream)/],
  [
    'HTTP framework (fastify)',
    /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|secure-json-parse|fast-json-stringify)/,
  ],
  ['other dependencies', /node_modules\//],
  ['Node internals (http, net, streams)', /^node:/],
];

// A sampled frame inside a system call also collects the time the thread sat descheduled there
// (a write to the database socket wakes the backend, and on a busy machine the scheduler runs it).
const SYSCALLS =
  /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString|read|readv|fsync|close|open|openFileHandle|fstat|access)$/;
const SYSCALL_CATEGORY = 'system calls (socket/file I/O, incl. time descheduled)';

export interface ProfileSummary {
  file: string;
  seconds: number;
  /** share of non-idle samples */
  categories: { category: string; seconds: number; share: number }[];
  /** time with at least one frame of the category on the stack (includes what it calls) */
  inclusive: { category: string; seconds: number; share: number }[];
  top: { fn: string; seconds: number; share: number }[];
}

function categoryOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8/native (program)';
  if (url === '' && SYSCALLS.test(functionName)) return SYSCALL_CATEGORY;
  for (const [name, re] of CATEGORIES) if (re.test(url)) return name;
  if (url === '') return `native builtins (JSON, RegExp, …)`;
  return 'other';
}

export function summarizeProfile(file: string, topN = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackCategories = new Map<number, Set<string>>();
  const categoriesOnStack = (id: number): Set<string> => {
    let set = stackCategories.get(id);
    if (set) return set;
    const up = parent.get(id);
    set = new Set(up === undefined ? [] : categoriesOnStack(up));
    set.add(categoryOf(byId.get(id)!));
    stackCategories.set(id, set);
    return set;
  };
  const inclusive = new Map<string, number>();
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of self) {
    const node = byId.get(id)!;
    const category = categoryOf(node);
    if (category === 'idle') continue;
    busy += micros;
    categories.set(category, (categories.get(category) ?? 0) + micros);
    for (const c of categoriesOnStack(id)) inclusive.set(c, (inclusive.get(c) ?? 0) + micros);
    const where = node.callFrame.url.replace(/^.*\/(packages|node_modules)\//, '$1/');
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const rank = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ k, seconds: v / 1e6, share: busy ? v / busy : 0 }));
  return {
    file,
    seconds: busy / 1e6,
    categories: rank(categories).map(({ k, ...rest }) => ({ category: k, ...rest })),
    inclusive: rank(inclusive)
      .filter(({ k }) => CATEGORIES.some(([name]) => name === k))
      .map(({ k, ...rest }) => ({ category: k, ...rest })),
    top: rank(functions)
      .slice(0, topN)
      .map(({ k, ...rest }) => ({ fn: k, ...rest })),
  };
}
