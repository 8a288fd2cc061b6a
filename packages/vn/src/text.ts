// Vietnamese text normalisation for storage (`normalizeText`) and search keys (`foldText`).
// Runs on every indexed string on every write, so both functions use lookup tables built once at
// load time and a single pass over the input. Pure: no I/O, no locale-dependent behaviour.
//
// Tone-mark convention: the "old style" (kiểu cũ) placement of most official texts and of the
// pre-2025 unit names ("Thanh Hóa", "Khánh Hòa"): in an open syllable whose vowel nucleus is oa,
// oe or uy the tone sits on the first vowel (hòa, khỏe, thủy); "new style" input (hoà, khoẻ,
// thuỷ) and misplaced marks (qùy) are moved to that position. Words that do not parse as a Vietnamese syllable (José,
// Noël) are left untouched.

const TONE_MARKS = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'] as const;
const BASE_VOWELS = 'aăâeêioôơuưyAĂÂEÊIOÔƠUƯY';
/** Vowels whose shape carries a quality mark; the tone goes on the last of them in a syllable. */
const QUALITY_VOWELS = new Set('ăâêôơư');
const LOWER_VOWELS = new Set('aăâeêioôơuưy');

/** tone index (1–5) and toneless vowel of each precomposed toned vowel */
const TONED = new Map<string, { base: string; tone: number }>();
/** composed vowel for `base + tone index` */
const COMPOSE = new Map<string, string>();
for (const base of BASE_VOWELS) {
  TONE_MARKS.forEach((mark, i) => {
    const composed = (base + mark).normalize('NFC');
    TONED.set(composed, { base, tone: i + 1 });
    COMPOSE.set(base + (i + 1), composed);
  });
}

const INITIALS = ['ngh', 'ng', 'gh', 'gi', 'kh', 'nh', 'ph', 'th', 'tr', 'ch', 'qu'].concat([
  ...'bcdđghklmnprstvx',
]);
const FINALS = new Set(['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't']);

const TABLE_END = 0x1f00;
const EXTENDED_START = 0x1e00;
const SPACE = ' ';

function foldChar(ch: string): string {
  if (/\s/u.test(ch)) return SPACE;
  if (/[\p{M}\p{Cc}\p{Cf}]/u.test(ch)) return '';
  if (ch === 'đ' || ch === 'Đ' || ch === 'ð' || ch === 'Ð') return 'd';
  const lower = ch.toLowerCase();
  const base = lower.normalize('NFD')[0] ?? lower;
  return base.charCodeAt(0) < 0x80 ? base : lower;
}

/** The fold of each code unit below TABLE_END: '' to drop it, SPACE for whitespace. */
const FOLD: string[] = [];
/** Code units whose NFC form is themselves and that never compose with a neighbour. */
const NFC_STABLE = new Uint8Array(TABLE_END);
for (let c = 0; c < TABLE_END; c++) {
  const ch = String.fromCharCode(c);
  FOLD.push(foldChar(ch));
  NFC_STABLE[c] = (c < 0x300 || c >= EXTENDED_START) && ch.normalize('NFC') === ch ? 1 : 0;
}

const rareFolds = new Map<number, string>();
const RARE_FOLDS_LIMIT = 10_000;

function foldCode(c: number): string {
  if (c < TABLE_END) return FOLD[c] as string;
  let folded = rareFolds.get(c);
  if (folded === undefined) {
    folded = foldChar(String.fromCharCode(c));
    if (rareFolds.size < RARE_FOLDS_LIMIT) rareFolds.set(c, folded);
  }
  return folded;
}

function isNfcStable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= TABLE_END || NFC_STABLE[c] === 0) return false;
  }
  return true;
}

/** NFC, skipping the library call for Latin-only strings, which are NFC already. */
function toNfc(s: string): string {
  return isNfcStable(s) ? s : s.normalize('NFC');
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Printable ASCII with single inner spaces: its fold is just its lowercase. */
function isTidyAscii(s: string): boolean {
  let previous = 0x20;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || (c === 0x20 && previous === 0x20)) return false;
    previous = c;
  }
  return previous !== 0x20 || s.length === 0;
}

