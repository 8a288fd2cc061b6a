// Reads the 54 ethnic groups (codes 01–54, 55 foreigner, 99 unknown) from the shared data folder,
// for the ethnicity extension (fhir-conventions.ts: codeSystems.ethnicity). File access only here.
import { join } from 'node:path';
import { readCsvFile, sharedDataDir } from './shared-data.ts';
import { normalizeText } from './text.ts';

export interface EthnicGroup {
  /** Two-digit GSO code, e.g. '01' (Kinh). */
  code: string;
  name: string;
  kind: 'ethnic_group' | 'foreigner' | 'unknown';
}

function kindOf(value: string): EthnicGroup['kind'] {
  if (value !== 'ethnic_group' && value !== 'foreigner' && value !== 'unknown') {
    throw new Error(`Unknown ethnic-group kind "${value}"`);
  }
  return value;
}

export function loadEthnicGroups(dataDir: string = sharedDataDir()): EthnicGroup[] {
  return readCsvFile(join(dataDir, 'ethnic-groups', 'ethnic_groups.csv')).map((r) => ({
    code: r.code ?? '',
    name: normalizeText(r.name_vi ?? ''),
    kind: kindOf(r.kind ?? ''),
  }));
}
