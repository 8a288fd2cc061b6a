// The clinical catalogue the generator draws from: chronic diseases with prevalence by age and
// sex, the share diagnosed, their medicines and monitoring; acute problems; and the observation
// codes (LOINC + UCUM). Prevalence figures approximate published Vietnamese surveys (STEPS 2015/
// 2021, HBV sero-prevalence studies) and are assumptions, documented in docs/GENERATOR.md. Pure data.
import type { Sex } from './names.ts';

export interface Coding {
  system?: string;
  code: string;
  display: string;
}

export interface Medicine {
  /** ATC code */
  atc: string;
  name: string;
  /** strength as printed, e.g. "300 mg" */
  strength: string;
  /** doses per day */
  perDay: number;
  /** Vietnamese instruction */
  instruction: string;
  /** how a dose is taken; tablets when absent */
  form?: 'inhaler' | 'sachet';
}

export type ObservationKey =
  | 'bp'
  | 'heartRate'
  | 'weight'
  | 'height'
  | 'bmi'
  | 'temperature'
  | 'spo2'
  | 'glucose'
  | 'hba1c'
  | 'cholesterol'
  | 'ldl'
  | 'hdl'
  | 'triglycerides'
  | 'alt'
  | 'ast'
  | 'creatinine'
  | 'hbvDna'
  | 'hbsag';

export interface ObservationDef {
  loinc: string;
  display: string;
  /** UCUM code ('' for qualitative results) */
  unit: string;
  category: 'vital-signs' | 'laboratory';
  decimals: number;
}

export const OBSERVATIONS: Record<ObservationKey, ObservationDef> = {
  bp: {
    loinc: '85354-9',
    display: 'Blood pressure panel with all children optional',
    unit: 'mm[Hg]',
    category: 'vital-signs',
    decimals: 0,
  },
  heartRate: { loinc: '8867-4', display: 'Heart rate', unit: '/min', category: 'vital-signs', decimals: 0 },
  weight: { loinc: '29463-7', display: 'Body weight', unit: 'kg', category: 'vital-signs', decimals: 1 },
  height: { loinc: '8302-2', display: 'Body height', unit: 'cm', category: 'vital-signs', decimals: 0 },
  bmi: {
    loinc: '39156-5',
    display: 'Body mass index (BMI) [Ratio]',
    unit: 'kg/m2',
    category: 'vital-signs',
    decimals: 1,
  },
  temperature: {
    loinc: '8310-5',
    display: 'Body temperature',
    unit: 'Cel',
    category: 'vital-signs',
    decimals: 1,
  },
  spo2: {
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: '%',
    category: 'vital-signs',
    decimals: 0,
  },
  glucose: {
    loinc: '14771-0',
    display: 'Fasting glucose [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    category: 'laboratory',
    decimals: 1,
  },
  hba1c: {
    loinc: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    category: 'laboratory',
    decimals: 1,
  },
  cholesterol: {
    loinc: '14647-2',
    display: 'Cholesterol [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    category: 'laboratory',
    decimals: 1,
  },
  ldl: {
    loinc: '22748-8',
    display: 'Cholesterol in LDL [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    category: 'laboratory',
    decimals: 1,
  },
  hdl: {
    loinc: '14646-4',
    display: 'Cholesterol in HDL [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    category: 'laboratory',
    decimals: 2,
  },
  triglycerides: {
    loinc: '14927-8',
    display: 'Triglyceride [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    category: 'laboratory',
    decimals: 1,
  },
  alt: {
    loinc: '1742-6',
    display: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    unit: 'U/L',
    category: 'laboratory',
    decimals: 0,
  },
  ast: {
    loinc: '1920-8',
    display: 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    unit: 'U/L',
    category: 'laboratory',
    decimals: 0,
  },
  creatinine: {
    loinc: '14682-9',
    display: 'Creatinine [Moles/volume] in Serum or Plasma',
    unit: 'umol/L',
    category: 'laboratory',
    decimals: 0,
  },
  hbvDna: {
    loinc: '29615-2',
    display: 'Hepatitis B virus DNA [#/volume] (viral load) in Serum or Plasma by NAA with probe detection',
    unit: '[IU]/mL',
    category: 'laboratory',
    decimals: 0,
  },
  hbsag: {
    loinc: '5196-1',
    display: 'Hepatitis B virus surface Ag [Presence] in Serum by Immunoassay',
    unit: '',
    category: 'laboratory',
    decimals: 0,
  },
};

export type ChronicKey = 'hypertension' | 'diabetes' | 'hepatitisB' | 'copd' | 'gastritis' | 'dyslipidaemia';

export interface ChronicDisease {
  icd10: string;
  display: string;
  /** prevalence at an age for a sex */
  prevalence(age: number, sex: Sex): number;
  /** share of people with the disease who know it and are followed up */
  diagnosed: number;
  /** the earliest age of onset */
  onsetFrom: number;
  /** alternative first-line medicines (one is chosen per person) */
  medicines: Medicine[];
  /** share of the diagnosed who take medicine */
  treated: number;
  /** what is measured at follow-up visits, with the interval in visits */
  monitoring: readonly (readonly [ObservationKey, number])[];
  /** imaging every n follow-up visits (0: none) */
  imaging?: { code: Coding; every: number };
}

