// Locating and reading the reference data folder (HOSO_SHARED_DATA, default ../shared/data beside
// the repository). The only file access of @hoso/vn besides the *-loader modules, which use it.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from './csv.ts';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The reference data folder: env HOSO_SHARED_DATA, else `<repository>/../shared/data`. */
export function sharedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HOSO_SHARED_DATA ?? join(repositoryRoot, '..', 'shared', 'data'));
}

/** The records of a CSV file with a header row. */
export function readCsvFile(path: string): Record<string, string>[] {
  return parseCsvRecords(readFileSync(path, 'utf8'));
}
