// The one place that decides how Vietnamese facts are carried in FHIR R4: identifier systems,
// extension URLs and code systems. Aligned with the VN Core guides where they define one
// (community guide http://fhir.hl7.org.vn/core first, then the 2021 MoH draft
// http://fhir.ehealth.gov.vn/core); everything else lives under our own configurable base.
// Documented in docs/VN-CONVENTIONS.md. Pure: no I/O; configure by calling createVnFhirConventions.

const VN_CORE = 'http://fhir.hl7.org.vn/core';
const MOH_CORE = 'http://fhir.ehealth.gov.vn/core';

/** Our own canonical base for what no VN Core guide defines; `.example` until a domain is chosen. */
export const DEFAULT_HOSO_BASE = 'https://hoso.example/fhir';

export type IdentifierKind =
  | 'citizenId'
  | 'insuranceCard'
  | 'insuranceNumber'
  | 'facilityCode'
  | 'practisingCertificate'
  | 'passport'
  | 'episodeKey';

export interface VnFhirConventions {
  base: string;
  /** Identifier.system per kind of identifier. */
  identifierSystems: Record<IdentifierKind, string>;
  /** Other systems seen in the wild for the same kind (accepted on input, never written). */
  identifierAliases: Record<IdentifierKind, readonly string[]>;
  /** Identifier.system of a facility's own medical record numbers. */
  medicalRecordNumberSystem(facilityCode: string): string;
  extensions: {
    /** Patient ethnic group (dân tộc), valueCoding from codeSystems.ethnicity. */
    ethnicity: string;
    religion: string;
    nationality: string;
    occupation: string;
    /** Address administrative units: sub-extensions ADDRESS_UNIT_PARTS, each a valueCoding. */
    addressUnits: string;
    /** Organization technical level, valueCoding from codeSystems.facilityLevel. */
    facilityLevel: string;
    /** ServiceRequest (referral) reason, valueCoding from codeSystems.referralReason. */
    referralReason: string;
    /** Coverage: the facility of initial registration (MA_DKBD), valueIdentifier with the facility code. */
    registeredFacility: string;
  };
  codeSystems: {
    /** The 54 ethnic groups, codes 01–54, 55 foreigner, 99 unknown. */
    ethnicity: string;
    province: string;
    commune: string;
    legacyProvince: string;
    legacyDistrict: string;
    legacyWard: string;
    facilityLevel: string;
    bhytBeneficiaryGroup: string;
    /** Referral reasons 1–3 (referrals.ts). */
    referralReason: string;
    /** BHYT benefit levels 1–5 (bhyt.ts). */
    bhytBenefitLevel: string;
  };
}

export interface ConventionOptions {
  /** Base URL of our own definitions. */
  base?: string;
  identifierSystems?: Partial<Record<IdentifierKind, string>>;
}

export function createVnFhirConventions(options: ConventionOptions = {}): VnFhirConventions {
  const base = (options.base ?? DEFAULT_HOSO_BASE).replace(/\/+$/u, '');
  return {
    base,
    identifierSystems: {
      citizenId: `${VN_CORE}/sid/cccd`,
      insuranceCard: `${VN_CORE}/sid/bhyt`,
      insuranceNumber: `${base}/sid/bhxh`,
      facilityCode: `${VN_CORE}/sid/ma-cskcb`,
      practisingCertificate: `${VN_CORE}/sid/cchn`,
      passport: `${VN_CORE}/sid/passport`,
      episodeKey: `${VN_CORE}/sid/ma-lk`,
      ...options.identifierSystems,
    },
    identifierAliases: {
      citizenId: [`${MOH_CORE}/sid/national_id`],
      insuranceCard: [`${MOH_CORE}/sid/insurance_number`],
      insuranceNumber: [],
      facilityCode: [`${MOH_CORE}/sid/provider-medical-license-number`],
      practisingCertificate: [],
      passport: [`${MOH_CORE}/sid/passport_number`],
      episodeKey: [],
    },
    medicalRecordNumberSystem: (facilityCode) => `${base}/sid/mrn/${facilityCode}`,
    extensions: {
      ethnicity: `${MOH_CORE}/StructureDefinition/extension-race`,
      religion: `${MOH_CORE}/StructureDefinition/extension-ethic`,
      nationality: `${MOH_CORE}/StructureDefinition/extension-nationality`,
      occupation: `${MOH_CORE}/StructureDefinition/extension-occupation`,
      addressUnits: `${base}/StructureDefinition/address-admin-units`,
      facilityLevel: `${base}/StructureDefinition/facility-technical-level`,
      referralReason: `${base}/StructureDefinition/referral-reason`,
      registeredFacility: `${base}/StructureDefinition/registered-facility`,
    },
    codeSystems: {
      ethnicity: `${MOH_CORE}/CodeSystem/vn-core-race`,
      province: `${base}/CodeSystem/vn-province`,
      commune: `${base}/CodeSystem/vn-commune`,
      legacyProvince: `${base}/CodeSystem/vn-province-pre-2025`,
      legacyDistrict: `${base}/CodeSystem/vn-district-pre-2025`,
      legacyWard: `${base}/CodeSystem/vn-ward-pre-2025`,
      facilityLevel: `${base}/CodeSystem/facility-technical-level`,
      bhytBeneficiaryGroup: `${base}/CodeSystem/bhyt-beneficiary-group`,
      referralReason: `${base}/CodeSystem/referral-reason`,
      bhytBenefitLevel: `${base}/CodeSystem/bhyt-benefit-level`,
    },
  };
}