function byAge(table: readonly (readonly [number, number])[]): (age: number) => number {
  return (age) => {
    let p = 0;
    for (const [from, value] of table) if (age >= from) p = value;
    return p;
  };
}

const htn = byAge([
  [18, 0.03],
  [25, 0.06],
  [35, 0.13],
  [45, 0.25],
  [55, 0.38],
  [65, 0.5],
]);
const dm = byAge([
  [25, 0.01],
  [35, 0.03],
  [45, 0.07],
  [55, 0.1],
  [65, 0.13],
]);
const lipid = byAge([
  [25, 0.08],
  [35, 0.15],
  [45, 0.22],
  [55, 0.28],
]);

export const CHRONIC: Record<ChronicKey, ChronicDisease> = {
  hypertension: {
    icd10: 'I10',
    display: 'Bệnh lý tăng huyết áp vô căn (nguyên phát)',
    prevalence: (age, sex) => htn(age) * (sex === 'male' ? 1.15 : 0.85),
    diagnosed: 0.5,
    onsetFrom: 25,
    treated: 0.9,
    medicines: [
      {
        atc: 'C08CA01',
        name: 'Amlodipin',
        strength: '5 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, buổi sáng',
      },
      {
        atc: 'C09CA01',
        name: 'Losartan',
        strength: '50 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, buổi sáng',
      },
    ],
    monitoring: [
      ['bp', 1],
      ['heartRate', 1],
      ['creatinine', 4],
    ],
  },
  diabetes: {
    icd10: 'E11.9',
    display: 'Bệnh đái tháo đường không phụ thuộc insulin, không có biến chứng',
    prevalence: (age) => dm(age),
    diagnosed: 0.55,
    onsetFrom: 30,
    treated: 0.95,
    medicines: [
      {
        atc: 'A10BA02',
        name: 'Metformin',
        strength: '500 mg',
        perDay: 2,
        instruction: 'Uống 1 viên/lần, 2 lần/ngày, sau ăn sáng và tối',
      },
      {
        atc: 'A10BB09',
        name: 'Gliclazid',
        strength: '30 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, trước ăn sáng',
      },
    ],
    monitoring: [
      ['bp', 1],
      ['glucose', 1],
      ['hba1c', 2],
      ['creatinine', 4],
      ['weight', 2],
    ],
  },
  hepatitisB: {
    icd10: 'B18.1',
    display: 'Viêm gan virus B mạn, không có tác nhân delta',
    prevalence: (age, sex) => (age < 18 ? 0.015 : 0.08) * (sex === 'male' ? 1.2 : 0.8),
    diagnosed: 0.3,
    onsetFrom: 0,
    treated: 0.4,
    medicines: [
      {
        atc: 'J05AF07',
        name: 'Tenofovir disoproxil fumarat',
        strength: '300 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, cùng giờ mỗi ngày',
      },
      {
        atc: 'J05AF10',
        name: 'Entecavir',
        strength: '0,5 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, lúc đói',
      },
    ],
    monitoring: [
      ['alt', 2],
      ['ast', 2],
      ['hbvDna', 4],
      ['creatinine', 4],
    ],
    imaging: { code: { code: '24558-9', display: 'US Abdomen' }, every: 4 },
  },
  copd: {
    icd10: 'J44.9',
    display: 'Bệnh phổi tắc nghẽn mạn tính, không đặc hiệu',
    prevalence: (age, sex) => (age < 40 ? 0 : (age < 60 ? 0.035 : 0.07) * (sex === 'male' ? 1.6 : 0.4)),
    diagnosed: 0.35,
    onsetFrom: 40,
    treated: 0.85,
    medicines: [
      {
        atc: 'R03AK07',
        name: 'Budesonid + formoterol',
        strength: '160/4,5 mcg/liều',
        perDay: 2,
        instruction: 'Hít 1 nhát/lần, 2 lần/ngày, sáng và tối',
        form: 'inhaler',
      },
      {
        atc: 'R03BB04',
        name: 'Tiotropium',
        strength: '18 mcg',
        perDay: 1,
        instruction: 'Hít 1 nang/lần, 1 lần/ngày',
        form: 'inhaler',
      },
    ],
    monitoring: [
      ['spo2', 1],
      ['heartRate', 1],
    ],
    imaging: { code: { code: '36643-5', display: 'XR Chest 2 Views' }, every: 4 },
  },
  gastritis: {
    icd10: 'K29.5',
    display: 'Viêm dạ dày mạn, không đặc hiệu',
    prevalence: (age) => (age < 18 ? 0.01 : 0.07),
    diagnosed: 0.6,
    onsetFrom: 15,
    treated: 0.7,
    medicines: [
      {
        atc: 'A02BC01',
        name: 'Omeprazol',
        strength: '20 mg',
        perDay: 2,
        instruction: 'Uống 1 viên/lần, 2 lần/ngày, trước ăn sáng và tối 30 phút',
      },
      {
        atc: 'A02BC05',
        name: 'Esomeprazol',
        strength: '40 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, trước ăn sáng 30 phút',
      },
    ],
    monitoring: [['weight', 4]],
  },
  dyslipidaemia: {
    icd10: 'E78.5',
    display: 'Tăng lipid máu, không đặc hiệu',
    prevalence: (age) => lipid(age),
    diagnosed: 0.4,
    onsetFrom: 25,
    treated: 0.7,
    medicines: [
      {
        atc: 'C10AA05',
        name: 'Atorvastatin',
        strength: '20 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, buổi tối',
      },
      {
        atc: 'C10AA07',
        name: 'Rosuvastatin',
        strength: '10 mg',
        perDay: 1,
        instruction: 'Uống 1 viên/lần, 1 lần/ngày, buổi tối',
      },
    ],
    monitoring: [
      ['cholesterol', 2],
      ['ldl', 2],
      ['hdl', 2],
      ['triglycerides', 2],
    ],
  },
};

