import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeTcvn3, decodeVni } from '@hoso/vn/legacy-encodings';
import { normalizeText } from '@hoso/vn/text';
import { vietnameseText } from './arbitraries.ts';

// An independent VNI-Windows encoder for the round-trip property: base letter, then one mark.
const TONES: Record<string, string> = {
  '\u0300': 'ø',
  '\u0301': 'ù',
  '\u0309': 'û',
  '\u0303': 'õ',
  '\u0323': 'ï',
};
const CIRCUMFLEX_TONES: Record<string, string> = {
  '': 'â',
  '\u0300': 'à',
  '\u0301': 'á',
  '\u0309': 'å',
  '\u0303': 'ã',
  '\u0323': 'ä',
};
const BREVE_TONES: Record<string, string> = {
  '': 'ê',
  '\u0300': 'è',
  '\u0301': 'é',
  '\u0309': 'ú',
  '\u0303': 'ü',
  '\u0323': 'ë',
};
const SINGLE: Record<string, string> = {
  'i\u0300': 'ì',
  'i\u0301': 'í',
  'i\u0309': 'æ',
  'i\u0303': 'ó',
  'i\u0323': 'ò',
  'y\u0323': 'î',
};

function encodeVniChar(ch: string): string {
  const upper = ch !== ch.toLowerCase();
  const [base = '', ...marks] = ch.toLowerCase().normalize('NFD');
  const tone = marks.find((m) => m in TONES) ?? '';
  let out: string;
  if (base === 'đ') out = 'ñ';
  else if (SINGLE[base + tone]) out = SINGLE[base + tone] as string;
  else if (marks.includes('\u0302')) out = base + CIRCUMFLEX_TONES[tone];
  else if (marks.includes('\u0306')) out = base + BREVE_TONES[tone];
  else if (marks.includes('\u031b')) out = (base === 'o' ? 'ô' : 'ö') + (TONES[tone] ?? '');
  else out = base + (TONES[tone] ?? '');
  return upper ? out.toUpperCase() : out;
}

const encodeVni = (text: string) => [...text.normalize('NFC')].map(encodeVniChar).join('');

describe('legacy encodings', () => {
  it('decodes TCVN3 (ABC)', () => {
    assert.equal(decodeTcvn3('B¸t X¸t'), 'Bát Xát');
    assert.equal(decodeTcvn3('M\u00adêng Kh\u00ad¬ng'), 'Mường Khương');
    assert.equal(decodeTcvn3('NguyÔn V¨n §Æng'), 'Nguyễn Văn Đặng');
    assert.equal(decodeTcvn3('Hoµ'), 'Hòa');
  });

  it('decodes VNI-Windows', () => {
    assert.equal(decodeVni('Xin chaøo caùc baïn'), 'Xin chào các bạn');
    assert.equal(decodeVni('Nguyeãn Vaên Ñaëng'), 'Nguyễn Văn Đặng');
    assert.equal(decodeVni('Tröông ngöôøi, Lyù, Kyø'), 'Trương người, Lý, Kỳ');
    assert.equal(decodeVni('NGUYEÃN THÒ HOAØ'), 'NGUYỄN THỊ HÒA');
  });

  it('leaves ASCII text alone', () => {
    const ascii = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(fc.property(ascii, (s) => decodeTcvn3(s) === s && decodeVni(s) === s));
  });

  it('round-trips Vietnamese text through VNI', () => {
    fc.assert(fc.property(vietnameseText, (s) => decodeVni(encodeVni(s)) === normalizeText(s)));
  });
});
