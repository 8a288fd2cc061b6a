// The reference data folder for tests, and a skip reason when it is absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile, sharedDataDir } from '@hoso/vn/shared-data';

export const dataDir = sharedDataDir();

/** Skip reason for tests that need the shared data, or false when it is present. */
export const withoutSharedData: string | false = existsSync(dataDir) ? false : `no shared data at ${dataDir}`;

export function readSharedCsv(relativePath: string): Record<string, string>[] {
  return readCsvFile(join(dataDir, relativePath));
}
