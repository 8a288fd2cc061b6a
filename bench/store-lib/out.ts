// Where benchmark results go: bench/out/<name>-<time>.<extension> (ignored by git). Only writes
// files there; it decides nothing about their content.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/out/, created when first asked for. */
export function outDir(): string {
  const dir = fileURLToPath(new URL('../out/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The current time as a file-name part, e.g. 2026-11-22T05-26-51-123Z. */
export const fileStamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

/** Writes `content` to bench/out/<name>-<time>.<extension> and returns the file's path. */
export function writeResult(name: string, extension: string, content: string): string {
  const file = join(outDir(), `${name}-${fileStamp()}.${extension}`);
  writeFileSync(file, content);
  return file;
}
