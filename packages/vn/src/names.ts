// Vietnamese personal names: parsing into family / middle / given, display order, sorting by
// given name, and the spelling variants a patient-matching engine must treat as equal.
// Pure: no I/O. It never decides that two people are the same; it only produces keys and variants.
import { foldText, normalizeText } from './text.ts';

export interface VietnameseName {
  /** Family name (họ), possibly two words for a double family name; '' when unknown. */
  family: string;
  /** Middle names (tên đệm), in order; often empty or one word. */
  middle: string[];
  /** Given name (tên), the last word, by which a person is addressed and sorted. */
  given: string;
}

export interface ParseNameOptions {
  /**
   * How many leading words form the family name. Default 1: a double family name such as
   * "Nguyễn Phạm Minh Anh" cannot be told apart from a family name and a middle name that is itself
   * a family name, so it parses as family "Nguyễn", middle "Phạm Minh". Pass 2 when the source
   * knows better (a form with separate fields); `familyNameCandidates` lists the plausible splits.
   */
  familyWords?: number;
  /** Written order of the input; default 'family-first' (see `detectNameOrder`). */
  order?: WrittenOrder;
}

export type WrittenOrder = 'family-first' | 'given-first';

/** Common Vietnamese family names (NFC, canonical tone placement). */
export const COMMON_FAMILY_NAMES: readonly string[] = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Đinh',
  'Đào',
  'Đoàn',
  'Lâm',
  'Mai',
  'Trịnh',
  'Trương',
  'Cao',
  'Lương',
  'Hà',
  'Tạ',
  'Tô',
  'Vương',
  'Châu',
];
const FAMILY_KEYS = new Set(COMMON_FAMILY_NAMES.map(foldText));

function words(full: string): string[] {
  return normalizeText(full).split(/\s+/u).filter(Boolean);
}

/**
 * Splits a full name. Family-first (default): "Nguyễn Văn An". Given-first, as `formatNameGivenFirst`
 * writes it: "An Văn Nguyễn" (given, middle names in order, family). A single word is the given name.
 */
export function parseName(full: string, options: ParseNameOptions = {}): VietnameseName {
  const parts = words(full);
  if (parts.length <= 1) return { family: '', middle: [], given: parts[0] ?? '' };
  const familyWords = Math.min(Math.max(options.familyWords ?? 1, 1), parts.length - 1);
  if (options.order === 'given-first') {
    return {
      family: parts.slice(-familyWords).join(' '),
      middle: parts.slice(1, -familyWords),
      given: parts[0] as string,
    };
  }
  return {
    family: parts.slice(0, familyWords).join(' '),
    middle: parts.slice(familyWords, -1),
    given: parts[parts.length - 1] as string,
  };
}

/**
 * The plausible family-name splits of a full name, most likely first: always the first word;
 * also the first two words when both are common family names and at least one word is left for
 * the middle or given name.
 */
export function familyNameCandidates(full: string): VietnameseName[] {
  const parts = words(full);
  const candidates = [parseName(full)];
  const [first, second] = parts;
  if (
    parts.length >= 3 &&
    first &&
    second &&
    FAMILY_KEYS.has(foldText(first)) &&
    FAMILY_KEYS.has(foldText(second))
  ) {
    candidates.push(parseName(full, { familyWords: 2 }));
  }
  return candidates;
}

/**
 * The likely written order of a full name, from where a common family name stands: "Nguyễn Văn An"
 * is family-first, "An Văn Nguyễn" given-first; undefined when both ends or neither end is one.
 */
export function detectNameOrder(full: string): WrittenOrder | undefined {
  const parts = words(full);
  if (parts.length < 2) return undefined;
  const firstIsFamily = FAMILY_KEYS.has(foldText(parts[0] as string));
  const lastIsFamily = FAMILY_KEYS.has(foldText(parts[parts.length - 1] as string));
  if (firstIsFamily === lastIsFamily) return undefined;
  return firstIsFamily ? 'family-first' : 'given-first';
}

/** Vietnamese display order: family, middle, given. */
export function formatName(name: VietnameseName): string {
  return [name.family, ...name.middle, name.given].filter(Boolean).join(' ');
}

/** Western (given-first) display order, as foreign systems print it: given, middle, family. */
export function formatNameGivenFirst(name: VietnameseName): string {
  return [name.given, ...name.middle, name.family].filter(Boolean).join(' ');
}

/** A FHIR R4 HumanName: `given` holds the middle names then the given name, in speaking order. */
export interface HumanNameParts {
  text: string;
  family?: string;
  given?: string[];
}

export function toHumanName(name: VietnameseName): HumanNameParts {
  const given = [...name.middle, name.given].filter(Boolean);
  return {
    text: formatName(name),
    ...(name.family ? { family: name.family } : {}),
    ...(given.length > 0 ? { given } : {}),
  };
}

export function fromHumanName(human: HumanNameParts): VietnameseName {
  const given = (human.given ?? []).flatMap(words);
  if (!human.family && given.length === 0) return parseName(human.text ?? '');
  return {
    family: human.family ? words(human.family).join(' ') : '',
    middle: given.slice(0, -1),
    given: given[given.length - 1] ?? '',
  };
}

