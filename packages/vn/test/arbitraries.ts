// fast-check generators of Vietnamese text shared by the test files.
import fc from 'fast-check';

const LETTERS = [
  ...'abcdeghiklmnopqrstuvxyăâđêôơư',
  ...'àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ',
];
const LETTER = fc.constantFrom(...LETTERS, ...LETTERS.map((l) => l.toUpperCase()));

/** Words of Vietnamese letters in both cases, separated by runs of spaces and tabs. */
export const vietnameseText = fc
  .array(fc.oneof(LETTER, fc.constantFrom(' ', '  ', '\t')), { maxLength: 40 })
  .map((chars) => chars.join(''));

const INITIALS = ['', 'b', 'ch', 'đ', 'gi', 'h', 'kh', 'l', 'ng', 'nh', 'qu', 't', 'th', 'tr', 'x'];
const NUCLEI = ['a', 'oa', 'oe', 'uy', 'ua', 'ai', 'ao', 'ươ', 'iê', 'uô', 'oai', 'uyê', 'ê', 'ư', 'y'];
const FINALS = ['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't'];
const TONES = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];

/** A toneless syllable and a combining tone mark to place on one of its vowels. */
export const vietnameseSyllable = fc.record({
  bare: fc
    .tuple(fc.constantFrom(...INITIALS), fc.constantFrom(...NUCLEI), fc.constantFrom(...FINALS))
    .map((parts) => parts.join('')),
  tone: fc.constantFrom(...TONES),
});