/** The conventions with default settings. */
export const VN_FHIR: VnFhirConventions = createVnFhirConventions();

/** The kind of identifier a system URI denotes (written or alias), or undefined. */
export function identifierKindOf(
  system: string,
  conventions: VnFhirConventions = VN_FHIR,
): IdentifierKind | undefined {
  const kinds = Object.keys(conventions.identifierSystems) as IdentifierKind[];
  return kinds.find(
    (kind) =>
      conventions.identifierSystems[kind] === system || conventions.identifierAliases[kind].includes(system),
  );
}

/** The facility code of a medical-record-number system, or undefined for any other system. */
export function facilityOfMedicalRecordSystem(
  system: string,
  conventions: VnFhirConventions = VN_FHIR,
): string | undefined {
  const prefix = conventions.medicalRecordNumberSystem('');
  const code = system.startsWith(prefix) ? system.slice(prefix.length) : '';
  return /^[0-9A-Za-z]+$/u.test(code) ? code : undefined;
}

/** Sub-extension names of the address-units extension and the code system each one uses. */
export const ADDRESS_UNIT_PARTS = {
  province: 'province',
  commune: 'commune',
  legacyProvince: 'legacyProvince',
  legacyDistrict: 'legacyDistrict',
  legacyWard: 'legacyWard',
} as const;

export type AddressUnitPart = keyof typeof ADDRESS_UNIT_PARTS;

/** Codes of the units an address lies in: current ones, and the pre-2025 ones for old records. */
export type AddressUnitCodes = Partial<Record<AddressUnitPart, string>>;

export interface FhirCoding {
  system: string;
  code: string;
}

export interface FhirExtension {
  url: string;
  valueCoding?: FhirCoding;
  extension?: FhirExtension[];
}

/** The Address extension carrying the given unit codes (parts without a code are left out). */
export function addressUnitsExtension(
  codes: AddressUnitCodes,
  conventions: VnFhirConventions = VN_FHIR,
): FhirExtension {
  const parts = Object.keys(ADDRESS_UNIT_PARTS) as AddressUnitPart[];
  return {
    url: conventions.extensions.addressUnits,
    extension: parts.flatMap((part) => {
      const code = codes[part];
      return code
        ? [{ url: ADDRESS_UNIT_PARTS[part], valueCoding: { system: conventions.codeSystems[part], code } }]
        : [];
    }),
  };
}

/** Reads the unit codes back from an Address's extensions. */
export function readAddressUnits(
  extensions: readonly FhirExtension[] | undefined,
  conventions: VnFhirConventions = VN_FHIR,
): AddressUnitCodes {
  const units = extensions?.find((e) => e.url === conventions.extensions.addressUnits);
  const codes: AddressUnitCodes = {};
  for (const part of Object.keys(ADDRESS_UNIT_PARTS) as AddressUnitPart[]) {
    const code = units?.extension?.find((e) => e.url === ADDRESS_UNIT_PARTS[part])?.valueCoding?.code;
    if (code) codes[part] = code;
  }
  return codes;
}