// Collation: primary level is the folded text; then letter variants (a < ă < â, d < đ, e < ê,
// o < ô < ơ, u < ư); then tones in dictionary order (none, huyền, hỏi, ngã, sắc, nặng); then case.
const VARIANT_RANK = new Map<string, number>([
  ['ă', 1],
  ['â', 2],
  ['đ', 1],
  ['ê', 1],
  ['ô', 1],
  ['ơ', 2],
  ['ư', 1],
]);
const TONE_RANK = new Map<string, number>([
  ['\u0300', 1],
  ['\u0309', 2],
  ['\u0303', 3],
  ['\u0301', 4],
  ['\u0323', 5],
]);
const QUALITY_MARKS = new Set(['\u0306', '\u0302', '\u031b']);

/**
 * A sort key for Vietnamese text comparable with plain `<` (code-unit order): folded text first,
 * so "Đặng" sorts among the D's, with diacritics and case only breaking ties.
 */
export function vietnameseSortKey(s: string): string {
  let variants = '';
  let tones = '';
  let cases = '';
  for (const ch of normalizeText(s)) {
    if (foldText(ch) === '') continue;
    const lower = ch.toLowerCase();
    const decomposed = lower.normalize('NFD');
    let tone = 0;
    let base = decomposed[0] ?? '';
    for (const mark of decomposed.slice(1)) {
      tone = TONE_RANK.get(mark) ?? tone;
      if (QUALITY_MARKS.has(mark)) base += mark;
    }
    variants += VARIANT_RANK.get(base.normalize('NFC')) ?? 0;
    tones += tone;
    cases += lower === ch ? 0 : 1;
  }
  return `${foldText(s)}\u0001${variants}\u0001${tones}\u0001${cases}`;
}

/** The key that orders names by given name, then family name, then middle names. */
export function nameSortKey(name: VietnameseName): string {
  return [name.given, name.family, name.middle.join(' ')].map(vietnameseSortKey).join('\u0000');
}

/** Comparator for `Array.prototype.sort`: given name, family name, middle names (Vietnamese collation). */
export function compareNames(a: VietnameseName, b: VietnameseName): number {
  const ka = nameSortKey(a);
  const kb = nameSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// Spelling variants. Hoàng/Huỳnh and Vũ/Võ are northern/southern forms of one family name; a final
// y after a consonant is often written i (Lý/Lí, Kỳ/Kì, Quý/Quí). Keys are folded words.
const REGIONAL_VARIANTS = new Map<string, string>([
  ['huynh', 'hoang'],
  ['vo', 'vu'],
]);
const CONSONANT_THEN_Y = /^(?:[bcdghklmnpqrstvx]|ch|gh|kh|ng|nh|ph|th|tr|ngh|qu)y$/u;

/** The canonical folded spelling of one word: regional family-name forms and final i → y merged. */
export function canonicalNameWord(word: string): string {
  const folded = foldText(word);
  const regional = REGIONAL_VARIANTS.get(folded);
  if (regional) return regional;
  const withY = folded.endsWith('i') ? `${folded.slice(0, -1)}y` : folded;
  return CONSONANT_THEN_Y.test(withY) ? withY : folded;
}

/**
 * A blocking key for patient matching: each word folded and canonicalised, in the written order.
 * Two spellings of one name (Hoàng Văn Kỳ, Huỳnh Văn Kì, HUYNH VAN KY) share a key.
 */
export function nameMatchKey(full: string): string {
  return foldText(full).split(' ').filter(Boolean).map(canonicalNameWord).join(' ');
}

const WORD_ALTERNATIVES = new Map<string, string[]>();
for (const [variant, canonical] of REGIONAL_VARIANTS) {
  WORD_ALTERNATIVES.set(variant, [variant, canonical]);
  WORD_ALTERNATIVES.set(canonical, [canonical, variant]);
}

function alternatives(folded: string): string[] {
  const regional = WORD_ALTERNATIVES.get(folded);
  if (regional) return regional;
  const canonical = canonicalNameWord(folded);
  if (canonical === folded && !CONSONANT_THEN_Y.test(folded)) return [folded];
  const withI = `${canonical.slice(0, -1)}i`;
  return folded === withI ? [folded, canonical] : [folded, withI];
}

/** Upper bound on the variants `nameVariants` returns. */
export const MAX_NAME_VARIANTS = 64;

/**
 * The folded spellings of a name that may denote the same name (the folded name itself first),
 * at most MAX_NAME_VARIANTS of them.
 */
export function nameVariants(full: string): string[] {
  let results = [''];
  for (const word of foldText(full).split(' ').filter(Boolean)) {
    const next: string[] = [];
    for (const prefix of results) {
      for (const alt of alternatives(word)) {
        if (next.length < MAX_NAME_VARIANTS) next.push(prefix ? `${prefix} ${alt}` : alt);
      }
    }
    results = next;
  }
  return results;
}
