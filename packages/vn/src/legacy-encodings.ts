// Decoding Vietnamese text typed in pre-Unicode font encodings, as it arrives when an old file
// was read as Windows-1252 / Latin-1: TCVN3 (ABC, ".VnTime" fonts; TCVN 5712 VN3) and
// VNI-Windows ("VNI-Times" fonts). The caller decides which encoding a source used; nothing here
// guesses. Output is normalised (NFC, canonical tone placement). Pure: no I/O.
import { normalizeText } from './text.ts';

/**
 * TCVN 5712 characters 0xA1–0xFF. VN3 fonts have no toned capitals (documents use a separate
 * capitals font with the lowercase codes), so such text decodes in lowercase; the capitals at the
 * remaining positions are those of the VN1 variant.
 */
const TCVN3_FROM_A1 =
  'ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ';
const TCVN3_START = 0xa1;

export function decodeTcvn3(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c >= TCVN3_START && c <= 0xff ? TCVN3_FROM_A1[c - TCVN3_START] : ch;
  }
  return normalizeText(out);
}

const GRAVE = '\u0300';
const HOOK = '\u0309';
const TILDE = '\u0303';
const ACUTE = '\u0301';
const DOT = '\u0323';
const CIRCUMFLEX = '\u0302';
const BREVE = '\u0306';
const HORN = '\u031b';

/** VNI letters written as one character. */
const VNI_LETTERS: Record<string, string> = {
  ô: `o${HORN}`,
  ö: `u${HORN}`,
  ñ: 'đ',
  ì: `i${GRAVE}`,
  í: `i${ACUTE}`,
  æ: `i${HOOK}`,
  ó: `i${TILDE}`,
  ò: `i${DOT}`,
  î: `y${DOT}`,
};

/** VNI marks typed after a vowel, with the vowels they may follow. */
const TONE_MARKS: Record<string, string> = { ø: GRAVE, ù: ACUTE, û: HOOK, õ: TILDE, ï: DOT };
const CIRCUMFLEX_MARKS: Record<string, string> = {
  â: '',
  à: GRAVE,
  á: ACUTE,
  å: HOOK,
  ã: TILDE,
  ä: DOT,
};
const BREVE_MARKS: Record<string, string> = { ê: '', è: GRAVE, é: ACUTE, ú: HOOK, ü: TILDE, ë: DOT };

const TONELESS_VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y', `o${HORN}`, `u${HORN}`]);

/** The combining marks a VNI mark character adds to a (decomposed) base letter, if it may follow it. */
function vniMark(base: string, mark: string): string | undefined {
  const b = base.toLowerCase();
  const m = mark.toLowerCase();
  if (TONELESS_VOWELS.has(b) && m in TONE_MARKS) return TONE_MARKS[m];
  if ('aeo'.includes(b) && m in CIRCUMFLEX_MARKS) return CIRCUMFLEX + CIRCUMFLEX_MARKS[m];
  if (b === 'a' && m in BREVE_MARKS) return BREVE + BREVE_MARKS[m];
  return undefined;
}

export function decodeVni(text: string): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const lower = ch.toLowerCase();
    const letter = VNI_LETTERS[lower];
    const base = letter === undefined ? ch : lower === ch ? letter : letter.toUpperCase();
    const next = chars[i + 1];
    const mark = next === undefined ? undefined : vniMark(base.normalize('NFD'), next);
    out += base + (mark ?? '');
    if (mark !== undefined) i++;
  }
  return normalizeText(out);
}
