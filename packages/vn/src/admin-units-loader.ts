// Reads the administrative units from the shared data folder (vn-admin-units) into the pure model
// of admin-units.ts. File access only here; names are normalised to the canonical tone placement.
import { join } from 'node:path';
import { indexAdminUnits, type AdminUnits, type CommuneKind } from './admin-units.ts';
import { readCsvFile, sharedDataDir } from './shared-data.ts';
import { normalizeText } from './text.ts';

const COMMUNE_KINDS: Record<string, CommuneKind> = {
  Phường: 'ward',
  Xã: 'commune',
  'Đặc khu': 'special-zone',
};

function communeKind(unitType: string): CommuneKind {
  const kind = COMMUNE_KINDS[unitType];
  if (!kind) throw new Error(`Unknown commune unit type "${unitType}"`);
  return kind;
}

function mergeType(value: string): 'full' | 'partial' {
  if (value !== 'full' && value !== 'partial') throw new Error(`Unknown merge type "${value}"`);
  return value;
}

/** Loads the 3,321 current communes, the legacy districts and wards, and the old → new mapping. */
export function loadAdminUnits(dataDir: string = sharedDataDir()): AdminUnits {
  const dir = join(dataDir, 'vn-admin-units');
  const read = (path: string) => readCsvFile(join(dir, path));
  return indexAdminUnits({
    communes: read('current/wards.csv').map((r) => ({
      code: r.code ?? '',
      provinceCode: r.province_code ?? '',
      name: normalizeText(r.name ?? ''),
      nameEn: r.name_en ?? '',
      kind: communeKind(r.unit_type ?? ''),
    })),
    legacyDistricts: read('legacy-pre-2025-07/districts.csv').map((r) => ({
      code: r.code ?? '',
      provinceCode: r.province_code ?? '',
      name: normalizeText(r.name ?? ''),
      fullName: normalizeText(r.full_name ?? ''),
    })),
    legacyWards: read('legacy-pre-2025-07/wards.csv').map((r) => ({
      code: r.code ?? '',
      districtCode: r.district_code ?? '',
      provinceCode: r.province_code ?? '',
      name: normalizeText(r.name ?? ''),
      fullName: normalizeText(r.full_name ?? ''),
    })),
    wardMappings: read('mapping/wards_old_to_new.csv').map((r) => ({
      oldWardCode: r.old_ward_code ?? '',
      oldDistrictCode: r.old_district_code ?? '',
      oldProvinceCode: r.old_province_code ?? '',
      newCommuneCode: r.new_ward_code ?? '',
      newProvinceCode: r.new_province_code ?? '',
      mergeType: mergeType(r.merge_type ?? ''),
    })),
  });
}
