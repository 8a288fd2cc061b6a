// Commune-level administrative units: the 3,321 communes, wards and special zones in force since
// 1 Jul 2025, the pre-2025 districts and wards, and the old → new ward mapping. Pure: the data
// comes in from admin-units-loader.ts (or the small built-in set below); lookups do no I/O.
import type { Finding } from './findings.ts';
import { foldText } from './text.ts';

export type CommuneKind = 'ward' | 'commune' | 'special-zone';

/** A current commune-level unit (xã, phường, đặc khu). */
export interface Commune {
  /** Five-digit GSO code, e.g. '00070'. */
  code: string;
  provinceCode: string;
  /** Short name, NFC with canonical tone placement, e.g. 'Hoàn Kiếm'. */
  name: string;
  nameEn: string;
  kind: CommuneKind;
}

/** A district (quận, huyện, thị xã, thành phố thuộc tỉnh) abolished on 1 Jul 2025. */
export interface LegacyDistrict {
  /** Three-digit GSO code. */
  code: string;
  provinceCode: string;
  name: string;
  fullName: string;
}

/** A commune-level unit as it was before 1 Jul 2025. */
export interface LegacyWard {
  code: string;
  districtCode: string;
  provinceCode: string;
  name: string;
  fullName: string;
}

/** One old → new pair: the old ward became all ('full') or part ('partial') of the new commune. */
export interface WardMapping {
  oldWardCode: string;
  /** '' for the few units abolished before the legacy list was taken. */
  oldDistrictCode: string;
  oldProvinceCode: string;
  newCommuneCode: string;
  newProvinceCode: string;
  mergeType: 'full' | 'partial';
}

export interface AdminUnitData {
  communes: Commune[];
  legacyDistricts: LegacyDistrict[];
  legacyWards: LegacyWard[];
  wardMappings: WardMapping[];
}

