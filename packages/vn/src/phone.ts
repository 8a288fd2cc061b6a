// Vietnamese phone numbers: national form 0xxxxxxxxx (10 digits for mobiles, 11 for landlines
// 02x + 8 digits), international +84 without the leading 0. Converts the 11-digit mobile numbers
// renumbered in 2018 (0162… → 032…). Pure: no I/O.
import type { Finding, Parsed } from './findings.ts';

export type PhoneKind = 'mobile' | 'landline';

export interface Phone {
  /** National form, e.g. '0912345678'. */
  national: string;
  /** E.164 form, e.g. '+84912345678'. */
  e164: string;
  kind: PhoneKind;
}

/** Mobile prefixes (first three national digits) in use since the 2018 renumbering. */
export const MOBILE_PREFIXES: readonly string[] = (
  '032 033 034 035 036 037 038 039 052 055 056 058 059 070 076 077 078 079 ' +
  '081 082 083 084 085 086 087 088 089 090 091 092 093 094 096 097 098 099'
).split(' ');
const MOBILE = new Set(MOBILE_PREFIXES);

/** The 2018 renumbering of 11-digit mobile numbers: old four-digit prefix → new three-digit prefix. */
export const RENUMBERED_MOBILE_PREFIXES: Readonly<Record<string, string>> = {
  '0120': '070',
  '0121': '079',
  '0122': '077',
  '0126': '076',
  '0128': '078',
  '0123': '083',
  '0124': '084',
  '0125': '085',
  '0127': '081',
  '0129': '082',
  '0162': '032',
  '0163': '033',
  '0164': '034',
  '0165': '035',
  '0166': '036',
  '0167': '037',
  '0168': '038',
  '0169': '039',
  '0186': '056',
  '0188': '058',
  '0199': '059',
};

/** Digits of a typed number in national form: separators dropped, +84 / 0084 / 84 → 0. */
function nationalDigits(input: string): string | undefined {
  const compact = input.replace(/[\s.()-]/gu, '');
  if (!/^\+?\d+$/u.test(compact)) return undefined;
  if (compact.startsWith('+84')) return `0${compact.slice(3)}`;
  if (compact.startsWith('0084')) return `0${compact.slice(4)}`;
  if (compact.startsWith('84') && (compact.length === 11 || compact.length === 12))
    return `0${compact.slice(2)}`;
  return compact.startsWith('+') ? undefined : compact;
}

const INVALID: Finding = { code: 'phone-format', message: 'Not a Vietnamese phone number' };

export function parsePhone(input: string): Parsed<Phone> {
  let national = nationalDigits(input);
  const renumbered = national?.length === 11 ? RENUMBERED_MOBILE_PREFIXES[national.slice(0, 4)] : undefined;
  if (national && renumbered) national = renumbered + national.slice(4);
  if (!national) return { ok: false, findings: [INVALID] };
  const e164 = `+84${national.slice(1)}`;
  if (national.length === 10 && MOBILE.has(national.slice(0, 3))) {
    return { ok: true, value: { national, e164, kind: 'mobile' } };
  }
  if (national.length === 11 && national.startsWith('02')) {
    return { ok: true, value: { national, e164, kind: 'landline' } };
  }
  return { ok: false, findings: [INVALID] };
}

/** The E.164 form (+84…) of a typed number, or undefined when it is not a valid number. */
export function normalizePhone(input: string): string | undefined {
  const parsed = parsePhone(input);
  return parsed.ok ? parsed.value.e164 : undefined;
}

/** Display form: mobiles as 0912 345 678, landlines as 024 3825 1234. */
export function formatPhone(phone: Phone): string {
  const n = phone.national;
  return phone.kind === 'mobile'
    ? `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`
    : `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
}