export const CHRONIC_KEYS = Object.keys(CHRONIC) as ChronicKey[];

export interface AcuteProblem {
  icd10: string;
  display: string;
  weight: number;
  fever: boolean;
  medicine?: Medicine & { days: number };
}

const PARACETAMOL = {
  atc: 'N02BE01',
  name: 'Paracetamol',
  strength: '500 mg',
  perDay: 3,
  instruction: 'Uống 1 viên/lần, 3 lần/ngày khi sốt hoặc đau, cách nhau ít nhất 4 giờ',
};
const AMOXICILLIN = {
  atc: 'J01CA04',
  name: 'Amoxicilin',
  strength: '500 mg',
  perDay: 3,
  instruction: 'Uống 1 viên/lần, 3 lần/ngày',
};
const IBUPROFEN = {
  atc: 'M01AE01',
  name: 'Ibuprofen',
  strength: '400 mg',
  perDay: 2,
  instruction: 'Uống 1 viên/lần, 2 lần/ngày, sau ăn',
};

export const ACUTE: readonly AcuteProblem[] = [
  {
    icd10: 'J06.9',
    display: 'Nhiễm trùng hô hấp trên cấp, không đặc hiệu',
    weight: 30,
    fever: true,
    medicine: { ...PARACETAMOL, days: 3 },
  },
  {
    icd10: 'J02.9',
    display: 'Viêm họng cấp, không đặc hiệu',
    weight: 10,
    fever: true,
    medicine: { ...AMOXICILLIN, days: 7 },
  },
  {
    icd10: 'J20.9',
    display: 'Viêm phế quản cấp, không đặc hiệu',
    weight: 9,
    fever: true,
    medicine: { ...AMOXICILLIN, days: 7 },
  },
  {
    icd10: 'A09',
    display: 'Tiêu chảy và viêm dạ dày-ruột do nhiễm trùng khác và không xác định',
    weight: 10,
    fever: false,
    medicine: {
      atc: 'A07CA',
      name: 'Oresol',
      strength: '4,1 g',
      perDay: 3,
      instruction: 'Pha 1 gói với 200 ml nước, uống sau mỗi lần đi ngoài',
      form: 'sachet',
      days: 3,
    },
  },
  {
    icd10: 'M54.5',
    display: 'Đau vùng thắt lưng',
    weight: 10,
    fever: false,
    medicine: { ...IBUPROFEN, days: 5 },
  },
  { icd10: 'R51', display: 'Đau đầu', weight: 5, fever: false, medicine: { ...PARACETAMOL, days: 3 } },
  {
    icd10: 'A90',
    display: 'Sốt Dengue [sốt xuất huyết Dengue cổ điển]',
    weight: 5,
    fever: true,
    medicine: { ...PARACETAMOL, days: 5 },
  },
  {
    icd10: 'J18.9',
    display: 'Viêm phổi, không đặc hiệu',
    weight: 4,
    fever: true,
    medicine: { ...AMOXICILLIN, days: 10 },
  },
  {
    icd10: 'S93.4',
    display: 'Bong gân và căng cơ mắt cá chân',
    weight: 5,
    fever: false,
    medicine: { ...IBUPROFEN, days: 5 },
  },
  { icd10: 'L30.9', display: 'Viêm da, không đặc hiệu', weight: 6, fever: false },
  { icd10: 'H10.9', display: 'Viêm kết mạc, không đặc hiệu', weight: 6, fever: false },
];

/** encounter types (SNOMED CT) */
export const VISIT_TYPE = {
  checkup: { code: '185349003', display: 'Encounter for check up' },
  chronic: { code: '390906007', display: 'Follow-up encounter' },
  acute: { code: '185347001', display: 'Encounter for problem' },
  referral: { code: '11429006', display: 'Consultation' },
} as const;
