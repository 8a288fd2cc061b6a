// ICD-10 of Decision 4469/QĐ-BYT (2020) from the shared CSV files: Vietnamese displays with English
// designations, the chapter → block → category → code hierarchy, and the DRG appendices' rule flags
// (A2 not allowed as principal diagnosis, A3.x age ranges, A4.x female/male only) as properties.
// Reads the shared files where they are; never copies them.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CodeSystemHeader, ConceptInput, ConceptProperty } from '../model.ts';
import { csvRecords } from './csv.ts';

export const ICD10_URL = 'http://hl7.org/fhir/sid/icd-10';
export const ICD10_VN_VERSION = 'VN-QD4469-2020';
export const MAIN_FILE = 'icd10_qd4469.csv';
export const APPENDICES_FILE = 'icd10_qd4469_appendices.csv';

/** Age ranges of appendices A3.1–A3.10 ("min-max", each a number with unit d or a; open ends empty). */
const AGE_RANGES: Record<string, string> = {
  'A3.1': '0d-365d',
  'A3.2': '0d-2a',
  'A3.3': '0d-10a',
  'A3.4': '0d-19a',
  'A3.5': '28d-',
  'A3.6': '1a-',
  'A3.7': '8a-19a',
  'A3.8': '9a-60a',
  'A3.9': '16a-',
  'A3.10': '31a-',
};

/** The properties ICD-10 VN concepts carry, declared on the CodeSystem. */
export const ICD10_PROPERTIES = [
  { code: 'not-principal', type: 'boolean', description: 'not allowed as principal diagnosis (appendix A2)' },
  { code: 'sex', type: 'code', description: 'only for patients of this sex: female (A4.1) or male (A4.2)' },
  {
    code: 'age-range',
    type: 'string',
    description: 'allowed age range, e.g. 9a-60a or 28d- (appendices A3.x)',
  },
];

export const isIcd10Main = (path: string) => basename(path) === MAIN_FILE;
export const isIcd10Appendices = (path: string) => basename(path) === APPENDICES_FILE;

export function icd10Header(concepts?: number): CodeSystemHeader {
  return {
    url: ICD10_URL,
    version: ICD10_VN_VERSION,
    content: 'complete',
    caseSensitive: false,
    resource: {
      resourceType: 'CodeSystem',
      id: 'icd10-vn',
      url: ICD10_URL,
      version: ICD10_VN_VERSION,
      name: 'ICD10VN',
      title: 'ICD-10 (Quyết định 4469/QĐ-BYT, 2020)',
      status: 'active',
      language: 'vi',
      content: 'complete',
      hierarchyMeaning: 'is-a',
      caseSensitive: false,
      ...(concepts !== undefined ? { count: concepts } : {}),
      property: ICD10_PROPERTIES,
    },
  };
}

/** Rule flags per dotless code from the appendices file. */
export async function readIcd10Flags(path: string): Promise<Map<string, ConceptProperty[]>> {
  const flags = new Map<string, ConceptProperty[]>();
  const add = (code: string, p: ConceptProperty) => {
    const list = flags.get(code) ?? [];
    if (!list.some((x) => JSON.stringify(x) === JSON.stringify(p))) list.push(p);
    flags.set(code, list);
  };
  for await (const r of csvRecords(path)) {
    const code = r.code_nodot ?? '';
    if (!code) continue;
    const appendix = r.appendix ?? '';
    if (appendix === 'A2') add(code, { code: 'not-principal', valueBoolean: true });
    else if (appendix === 'A4.1') add(code, { code: 'sex', valueCode: 'female' });
    else if (appendix === 'A4.2') add(code, { code: 'sex', valueCode: 'male' });
    else if (AGE_RANGES[appendix]) add(code, { code: 'age-range', valueString: AGE_RANGES[appendix] });
  }
  return flags;
}

/** The appendices file beside a main list file, if present. */
export function appendicesBeside(mainPath: string): string | undefined {
  const path = join(dirname(mainPath), APPENDICES_FILE);
  return existsSync(path) ? path : undefined;
}

const bilingual = (vi: string, en: string): Pick<ConceptInput, 'display' | 'designations'> => ({
  display: vi || en,
  ...(en ? { designations: [{ language: 'en', value: en }] } : {}),
});

/** The concepts of the main list, groups first, each row's flags (or its category's) attached. */
export async function* icd10Concepts(
  path: string,
  flags: Map<string, ConceptProperty[]>,
): AsyncGenerator<ConceptInput> {
  const seen = new Set<string>();
  for await (const r of csvRecords(path)) {
    let parent: string | undefined;
    const groups: [string, string, string][] = [
      [r.chapter_no!, r.chapter_name_vi!, r.chapter_name_en!],
      [r.main_group_code!, r.main_group_name_vi!, r.main_group_name_en!],
      [r.sub_group1_code!, r.sub_group1_name_vi!, r.sub_group1_name_en!],
      [r.sub_group2_code!, r.sub_group2_name_vi!, r.sub_group2_name_en!],
    ];
    for (const [code, vi, en] of groups) {
      if (!code) continue;
      if (!seen.has(code)) {
        seen.add(code);
        yield { code, ...bilingual(vi, en), parents: parent ? [parent] : [], abstract: true };
      }
      parent = code;
    }
    const category = r.category_code!;
    const categoryKey = category.replace('.', '');
    if (category && !seen.has(category)) {
      seen.add(category);
      const props = flags.get(categoryKey);
      yield {
        code: category,
        ...bilingual(r.category_name_vi!, r.category_name_en!),
        parents: parent ? [parent] : [],
        ...(props ? { properties: props } : {}),
      };
    }
    const code = r.code!;
    if (!code || seen.has(code)) continue;
    seen.add(code);
    const props = flags.get(r.code_nodot!) ?? flags.get(categoryKey);
    yield {
      code,
      ...bilingual(r.name_vi!, r.name_en!),
      parents: category && category !== code ? [category] : parent ? [parent] : [],
      ...(props ? { properties: props } : {}),
    };
  }
}