/**
 * The search key of a string: lowercase, Latin letters without diacritics (Đ/đ → d), whitespace
 * runs collapsed to one space, control and zero-width characters dropped, trimmed. Accepts NFC and
 * NFD input alike; both tone placements fold to the same key. Other scripts keep their marks.
 */
export function foldText(s: string): string {
  if (isTidyAscii(s)) return s.toLowerCase();
  const nfc = toNfc(s);
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < nfc.length; i++) {
    const f = foldCode(nfc.charCodeAt(i));
    if (f === SPACE) {
      pendingSpace = out.length > 0;
    } else if (f !== '') {
      if (pendingSpace) {
        out += SPACE;
        pendingSpace = false;
      }
      out += f;
    }
  }
  return out;
}

/** The index (within `lower`) of the vowel that carries the tone, or -1 when not a Vietnamese syllable. */
function tonePosition(lower: string): number {
  let start = 0;
  for (const initial of INITIALS) {
    if (lower.startsWith(initial)) {
      const next = lower[initial.length];
      const glidesIntoVowel = initial === 'gi' || initial === 'qu';
      if (glidesIntoVowel && (next === undefined || !LOWER_VOWELS.has(next))) continue;
      start = initial.length;
      break;
    }
  }
  let end = start;
  while (end < lower.length && LOWER_VOWELS.has(lower[end] as string)) end++;
  const vowels = end - start;
  if (vowels === 0 || vowels > 3 || !FINALS.has(lower.slice(end))) return -1;
  for (let i = end - 1; i >= start; i--) if (QUALITY_VOWELS.has(lower[i] as string)) return i;
  if (end < lower.length) return end - 1;
  if (vowels === 3) return start + 1;
  return start;
}

const syllableCache = new Map<string, string>();
const SYLLABLE_CACHE_LIMIT = 50_000;

function canonicalSyllable(word: string): string {
  const cached = syllableCache.get(word);
  if (cached !== undefined) return cached;
  let tone = 0;
  let bare = '';
  let marks = 0;
  for (const ch of word) {
    const toned = TONED.get(ch);
    if (toned) {
      tone = toned.tone;
      marks++;
      bare += toned.base;
    } else bare += ch;
  }
  const lower = bare.toLowerCase();
  const at = marks === 1 && lower.length === bare.length ? tonePosition(lower) : -1;
  const composed = at >= 0 ? COMPOSE.get(bare.slice(at, at + 1) + tone) : undefined;
  const result = composed === undefined ? word : bare.slice(0, at) + composed + bare.slice(at + 1);
  if (syllableCache.size >= SYLLABLE_CACHE_LIMIT) syllableCache.clear();
  syllableCache.set(word, result);
  return result;
}

/** Word characters for syllable splitting: letters and combining marks. */
const WORD_CHAR = /[\p{L}\p{M}]/u;
const IS_WORD = new Uint8Array(TABLE_END);
for (let c = 0; c < TABLE_END; c++) IS_WORD[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0;
const HAS_TONE = new Uint8Array(TABLE_END);
for (const toned of TONED.keys()) HAS_TONE[toned.charCodeAt(0)] = 1;

/**
 * Storage form of a string: Unicode NFC with every Vietnamese syllable's tone mark in the
 * canonical (old-style) position. Idempotent; spacing and case are kept as given.
 */
export function normalizeText(s: string): string {
  if (isAscii(s)) return s;
  const nfc = toNfc(s);
  let out = '';
  let copied = 0;
  let wordStart = -1;
  let toned = false;
  for (let i = 0; i <= nfc.length; i++) {
    const c = i < nfc.length ? nfc.charCodeAt(i) : 0;
    const inWord = c >= TABLE_END ? i < nfc.length && WORD_CHAR.test(nfc[i] as string) : IS_WORD[c] === 1;
    if (inWord) {
      if (wordStart < 0) wordStart = i;
      if (c < TABLE_END && HAS_TONE[c] === 1) toned = true;
      continue;
    }
    if (toned && i - wordStart > 1) {
      const word = nfc.slice(wordStart, i);
      const canonical = canonicalSyllable(word);
      if (canonical !== word) {
        out += nfc.slice(copied, wordStart) + canonical;
        copied = i;
      }
    }
    wordStart = -1;
    toned = false;
  }
  return copied === 0 ? nfc : out + nfc.slice(copied);
}
