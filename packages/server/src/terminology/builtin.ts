// A small built-in set of common ICD-10 codes (Vietnamese and English displays), so the demo and a
// fresh server can code diagnoses before the national list is imported. Loaded as content
// "fragment" under its own version: codes missing here are never rejected because of it, and
// an imported complete version supersedes it. Data only, plus the one function that loads it.
import type { Database } from '../db/database.ts';
import { importCodeSystem } from './bulk-load.ts';
import { ICD10_PROPERTIES, ICD10_URL } from './loaders/icd10-vn.ts';
import type { ConceptInput } from './model.ts';

const VERSION = 'builtin';

// [code, Vietnamese, English, parent, weight, flags]
const CODES: [string, string, string, string, number, ConceptInput['properties']?][] = [
  [
    'A09',
    'Tiêu chảy và viêm dạ dày-ruột nhiễm trùng khác',
    'Other gastroenteritis and colitis of infectious and unspecified origin',
    '',
    60,
  ],
  ['A90', 'Sốt Dengue [sốt xuất huyết cổ điển]', 'Dengue fever [classical dengue]', '', 50],
  ['A91', 'Sốt xuất huyết Dengue', 'Dengue haemorrhagic fever', '', 45],
  ['B18', 'Viêm gan virus mạn', 'Chronic viral hepatitis', '', 10],
  [
    'B18.1',
    'Viêm gan virus B mạn, không có đồng nhiễm viêm gan virus D',
    'Chronic viral hepatitis B without delta-agent',
    'B18',
    70,
  ],
  ['B18.2', 'Viêm gan virus C mạn', 'Chronic viral hepatitis C', 'B18', 30],
  ['E11', 'Bệnh đái tháo đường không phụ thuộc insulin', 'Non-insulin-dependent diabetes mellitus', '', 10],
  [
    'E11.9',
    'Bệnh đái tháo đường không phụ thuộc insulin, không có biến chứng',
    'Non-insulin-dependent diabetes mellitus without complications',
    'E11',
    80,
  ],
  [
    'E78',
    'Rối loạn chuyển hóa lipoprotein và tình trạng tăng lipid máu khác',
    'Disorders of lipoprotein metabolism and other lipidaemias',
    '',
    10,
  ],
  ['E78.5', 'Tăng lipid máu, không đặc hiệu', 'Hyperlipidaemia, unspecified', 'E78', 55],
  ['H10', 'Viêm kết mạc', 'Conjunctivitis', '', 10],
  ['H10.9', 'Viêm kết mạc, không đặc hiệu', 'Conjunctivitis, unspecified', 'H10', 40],
  [
    'I10',
    'Bệnh lý tăng huyết áp vô căn (nguyên phát)',
    'Essential (primary) hypertension',
    '',
    100,
    [{ code: 'age-range', valueString: '1a-' }],
  ],
  ['I11', 'Bệnh tim do tăng huyết áp', 'Hypertensive heart disease', '', 20],
  ['I21', 'Nhồi máu cơ tim cấp', 'Acute myocardial infarction', '', 20],
  ['I63', 'Nhồi máu não', 'Cerebral infarction', '', 25],
  ['J02', 'Viêm họng cấp', 'Acute pharyngitis', '', 10],
  ['J02.9', 'Viêm họng cấp, không đặc hiệu', 'Acute pharyngitis, unspecified', 'J02', 90],
  [
    'J06',
    'Nhiễm trùng đường hô hấp trên cấp ở nhiều vị trí và không xác định',
    'Acute upper respiratory infections of multiple and unspecified sites',
    '',
    10,
  ],
  [
    'J06.9',
    'Nhiễm trùng đường hô hấp trên cấp, không đặc hiệu',
    'Acute upper respiratory infection, unspecified',
    'J06',
    95,
  ],
  ['J18', 'Viêm phổi, tác nhân không xác định', 'Pneumonia, organism unspecified', '', 10],
  ['J18.9', 'Viêm phổi, không đặc hiệu', 'Pneumonia, unspecified', 'J18', 60],
  ['J20', 'Viêm phế quản cấp', 'Acute bronchitis', '', 10],
  ['J20.9', 'Viêm phế quản cấp, không đặc hiệu', 'Acute bronchitis, unspecified', 'J20', 65],
  ['J44', 'Bệnh phổi tắc nghẽn mạn tính khác', 'Other chronic obstructive pulmonary disease', '', 10],
  [
    'J44.9',
    'Bệnh phổi tắc nghẽn mạn tính, không đặc hiệu',
    'Chronic obstructive pulmonary disease, unspecified',
    'J44',
    50,
    [{ code: 'age-range', valueString: '1a-' }],
  ],
  ['K29', 'Viêm dạ dày và tá tràng', 'Gastritis and duodenitis', '', 10],
  ['K29.5', 'Viêm dạ dày mạn, không đặc hiệu', 'Chronic gastritis, unspecified', 'K29', 60],
  ['L30', 'Viêm da khác', 'Other dermatitis', '', 10],
  ['L30.9', 'Viêm da, không đặc hiệu', 'Dermatitis, unspecified', 'L30', 35],
  ['M54', 'Đau lưng', 'Dorsalgia', '', 10],
  ['M54.5', 'Đau vùng thắt lưng', 'Low back pain', 'M54', 45],
  [
    'N40',
    'Tăng sản tuyến tiền liệt',
    'Hyperplasia of prostate',
    '',
    20,
    [{ code: 'sex', valueCode: 'male' }],
  ],
  [
    'O80',
    'Đẻ thường một thai',
    'Single spontaneous delivery',
    '',
    20,
    [
      { code: 'sex', valueCode: 'female' },
      { code: 'age-range', valueString: '9a-60a' },
    ],
  ],
  [
    'P07',
    'Rối loạn liên quan đến thai ngắn ngày và cân nặng thấp khi sinh',
    'Disorders related to short gestation and low birth weight',
    '',
    5,
    [{ code: 'age-range', valueString: '0d-365d' }],
  ],
  ['R51', 'Đau đầu', 'Headache', '', 40],
  [
    'S93',
    'Trật khớp, bong gân và căng cơ của khớp và dây chằng ở cổ chân và bàn chân',
    'Dislocation, sprain and strain of joints and ligaments at ankle and foot level',
    '',
    5,
  ],
  ['S93.4', 'Bong gân và căng cơ của cổ chân', 'Sprain and strain of ankle', 'S93', 30],
  ['U07.1', 'COVID-19, đã xác định virus', 'COVID-19, virus identified', '', 30],
  [
    'B95.0',
    'Liên cầu, nhóm A, là nguyên nhân gây các bệnh phân loại ở chương khác',
    'Streptococcus, group A, as the cause of diseases classified to other chapters',
    '',
    1,
    [{ code: 'not-principal', valueBoolean: true }],
  ],
  ['Z00.0', 'Khám sức khỏe tổng quát', 'General medical examination', '', 40],
];

