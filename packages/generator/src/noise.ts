// The data-entry noise profile: how often each kind of error appears in a facility's own Patient
// record, its defaults, parsing from JSON or "key=value,…" text, and the pure functions that apply
// each error. Rates are probabilities per facility record, independent of each other.
import type { Random } from './random.ts';

export interface NoiseProfile {
  /** name and address typed without Vietnamese diacritics ("Nguyen Van Hung") */
  missingDiacritics: number;
  /** one letter of the name wrong, missing, doubled or swapped with its neighbour */
  typo: number;
  /** given name typed first ("Hùng Nguyễn Văn") */
  swappedNameOrder: number;
  /** middle name left out */
  missingMiddleName: number;
  /** citizen ID not recorded */
  missingCccd: number;
  /** insurance card not recorded */
  missingInsurance: number;
  /** a different phone number (an old one or a relative's) */
  otherPhone: number;
  /** no phone number */
  missingPhone: number;
  /** day and month of birth swapped (only possible when the day is 1–12 and differs from the month) */
  dayMonthSwap: number;
  /** only the year of birth recorded */
  yearOnlyBirthDate: number;
}

export const DEFAULT_NOISE: Readonly<NoiseProfile> = {
  missingDiacritics: 0.12,
  typo: 0.04,
  swappedNameOrder: 0.03,
  missingMiddleName: 0.03,
  missingCccd: 0.25,
  missingInsurance: 0.1,
  otherPhone: 0.15,
  missingPhone: 0.08,
  dayMonthSwap: 0.03,
  yearOnlyBirthDate: 0.02,
};

export const NO_NOISE: Readonly<NoiseProfile> = Object.fromEntries(
  Object.keys(DEFAULT_NOISE).map((k) => [k, 0]),
) as unknown as NoiseProfile;

/** DEFAULT_NOISE overridden by a JSON object text or a "key=value,key=value" list */
export function parseNoise(text: string, base: Readonly<NoiseProfile> = DEFAULT_NOISE): NoiseProfile {
  const trimmed = text.trim();
  const entries: [string, unknown][] = trimmed.startsWith('{')
    ? Object.entries(JSON.parse(trimmed) as Record<string, unknown>)
    : trimmed
        .split(/[,\s]+/)
        .filter(Boolean)
        .map((pair) => {
          const [key, value] = pair.split('=');
          if (value === undefined) throw new Error(`noise: expected key=value, got "${pair}"`);
          return [key ?? '', Number(value)];
        });
  const profile: NoiseProfile = { ...base };
  for (const [key, value] of entries) {
    if (!(key in DEFAULT_NOISE)) {
      throw new Error(`noise: unknown kind "${key}" (known: ${Object.keys(DEFAULT_NOISE).join(', ')})`);
    }
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new Error(`noise: ${key} must be a rate between 0 and 1`);
    }
    profile[key as keyof NoiseProfile] = value;
  }
  return profile;
}

/** names and address parts repeat a lot: each distinct string is stripped once */
const stripped = new Map<string, string>();
const STRIPPED_CACHE_LIMIT = 200_000;

/** Vietnamese letters without diacritics, keeping case (Đ → D) */
export function stripDiacritics(s: string): string {
  let out = stripped.get(s);
  if (out === undefined) {
    out = s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .normalize('NFC');
    if (stripped.size < STRIPPED_CACHE_LIMIT) stripped.set(s, out);
  }
  return out;
}

const NEIGHBOURS = 'aăâeêioôơuưy';

/** one keying error in a word (the word keeps at least two letters) */
export function typo(random: Random, word: string): string {
  const chars = [...word];
  if (chars.length < 3) return word + (chars[chars.length - 1] ?? '');
  const i = random.between(1, chars.length - 1);
  switch (random.int(4)) {
    case 0: // drop a letter
      chars.splice(i, 1);
      break;
    case 1: // double a letter
      chars.splice(i, 0, chars[i] as string);
      break;
    case 2: // swap with the previous letter
      [chars[i - 1], chars[i]] = [chars[i] as string, chars[i - 1] as string];
      break;
    default: // a wrong vowel
      chars[i] = random.pick([...NEIGHBOURS]);
  }
  return chars.join('');
}

/** "YYYY-MM-DD" with day and month swapped, or undefined when the swap gives no other valid date */
export function swapDayMonth(iso: string): string | undefined {
  const [y, m, d] = iso.split('-') as [string, string, string];
  if (d === m || Number(d) > 12) return undefined;
  return `${y}-${d}-${m}`;
}
