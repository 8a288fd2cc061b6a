// Reads the BHYT beneficiary-group list (codes and official wording) from the shared data folder.
// File access only here; pass `groupCodes` to parseBhytCard({ groups }) to check against it.
import { join } from 'node:path';
import { readCsvFile, sharedDataDir } from './shared-data.ts';

export interface BeneficiaryGroup {
  code: string;
  descriptionVi: string;
  labelEn: string;
}

export function loadBhytBeneficiaryGroups(dataDir: string = sharedDataDir()): BeneficiaryGroup[] {
  return readCsvFile(join(dataDir, 'bhyt-beneficiary-codes', 'bhyt_beneficiary_codes.csv')).map((r) => ({
    code: r.code ?? '',
    descriptionVi: r.description_vi ?? '',
    labelEn: r.label_en_unofficial ?? '',
  }));
}

/** The set of group codes, in the shape parseBhytCard's `groups` option takes. */
export function groupCodes(groups: BeneficiaryGroup[]): ReadonlySet<string> {
  return new Set(groups.map((g) => g.code));
}
