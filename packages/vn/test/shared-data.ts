// Where the reference data lives for tests: HOSO_SHARED_DATA, else ../shared/data beside the repository.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

export const sharedDataDir = process.env.HOSO_SHARED_DATA ?? join(repositoryRoot, '..', 'shared', 'data');

/** Skip reason for tests that need the shared data, or false when it is present. */
export const withoutSharedData: string | false = existsSync(sharedDataDir)
  ? false
  : `no shared data at ${sharedDataDir}`;

/** Rows of a simple CSV file under the shared data folder (no quoted fields with commas needed). */
export function readSharedCsv(relativePath: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(sharedDataDir, relativePath), 'utf8').trim().split(/\r?\n/);
  const columns = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}
