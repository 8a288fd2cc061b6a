// Loads the full commune lists and the old→new mapping from the shared reference data folder
// (HOSO_SHARED_DATA, default ../shared/data beside the repository) through @hoso/vn's loader.
// The generator's only reference-data I/O; returns undefined when the folder is absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAdminUnits } from '@hoso/vn/admin-units-loader';
import { sharedDataDir } from '@hoso/vn/shared-data';
import { geographyFromAdminUnits, type Geography } from './geography.ts';

/** whether the shared folder has the administrative units */
export function hasSharedGeography(dir: string = sharedDataDir()): boolean {
  return existsSync(join(dir, 'vn-admin-units', 'current', 'wards.csv'));
}

export function loadGeography(dir: string = sharedDataDir()): Geography | undefined {
  return hasSharedGeography(dir) ? geographyFromAdminUnits(loadAdminUnits(dir)) : undefined;
}
