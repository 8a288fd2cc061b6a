// Vietnamese personal names for generation: family names at their national shares (VIETNAM.md)
// with northern/southern forms of Hoàng/Huỳnh and Vũ/Võ, and middle and given names by sex.
// Pure tables and sampling; no I/O.
import type { Random } from './random.ts';
import { weighted } from './random.ts';
import type { Region } from './provinces.ts';

export type Sex = 'male' | 'female';

export interface PersonName {
  family: string;
  /** middle names, possibly none */
  middle: string[];
  given: string;
}

/** Family names with their share in percent; "Hoàng" and "Vũ" stand for their regional forms. */
export const FAMILY_SHARES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Phan', 4.5],
  ['Vũ', 4],
  ['Đặng', 2],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ...[
    'Đinh',
    'Trương',
    'Đoàn',
    'Lương',
    'Trịnh',
    'Lâm',
    'Mai',
    'Cao',
    'Tạ',
    'Hà',
    'Quách',
    'Chu',
    'Tô',
    'Lưu',
    'Kiều',
    'La',
    'Thái',
    'Triệu',
    'Vương',
    'Phùng',
    'Tăng',
    'Châu',
    'Tôn',
  ].map((n) => [n, 11.5 / 23] as const),
];

/** southern forms of the two names that differ by region */
export const SOUTHERN_FORM: Readonly<Record<string, string>> = { Hoàng: 'Huỳnh', Vũ: 'Võ' };

/** probability of the southern form by region */
const SOUTHERN_PROBABILITY: Record<Region, number> = { north: 0.05, central: 0.5, south: 0.9 };

const FAMILY = weighted(FAMILY_SHARES);

const MIDDLE: Record<Sex, ReturnType<typeof weighted<string>>> = {
  male: weighted([
    ['Văn', 40],
    ['Đức', 8],
    ['Minh', 10],
    ['Quang', 7],
    ['Hữu', 6],
    ['Thành', 5],
    ['Công', 5],
    ['Xuân', 3],
    ['Ngọc', 3],
    ['Hoàng', 3],
    ['Anh', 3],
    ['Tuấn', 2],
    ['Gia', 3],
    ['Đình', 4],
  ]),
  female: weighted([
    ['Thị', 45],
    ['Ngọc', 8],
    ['Thu', 6],
    ['Thanh', 7],
    ['Kim', 5],
    ['Hồng', 4],
    ['Phương', 4],
    ['Minh', 5],
    ['Bảo', 3],
    ['Khánh', 3],
    ['Mai', 3],
    ['Diệu', 2],
    ['Hải', 2],
    ['Quỳnh', 3],
  ]),
};

const GIVEN: Record<Sex, readonly string[]> = {
  male: [
    'Hùng',
    'Dũng',
    'Tuấn',
    'Minh',
    'Hải',
    'Nam',
    'Long',
    'Sơn',
    'Thắng',
    'Cường',
    'Huy',
    'Phúc',
    'Khoa',
    'Bảo',
    'Trung',
    'Quân',
    'Đạt',
    'Hiếu',
    'Tùng',
    'Thành',
    'Tâm',
    'Lộc',
    'Phong',
    'Vinh',
    'Hoàng',
    'Khánh',
    'Thịnh',
    'Tài',
    'Toàn',
    'Việt',
    'Kiên',
    'Nghĩa',
    'Quang',
    'An',
    'Bình',
    'Đức',
    'Hưng',
    'Lâm',
    'Nhân',
    'Tiến',
  ],
  female: [
    'Lan',
    'Hương',
    'Hoa',
    'Mai',
    'Linh',
    'Trang',
    'Thảo',
    'Hà',
    'Ngọc',
    'Anh',
    'Hằng',
    'Huyền',
    'Nhung',
    'Phương',
    'Thủy',
    'Yến',
    'Dung',
    'Giang',
    'Hạnh',
    'Loan',
    'Nga',
    'Oanh',
    'Quyên',
    'Tâm',
    'Trâm',
    'Uyên',
    'Vân',
    'Vy',
    'Xuân',
    'Hòa',
    'Chi',
    'Diệp',
    'Hiền',
    'My',
    'Nhi',
    'Thư',
    'Tuyết',
    'Châu',
    'Khuê',
    'Ly',
  ],
};

export function familyName(random: Random, region: Region): string {
  const name = random.sample(FAMILY);
  const southern = SOUTHERN_FORM[name];
  return southern && random.chance(SOUTHERN_PROBABILITY[region]) ? southern : name;
}

export function personName(random: Random, sex: Sex, region: Region, family?: string): PersonName {
  const middle = random.chance(0.06) ? [] : [random.sample(MIDDLE[sex])];
  if (random.chance(0.08)) middle.push(random.pick(GIVEN[sex]));
  return { family: family ?? familyName(random, region), middle, given: random.pick(GIVEN[sex]) };
}

/** "Family Middle Given" display form */
export function fullName(name: PersonName): string {
  return [name.family, ...name.middle, name.given].join(' ');
}