export function builtinConcepts(): ConceptInput[] {
  return CODES.map(([code, vi, en, parent, weight, properties]) => ({
    code,
    display: vi,
    designations: [{ language: 'en', value: en }],
    parents: parent ? [parent] : [],
    weight,
    ...(properties ? { properties } : {}),
  }));
}

const icd10Loaded = async (db: Database) =>
  (await db.query('SELECT 1 FROM tx_code_system WHERE url = $1 LIMIT 1', [ICD10_URL])).length > 0;

/**
 * Loads the built-in codes unless some version of ICD-10 is already loaded. Servers starting
 * together on a fresh database may each try: the import of whichever finishes second fails (the
 * version was stored meanwhile), and that is fine.
 */
export async function ensureBuiltinTerminology(db: Database): Promise<void> {
  if (await icd10Loaded(db)) return;
  await loadBuiltin(db).catch(async (error: unknown) => {
    if (!(await icd10Loaded(db))) throw error;
  });
}

function loadBuiltin(db: Database) {
  return importCodeSystem(
    db,
    {
      url: ICD10_URL,
      version: VERSION,
      content: 'fragment',
      caseSensitive: false,
      resource: {
        resourceType: 'CodeSystem',
        id: 'icd10-builtin',
        url: ICD10_URL,
        version: VERSION,
        name: 'ICD10VNCommon',
        title: 'ICD-10 — mã thường dùng (built-in)',
        status: 'active',
        language: 'vi',
        content: 'fragment',
        hierarchyMeaning: 'is-a',
        caseSensitive: false,
        property: ICD10_PROPERTIES,
      },
    },
    builtinConcepts(),
  );
}
