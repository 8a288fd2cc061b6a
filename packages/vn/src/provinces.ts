// Vietnam's province-level units: the 34 in force since 1 Jul 2025 and the 63 before, with the
// old → new province mapping that pre-2025 records need. Codes are the GSO/NSO two-digit codes.
// Pure data and lookups: no I/O (commune-level data comes from admin-units-loader.ts).

export type ProvinceKind = 'city' | 'province';

export interface Province {
  /** Two-digit GSO code, e.g. '01'. */
  code: string;
  /** Vietnamese short name, NFC with canonical tone placement, e.g. 'Thanh Hóa'. */
  name: string;
  nameEn: string;
  /** 'city' for a centrally-run city (thành phố trực thuộc trung ương). */
  kind: ProvinceKind;
}

export interface LegacyProvince {
  /** Two-digit GSO code in force before 1 Jul 2025. */
  code: string;
  name: string;
  /** The code of the current province that absorbed it. */
  newCode: string;
}

const CURRENT: [string, string, string, ProvinceKind][] = [
  ['01', 'Hà Nội', 'Hanoi', 'city'],
  ['04', 'Cao Bằng', 'Cao Bang', 'province'],
  ['08', 'Tuyên Quang', 'Tuyen Quang', 'province'],
  ['11', 'Điện Biên', 'Dien Bien', 'province'],
  ['12', 'Lai Châu', 'Lai Chau', 'province'],
  ['14', 'Sơn La', 'Son La', 'province'],
  ['15', 'Lào Cai', 'Lao Cai', 'province'],
  ['19', 'Thái Nguyên', 'Thai Nguyen', 'province'],
  ['20', 'Lạng Sơn', 'Lang Son', 'province'],
  ['22', 'Quảng Ninh', 'Quang Ninh', 'province'],
  ['24', 'Bắc Ninh', 'Bac Ninh', 'province'],
  ['25', 'Phú Thọ', 'Phu Tho', 'province'],
  ['31', 'Hải Phòng', 'Haiphong', 'city'],
  ['33', 'Hưng Yên', 'Hung Yen', 'province'],
  ['37', 'Ninh Bình', 'Ninh Binh', 'province'],
  ['38', 'Thanh Hóa', 'Thanh Hoa', 'province'],
  ['40', 'Nghệ An', 'Nghe An', 'province'],
  ['42', 'Hà Tĩnh', 'Ha Tinh', 'province'],
  ['44', 'Quảng Trị', 'Quang Tri', 'province'],
  ['46', 'Huế', 'Hue', 'city'],
  ['48', 'Đà Nẵng', 'Da Nang', 'city'],
  ['51', 'Quảng Ngãi', 'Quang Ngai', 'province'],
  ['52', 'Gia Lai', 'Gia Lai', 'province'],
  ['56', 'Khánh Hòa', 'Khanh Hoa', 'province'],
  ['66', 'Đắk Lắk', 'Dak Lak', 'province'],
  ['68', 'Lâm Đồng', 'Lam Dong', 'province'],
  ['75', 'Đồng Nai', 'Dong Nai', 'city'],
  ['79', 'Hồ Chí Minh', 'Ho Chi Minh', 'city'],
  ['80', 'Tây Ninh', 'Tay Ninh', 'province'],
  ['82', 'Đồng Tháp', 'Dong Thap', 'province'],
  ['86', 'Vĩnh Long', 'Vinh Long', 'province'],
  ['91', 'An Giang', 'An Giang', 'province'],
  ['92', 'Cần Thơ', 'Can Tho', 'city'],
  ['96', 'Cà Mau', 'Ca Mau', 'province'],
];

