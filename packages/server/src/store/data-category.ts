// Classifies a resource into sensitive data categories (HIV, mental health, reproductive health,
// substance use, sexual violence) so consent "except this category" is a query condition.
// Pure: reads only the resource. Sources: meta.security labels (HL7 v3 ActCode) and ICD-10 codes.
import type { Resource } from './model.ts';

export type DataCategory = 'hiv' | 'mental-health' | 'reproductive' | 'substance-use' | 'violence';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const securityLabels: Record<string, DataCategory> = {
  HIV: 'hiv',
  PSY: 'mental-health',
  PSYTHPN: 'mental-health',
  MH: 'mental-health',
  SDV: 'violence',
  ETH: 'substance-use',
  SUD: 'substance-use',
  STD: 'reproductive',
  SEX: 'reproductive',
};

const ICD10_SYSTEMS = new Set(['http://hl7.org/fhir/sid/icd-10', 'http://hl7.org/fhir/sid/icd-10-vn']);

/** ICD-10 code ranges (inclusive, by 3-character category) of each sensitive category. */
const icd10Ranges: [string, string, DataCategory][] = [
  ['B20', 'B24', 'hiv'],
  ['Z21', 'Z21', 'hiv'],
  ['F10', 'F19', 'substance-use'],
  ['F00', 'F09', 'mental-health'],
  ['F20', 'F99', 'mental-health'],
  ['O00', 'O99', 'reproductive'],
  ['Z30', 'Z39', 'reproductive'],
  ['N96', 'N98', 'reproductive'],
  ['T74', 'T74', 'violence'],
];

/** The category an HL7 v3 ActCode security label names, if any (Consent.provision.securityLabel). */
export function categoryOfSecurityLabel(system: unknown, code: unknown): DataCategory | undefined {
  return system === ACT_CODE && typeof code === 'string' && Object.hasOwn(securityLabels, code)
    ? securityLabels[code]
    : undefined;
}

function icd10Category(code: string): DataCategory | undefined {
  const head = code.slice(0, 3).toUpperCase();
  return icd10Ranges.find(([lo, hi]) => head >= lo && head <= hi)?.[2];
}

function isCoding(value: unknown): value is { system?: unknown; code?: unknown } {
  return typeof value === 'object' && value !== null && 'code' in value && 'system' in value;
}

export function dataCategories(resource: Resource): DataCategory[] {
  const found = new Set<DataCategory>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (isCoding(value) && typeof value.code === 'string' && typeof value.system === 'string') {
      const category =
        categoryOfSecurityLabel(value.system, value.code) ??
        (ICD10_SYSTEMS.has(value.system) ? icd10Category(value.code) : undefined);
      if (category) found.add(category);
    }
    for (const child of Object.values(value)) visit(child, depth + 1);
  };
  visit(resource, 0);
  return [...found].sort();
}