export interface AdminUnits extends AdminUnitData {
  commune(code: string): Commune | undefined;
  communesOfProvince(provinceCode: string): Commune[];
  legacyDistrict(code: string): LegacyDistrict | undefined;
  legacyWard(code: string): LegacyWard | undefined;
  /** The current communes an old ward went into; several when it was split. */
  currentCommunesOfLegacyWard(oldWardCode: string): { commune: Commune; mergeType: 'full' | 'partial' }[];
  /** Communes whose folded name contains the folded query, optionally within one province. */
  findCommunes(query: string, provinceCode?: string): Commune[];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Builds the lookups over a set of units. */
export function indexAdminUnits(data: AdminUnitData): AdminUnits {
  const communes = new Map(data.communes.map((c) => [c.code, c]));
  const byProvince = groupBy(data.communes, (c) => c.provinceCode);
  const districts = new Map(data.legacyDistricts.map((d) => [d.code, d]));
  const wards = new Map(data.legacyWards.map((w) => [w.code, w]));
  const mappings = groupBy(data.wardMappings, (m) => m.oldWardCode);
  const folded = data.communes.map((c) => ({ commune: c, key: foldText(c.name) }));
  return {
    ...data,
    commune: (code) => communes.get(code),
    communesOfProvince: (provinceCode) => byProvince.get(provinceCode) ?? [],
    legacyDistrict: (code) => districts.get(code),
    legacyWard: (code) => wards.get(code),
    currentCommunesOfLegacyWard: (oldWardCode) =>
      (mappings.get(oldWardCode) ?? []).flatMap((m) => {
        const commune = communes.get(m.newCommuneCode);
        return commune ? [{ commune, mergeType: m.mergeType }] : [];
      }),
    findCommunes: (query, provinceCode) => {
      const q = foldText(query);
      return folded
        .filter(
          (f) => f.key.includes(q) && (provinceCode === undefined || f.commune.provinceCode === provinceCode),
        )
        .map((f) => f.commune);
    },
  };
}

/** Inconsistencies inside a data set: mappings to unknown communes, old wards without a mapping. */
export function checkAdminUnits(units: AdminUnits): Finding[] {
  const findings: Finding[] = [];
  for (const m of units.wardMappings) {
    if (!units.commune(m.newCommuneCode)) {
      findings.push({
        code: 'admin-mapping-unknown-commune',
        message: `Old ward ${m.oldWardCode} maps to commune ${m.newCommuneCode}, which is not in the current list`,
      });
    }
  }
  for (const w of units.legacyWards) {
    if (units.currentCommunesOfLegacyWard(w.code).length === 0) {
      findings.push({
        code: 'admin-ward-unmapped',
        message: `Old ward ${w.code} (${w.fullName}) has no current commune`,
      });
    }
  }
  return findings;
}

const BUILT_IN: [string, string, string, string, CommuneKind][] = [
  ['00070', '01', 'Hoàn Kiếm', 'Hoan Kiem', 'ward'],
  ['00376', '01', 'Sóc Sơn', 'Soc Son', 'commune'],
  ['01273', '04', 'Thục Phán', 'Thuc Phan', 'ward'],
  ['01290', '04', 'Bảo Lâm', 'Bao Lam', 'commune'],
  ['00694', '08', 'Hà Giang 1', 'Ha Giang 1', 'ward'],
  ['02509', '08', 'Mỹ Lâm', 'My Lam', 'ward'],
  ['03127', '11', 'Điện Biên Phủ', 'Dien Bien Phu', 'ward'],
  ['03160', '11', 'Mường Nhé', 'Muong Nhe', 'commune'],
  ['03408', '12', 'Tân Phong', 'Tan Phong', 'ward'],
  ['03478', '12', 'Sìn Hồ', 'Sin Ho', 'commune'],
  ['03646', '14', 'Tô Hiệu', 'To Hieu', 'ward'],
  ['03688', '14', 'Mường Chiên', 'Muong Chien', 'commune'],
  ['02647', '15', 'Lào Cai', 'Lao Cai', 'ward'],
  ['02683', '15', 'Bát Xát', 'Bat Xat', 'commune'],
  ['05443', '19', 'Phan Đình Phùng', 'Phan Dinh Phung', 'ward'],
  ['01906', '19', 'Ba Bể', 'Ba Be', 'commune'],
  ['05983', '20', 'Lương Văn Tri', 'Luong Van Tri', 'ward'],
  ['06184', '20', 'Đồng Đăng', 'Dong Dang', 'commune'],
  ['06688', '22', 'Hạ Long', 'Ha Long', 'ward'],
  ['06724', '22', 'Hải Sơn', 'Hai Son', 'commune'],
  ['07210', '24', 'Bắc Giang', 'Bac Giang', 'ward'],
  ['07264', '24', 'Tam Tiến', 'Tam Tien', 'commune'],
  ['07900', '25', 'Việt Trì', 'Viet Tri', 'ward'],
  ['04831', '25', 'Đà Bắc', 'Da Bac', 'commune'],
  ['11311', '31', 'Hồng Bàng', 'Hong Bang', 'ward'],
  ['10606', '31', 'Nam Sách', 'Nam Sach', 'commune'],
  ['11953', '33', 'Phố Hiến', 'Pho Hien', 'ward'],
  ['11992', '33', 'Lạc Đạo', 'Lac Dao', 'commune'],
  ['14329', '37', 'Hoa Lư', 'Hoa Lu', 'ward'],
  ['13474', '37', 'Tân Thanh', 'Tan Thanh', 'commune'],
  ['14797', '38', 'Hạc Thành', 'Hac Thanh', 'ward'],
  ['14845', '38', 'Mường Lát', 'Muong Lat', 'commune'],
  ['16681', '40', 'Thành Vinh', 'Thanh Vinh', 'ward'],
  ['16738', '40', 'Quế Phong', 'Que Phong', 'commune'],
  ['18073', '42', 'Thành Sen', 'Thanh Sen', 'ward'],
  ['18133', '42', 'Hương Sơn', 'Huong Son', 'commune'],
  ['18880', '44', 'Đồng Hới', 'Dong Hoi', 'ward'],
  ['18901', '44', 'Minh Hóa', 'Minh Hoa', 'commune'],
  ['19753', '46', 'Phú Xuân', 'Phu Xuan', 'ward'],
  ['19867', '46', 'Quảng Điền', 'Quang Dien', 'commune'],
  ['20242', '48', 'Hải Châu', 'Hai Chau', 'ward'],
  ['20308', '48', 'Bà Nà', 'Ba Na', 'commune'],
  ['21025', '51', 'Cẩm Thành', 'Cam Thanh', 'ward'],
  ['21040', '51', 'Bình Sơn', 'Binh Son', 'commune'],
  ['23575', '52', 'Pleiku', 'Pleiku', 'ward'],
  ['21609', '52', 'An Lão', 'An Lao', 'commune'],
  ['22366', '56', 'Nha Trang', 'Nha Trang', 'ward'],
  ['22453', '56', 'Cam Lâm', 'Cam Lam', 'commune'],
  ['24133', '66', 'Buôn Ma Thuột', 'Buon Ma Thuot', 'ward'],
  ['22057', '66', 'Xuân Lộc', 'Xuan Loc', 'commune'],
  ['22945', '68', 'Phan Thiết', 'Phan Thiet', 'ward'],
  ['22969', '68', 'Liên Hương', 'Lien Huong', 'commune'],
  ['26041', '75', 'Trấn Biên', 'Tran Bien', 'ward'],
  ['25222', '75', 'Bù Gia Mập', 'Bu Gia Map', 'commune'],
  ['26740', '79', 'Sài Gòn', 'Sai Gon', 'ward'],
  ['27664', '79', 'Cần Giờ', 'Can Gio', 'commune'],
  ['27712', '80', 'Tân An', 'Tan An', 'ward'],
  ['25486', '80', 'Tân Biên', 'Tan Bien', 'commune'],
  ['28261', '82', 'Mỹ Tho', 'My Tho', 'ward'],
  ['28321', '82', 'Tân Phước 1', 'Tan Phuoc 1', 'commune'],
  ['29551', '86', 'Long Châu', 'Long Chau', 'ward'],
  ['28807', '86', 'Giao Long', 'Giao Long', 'commune'],
  ['30307', '91', 'Long Xuyên', 'Long Xuyen', 'ward'],
  ['30337', '91', 'An Phú', 'An Phu', 'commune'],
  ['31135', '92', 'Ninh Kiều', 'Ninh Kieu', 'ward'],
  ['31231', '92', 'Thạnh An', 'Thanh An', 'commune'],
  ['32002', '96', 'An Xuyên', 'An Xuyen', 'ward'],
  ['31843', '96', 'Hồng Dân', 'Hong Dan', 'commune'],
];

/** A ward and a commune in each of the 34 provinces, for demos and tests without shared data. */
export const BUILT_IN_COMMUNES: readonly Commune[] = BUILT_IN.map(
  ([code, provinceCode, name, nameEn, kind]) => ({
    code,
    provinceCode,
    name,
    nameEn,
    kind,
  }),
);

/** The built-in communes as an index (no legacy units, no mapping). */
export function builtInAdminUnits(): AdminUnits {
  return indexAdminUnits({
    communes: [...BUILT_IN_COMMUNES],
    legacyDistricts: [],
    legacyWards: [],
    wardMappings: [],
  });
}
