// Generated catalogues of realistic Vietnamese/English terms (lab tests, drugs, technical services)
// for the terminology benchmarks: deterministic CSV files in the importer's catalogue format, each
// with 200 group concepts as parents and Zipf-like use weights.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Deterministic pseudo-random numbers (mulberry32).
let seed = 20261121;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;

type Pair = readonly [string, string];
const LAB_ACTIONS: Pair[] = [
  ['Xét nghiệm', 'Test of'],
  ['Định lượng', 'Quantitation of'],
  ['Định tính', 'Detection of'],
  ['Đo', 'Measurement of'],
  ['Nuôi cấy', 'Culture for'],
  ['Test nhanh', 'Rapid test for'],
];
const ANALYTES: Pair[] = [
  ['glucose', 'glucose'],
  ['cholesterol toàn phần', 'total cholesterol'],
  ['triglycerid', 'triglycerides'],
  ['men gan ALT', 'liver enzyme ALT'],
  ['men gan AST', 'liver enzyme AST'],
  ['creatinin', 'creatinine'],
  ['axit uric', 'uric acid'],
  ['HbA1c', 'HbA1c'],
  ['kháng nguyên HBsAg', 'HBsAg antigen'],
  ['tải lượng virus viêm gan B', 'hepatitis B viral load'],
  ['huyết sắc tố', 'haemoglobin'],
  ['bạch cầu', 'white blood cells'],
  ['tiểu cầu', 'platelets'],
  ['vi khuẩn lao', 'Mycobacterium tuberculosis'],
  ['kháng thể Dengue IgM', 'Dengue IgM antibody'],
  ['điện giải đồ', 'electrolytes'],
  ['protein phản ứng C', 'C-reactive protein'],
  ['hormon tuyến giáp TSH', 'thyroid stimulating hormone'],
  ['sắt huyết thanh', 'serum iron'],
  ['canxi toàn phần', 'total calcium'],
];
const SPECIMENS: Pair[] = [
  ['máu', 'blood'],
  ['huyết thanh', 'serum'],
  ['huyết tương', 'plasma'],
  ['nước tiểu', 'urine'],
  ['dịch não tủy', 'cerebrospinal fluid'],
  ['đờm', 'sputum'],
  ['phân', 'stool'],
  ['dịch màng phổi', 'pleural fluid'],
];
const METHODS: Pair[] = [
  ['bằng máy tự động', 'automated analyser'],
  ['bằng phương pháp miễn dịch', 'immunoassay'],
  ['bằng kỹ thuật PCR', 'PCR'],
  ['thủ công', 'manual method'],
  ['bằng sắc ký', 'chromatography'],
  ['bằng điện cực chọn lọc', 'ion-selective electrode'],
];
const DRUGS = [
  'Paracetamol',
  'Amoxicilin',
  'Amlodipin',
  'Metformin',
  'Losartan',
  'Atorvastatin',
  'Omeprazol',
  'Cefuroxim',
  'Tenofovir',
  'Entecavir',
  'Salbutamol',
  'Prednisolon',
  'Ibuprofen',
  'Diclofenac',
  'Vitamin B1',
  'Insulin glargin',
  'Gliclazid',
  'Bisoprolol',
  'Clopidogrel',
  'Azithromycin',
  'Ciprofloxacin',
  'Loratadin',
  'Esomeprazol',
  'Spironolacton',
  'Furosemid',
];
const STRENGTHS = [
  '5 mg',
  '10 mg',
  '20 mg',
  '25 mg',
  '40 mg',
  '50 mg',
  '100 mg',
  '250 mg',
  '500 mg',
  '850 mg',
  '1 g',
  '100 IU/ml',
];
const FORMS: Pair[] = [
  ['viên nén', 'tablet'],
  ['viên nén bao phim', 'film-coated tablet'],
  ['viên nang cứng', 'hard capsule'],
  ['siro', 'syrup'],
  ['dung dịch tiêm', 'solution for injection'],
  ['bột pha hỗn dịch', 'powder for suspension'],
  ['thuốc mỡ', 'ointment'],
];
const MAKERS = [
  'Dược Hậu Giang',
  'Imexpharm',
  'Traphaco',
  'Domesco',
  'Pymepharco',
  'Stellapharm',
  'Mekophar',
  'Sanofi Việt Nam',
  'DHG Pharma',
  'Bidiphar',
  'Savipharm',
  'Agimexpharm',
];
const PROCEDURES: Pair[] = [
  ['Phẫu thuật nội soi', 'Laparoscopic surgery of'],
  ['Nội soi', 'Endoscopy of'],
  ['Chụp cắt lớp vi tính', 'CT scan of'],
  ['Chụp cộng hưởng từ', 'MRI of'],
  ['Siêu âm', 'Ultrasound of'],
  ['Sinh thiết', 'Biopsy of'],
  ['Cắt bỏ', 'Excision of'],
  ['Điều trị bằng laser', 'Laser treatment of'],
];
const ORGANS: Pair[] = [
  ['dạ dày', 'stomach'],
  ['đại tràng', 'colon'],
  ['gan', 'liver'],
  ['túi mật', 'gallbladder'],
  ['thận', 'kidney'],
  ['tuyến giáp', 'thyroid'],
  ['phổi', 'lung'],
  ['tim', 'heart'],
  ['khớp gối', 'knee joint'],
  ['cột sống thắt lưng', 'lumbar spine'],
  ['não', 'brain'],
  ['tuyến tiền liệt', 'prostate'],
  ['tử cung', 'uterus'],
  ['vú', 'breast'],
];
const QUALIFIERS: Pair[] = [
  ['có tiêm thuốc cản quang', 'with contrast'],
  ['không tiêm thuốc cản quang', 'without contrast'],
  ['một bên', 'unilateral'],
  ['hai bên', 'bilateral'],
  ['ở trẻ em', 'in children'],
  ['cấp cứu', 'emergency'],
  ['có gây mê', 'under general anaesthesia'],
  ['có gây tê', 'under local anaesthesia'],
];

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes one generated catalogue CSV of `n` concepts (with group parents); returns its path. */
export function catalogue(dir: string, kind: 'lab' | 'drug' | 'service', n: number): string {
  const lines = ['code,display,display_en,parent,weight'];
  const prefix = { lab: 'XN', drug: 'TH', service: 'DV' }[kind];
  const groups = 200;
  for (let g = 0; g < groups; g++) lines.push(`${prefix}G${g},Nhóm ${kind} ${g},Group ${kind} ${g},,0`);
  for (let i = 0; i < n - groups; i++) {
    let vi: string;
    let en: string;
    if (kind === 'lab') {
      const [a, ae] = pick(LAB_ACTIONS);
      const [x, xe] = pick(ANALYTES);
      const [s, se] = pick(SPECIMENS);
      const [m, me] = pick(METHODS);
      vi = `${a} ${x} trong ${s} ${m}`;
      en = `${ae} ${xe} in ${se}, ${me}`;
    } else if (kind === 'drug') {
      const d = pick(DRUGS);
      const st = pick(STRENGTHS);
      const [f, fe] = pick(FORMS);
      const mk = pick(MAKERS);
      vi = `${d} ${st} ${f} (${mk})`;
      en = `${d} ${st} ${fe} (${mk})`;
    } else {
      const [p, pe] = pick(PROCEDURES);
      const [o, oe] = pick(ORGANS);
      const [q, qe] = pick(QUALIFIERS);
      vi = `${p} ${o} ${q}`;
      en = `${pe} ${oe} ${qe}`;
    }
    const weight = Math.floor(1000 / (1 + Math.floor(rand() * 1000)));
    const code = `${prefix}${String(i).padStart(6, '0')}`;
    lines.push([code, csvField(vi), csvField(en), `${prefix}G${i % groups}`, String(weight)].join(','));
  }
  const path = join(dir, `${kind}.csv`);
  writeFileSync(path, lines.join('\n'));
  return path;
}