const LEGACY: [string, string, string][] = [
  ['01', 'Hà Nội', '01'],
  ['02', 'Hà Giang', '08'],
  ['04', 'Cao Bằng', '04'],
  ['06', 'Bắc Kạn', '19'],
  ['08', 'Tuyên Quang', '08'],
  ['10', 'Lào Cai', '15'],
  ['11', 'Điện Biên', '11'],
  ['12', 'Lai Châu', '12'],
  ['14', 'Sơn La', '14'],
  ['15', 'Yên Bái', '15'],
  ['17', 'Hòa Bình', '25'],
  ['19', 'Thái Nguyên', '19'],
  ['20', 'Lạng Sơn', '20'],
  ['22', 'Quảng Ninh', '22'],
  ['24', 'Bắc Giang', '24'],
  ['25', 'Phú Thọ', '25'],
  ['26', 'Vĩnh Phúc', '25'],
  ['27', 'Bắc Ninh', '24'],
  ['30', 'Hải Dương', '31'],
  ['31', 'Hải Phòng', '31'],
  ['33', 'Hưng Yên', '33'],
  ['34', 'Thái Bình', '33'],
  ['35', 'Hà Nam', '37'],
  ['36', 'Nam Định', '37'],
  ['37', 'Ninh Bình', '37'],
  ['38', 'Thanh Hóa', '38'],
  ['40', 'Nghệ An', '40'],
  ['42', 'Hà Tĩnh', '42'],
  ['44', 'Quảng Bình', '44'],
  ['45', 'Quảng Trị', '44'],
  ['46', 'Huế', '46'],
  ['48', 'Đà Nẵng', '48'],
  ['49', 'Quảng Nam', '48'],
  ['51', 'Quảng Ngãi', '51'],
  ['52', 'Bình Định', '52'],
  ['54', 'Phú Yên', '66'],
  ['56', 'Khánh Hòa', '56'],
  ['58', 'Ninh Thuận', '56'],
  ['60', 'Bình Thuận', '68'],
  ['62', 'Kon Tum', '51'],
  ['64', 'Gia Lai', '52'],
  ['66', 'Đắk Lắk', '66'],
  ['67', 'Đắk Nông', '68'],
  ['68', 'Lâm Đồng', '68'],
  ['70', 'Bình Phước', '75'],
  ['72', 'Tây Ninh', '80'],
  ['74', 'Bình Dương', '79'],
  ['75', 'Đồng Nai', '75'],
  ['77', 'Bà Rịa - Vũng Tàu', '79'],
  ['79', 'Hồ Chí Minh', '79'],
  ['80', 'Long An', '80'],
  ['82', 'Tiền Giang', '82'],
  ['83', 'Bến Tre', '86'],
  ['84', 'Trà Vinh', '86'],
  ['86', 'Vĩnh Long', '86'],
  ['87', 'Đồng Tháp', '82'],
  ['89', 'An Giang', '91'],
  ['91', 'Kiên Giang', '91'],
  ['92', 'Cần Thơ', '92'],
  ['93', 'Hậu Giang', '92'],
  ['94', 'Sóc Trăng', '92'],
  ['95', 'Bạc Liêu', '96'],
  ['96', 'Cà Mau', '96'],
];

/** The 34 provinces and centrally-run cities in force since 1 Jul 2025 (Đồng Nai a city since 30 Apr 2026). */
export const PROVINCES: readonly Province[] = CURRENT.map(([code, name, nameEn, kind]) => ({
  code,
  name,
  nameEn,
  kind,
}));

/** The 63 provinces in force before 1 Jul 2025, each with the current province that absorbed it. */
export const LEGACY_PROVINCES: readonly LegacyProvince[] = LEGACY.map(([code, name, newCode]) => ({
  code,
  name,
  newCode,
}));

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));
const LEGACY_BY_CODE = new Map(LEGACY_PROVINCES.map((p) => [p.code, p]));

export function provinceByCode(code: string): Province | undefined {
  return BY_CODE.get(code);
}

export function legacyProvinceByCode(code: string): LegacyProvince | undefined {
  return LEGACY_BY_CODE.get(code);
}

/** The current province of a pre-2025 province code, or undefined for an unknown code. */
export function currentProvinceOfLegacy(legacyCode: string): Province | undefined {
  const legacy = LEGACY_BY_CODE.get(legacyCode);
  return legacy && BY_CODE.get(legacy.newCode);
}
