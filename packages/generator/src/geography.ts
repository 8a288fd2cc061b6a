// Communes (wards) of the current provinces and the pre-2025 units each one replaced, as the
// generator needs them to write addresses. A Geography is a plain lookup; `BUILT_IN_GEOGRAPHY`
// holds a few real communes with their old units so the demo works without shared data, and
// `geographyFromAdminUnits` adapts @hoso/vn's full lists (loaded by geography-files.ts). No I/O here.
import type { AdminUnits } from '@hoso/vn/admin-units';
import { legacyProvinceByCode } from '@hoso/vn/provinces';

export interface Ward {
  code: string;
  provinceCode: string;
  /** full name, e.g. "Phường Việt Trì" */
  name: string;
}

/** a pre-1-Jul-2025 commune with its district and province (63-province system) */
export interface LegacyWard {
  code: string;
  name: string;
  districtCode: string;
  districtName: string;
  provinceCode: string;
  provinceName: string;
}

export interface Geography {
  /** current communes of a province (may be empty: then addresses stay at province level) */
  wards(provinceCode: string): readonly Ward[];
  /** old communes merged into a current one (may be empty) */
  legacy(wardCode: string): readonly LegacyWard[];
}

export function geographyOf(
  wards: readonly Ward[],
  legacy: readonly (LegacyWard & { newCode: string })[],
): Geography {
  const byProvince = new Map<string, Ward[]>();
  for (const w of wards) {
    const list = byProvince.get(w.provinceCode) ?? [];
    list.push(w);
    byProvince.set(w.provinceCode, list);
  }
  const byWard = new Map<string, LegacyWard[]>();
  for (const { newCode, ...old } of legacy) {
    const list = byWard.get(newCode) ?? [];
    list.push(old);
    byWard.set(newCode, list);
  }
  return {
    wards: (code) => byProvince.get(code) ?? [],
    legacy: (code) => byWard.get(code) ?? [],
  };
}

const KIND_PREFIX = { ward: 'Phường', commune: 'Xã', 'special-zone': 'Đặc khu' } as const;

/** the current communes and, for each, the old wards merged into it, from @hoso/vn's admin units */
export function geographyFromAdminUnits(units: AdminUnits): Geography {
  const wards = units.communes.map((c) => ({
    code: c.code,
    provinceCode: c.provinceCode,
    name: `${KIND_PREFIX[c.kind]} ${c.name}`,
  }));
  const legacy = units.wardMappings.flatMap((m) => {
    const ward = units.legacyWard(m.oldWardCode);
    const district = units.legacyDistrict(m.oldDistrictCode);
    const province = legacyProvinceByCode(m.oldProvinceCode);
    if (!ward || !district || !province) return [];
    return [
      {
        newCode: m.newCommuneCode,
        code: ward.code,
        name: ward.fullName,
        districtCode: district.code,
        districtName: district.fullName,
        provinceCode: province.code,
        provinceName: province.name,
      },
    ];
  });
  return geographyOf(wards, legacy);
}

const HN = 'Thành phố Hà Nội';
const PT = 'Tỉnh Phú Thọ';

/** A handful of real communes of Phú Thọ and Hà Nội (codes of QĐ 19/2025 and the 2024 list). */
export const BUILT_IN_GEOGRAPHY: Geography = geographyOf(
  [
    { code: '07900', provinceCode: '25', name: 'Phường Việt Trì' },
    { code: '07954', provinceCode: '25', name: 'Phường Phong Châu' },
    { code: '08494', provinceCode: '25', name: 'Xã Lâm Thao' },
    { code: '00070', provinceCode: '01', name: 'Phường Hoàn Kiếm' },
    { code: '00292', provinceCode: '01', name: 'Phường Bạch Mai' },
  ],
  [
    ['07900', '07888', 'Phường Dữu Lâu', '227', 'Thành phố Việt Trì', '25', PT],
    ['07900', '07897', 'Phường Tân Dân', '227', 'Thành phố Việt Trì', '25', PT],
    ['07900', '07900', 'Phường Gia Cẩm', '227', 'Thành phố Việt Trì', '25', PT],
    ['07954', '07945', 'Phường Phong Châu', '228', 'Thị xã Phú Thọ', '25', PT],
    ['07954', '07963', 'Xã Hà Thạch', '228', 'Thị xã Phú Thọ', '25', PT],
    ['08494', '08494', 'Thị trấn Lâm Thao', '237', 'Huyện Lâm Thao', '25', PT],
    ['08494', '08498', 'Thị trấn Hùng Sơn', '237', 'Huyện Lâm Thao', '25', PT],
    ['00070', '00043', 'Phường Hàng Mã', '002', 'Quận Hoàn Kiếm', '01', HN],
    ['00070', '00049', 'Phường Hàng Đào', '002', 'Quận Hoàn Kiếm', '01', HN],
    ['00292', '00277', 'Phường Bách Khoa', '007', 'Quận Hai Bà Trưng', '01', HN],
    ['00292', '00292', 'Phường Bạch Mai', '007', 'Quận Hai Bà Trưng', '01', HN],
  ].map(([newCode, code, name, districtCode, districtName, provinceCode, provinceName]) => ({
    newCode: newCode as string,
    code: code as string,
    name: name as string,
    districtCode: districtCode as string,
    districtName: districtName as string,
    provinceCode: provinceCode as string,
    provinceName: provinceName as string,
  })),
);
