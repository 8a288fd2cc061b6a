// Health-insurance (bảo hiểm y tế, BHYT) cards: the 15-character card code is 2 letters of
// beneficiary group, 1 digit of benefit level (1–5), 2 digits of province code and the person's
// 10-digit lifelong social-insurance (BHXH) number. Benefit percentages per level are not
// confirmed, so they come from a replaceable table. Pure: no I/O; checks report, never fix.
import type { Finding, Parsed } from './findings.ts';
import { legacyProvinceByCode, type LegacyProvince } from './provinces.ts';

/** The 43 beneficiary-group codes of Decision 1351/QĐ-BHXH (shared data has their wording). */
export const BHYT_BENEFICIARY_GROUPS: readonly string[] = (
  'DN HX CH NN TK HC XK HT TB NO CT XB TN CS QN CA CY XN MS CC CK CB ' +
  'KC HD TE BT HN DT DK XD TS TC TQ TA TY HG LS PV CN HS SV GB GD'
).split(' ');
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set(BHYT_BENEFICIARY_GROUPS);

export type BenefitLevel = 1 | 2 | 3 | 4 | 5;

export interface BhytCard {
  card: string;
  /** Beneficiary group, e.g. 'DN' (employee of an enterprise). */
  group: string;
  level: BenefitLevel;
  /** Two-digit province code printed on the card. */
  provinceCode: string;
  /** The province of that code (pre-2025 table, which contains every current code); undefined if unknown. */
  province: LegacyProvince | undefined;
  /** The 10-digit lifelong social-insurance number. */
  insuranceNumber: string;
}

export interface BhytOptions {
  /** Accepted beneficiary groups; defaults to the built-in 43 (pass the loaded list when available). */
  groups?: ReadonlySet<string>;
}

const CARD_PATTERN = /^([A-Z]{2})([1-5])(\d{2})(\d{10})$/;

/** Upper-cases a typed card code and removes spaces and dashes. */
export function cleanBhytCard(input: string): string {
  return input.replace(/[\s-]/gu, '').toUpperCase();
}

export function parseBhytCard(card: string, options: BhytOptions = {}): Parsed<BhytCard> {
  const match = CARD_PATTERN.exec(card);
  if (!match) {
    return {
      ok: false,
      findings: [
        { code: 'bhyt-format', message: 'A BHYT card code is 2 letters, a level 1–5 and 12 digits' },
      ],
    };
  }
  const [, group = '', level = '', provinceCode = '', insuranceNumber = ''] = match;
  if (!(options.groups ?? BUILT_IN_GROUPS).has(group)) {
    return { ok: false, findings: [{ code: 'bhyt-group', message: `Unknown beneficiary group ${group}` }] };
  }
  return {
    ok: true,
    value: {
      card,
      group,
      level: Number(level) as BenefitLevel,
      provinceCode,
      province: legacyProvinceByCode(provinceCode),
      insuranceNumber,
    },
  };
}

/** Percentage of covered costs the fund pays, per benefit level. */
export type BenefitTable = Readonly<Record<BenefitLevel, number>>;

/** UNCONFIRMED default (VIETNAM.md): levels 1–2 → 100 %, 3 → 95 %, 4 → 80 %, 5 → 100 %. */
export const DEFAULT_BENEFIT_TABLE: BenefitTable = { 1: 100, 2: 100, 3: 95, 4: 80, 5: 100 };

export function benefitPercent(level: BenefitLevel, table: BenefitTable = DEFAULT_BENEFIT_TABLE): number {
  return table[level];
}

export interface ValidityWindow {
  /** FHIR date (YYYY-MM-DD) the card is valid from, inclusive. */
  validFrom?: string;
  /** FHIR date the card is valid to, inclusive; absent for a card without end date. */
  validTo?: string;
}

/** Why a card is not valid on `date` (YYYY-MM-DD); empty when it is. */
export function checkBhytValidity(window: ValidityWindow, date: string): Finding[] {
  const findings: Finding[] = [];
  if (window.validFrom && date < window.validFrom) {
    findings.push({
      code: 'bhyt-not-yet-valid',
      message: `The card is valid from ${window.validFrom}, not on ${date}`,
    });
  }
  if (window.validTo && date > window.validTo) {
    findings.push({ code: 'bhyt-expired', message: `The card expired on ${window.validTo}, before ${date}` });
  }
  if (window.validFrom && window.validTo && window.validFrom > window.validTo) {
    findings.push({ code: 'bhyt-window', message: `The card's validity ends before it starts` });
  }
  return findings;
}

export function isBhytValidOn(window: ValidityWindow, date: string): boolean {
  return checkBhytValidity(window, date).length === 0;
}
