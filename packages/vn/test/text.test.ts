import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldText, normalizeText } from '@hoso/vn/text';
import { vietnameseText, vietnameseSyllable } from './arbitraries.ts';

describe('normalizeText', () => {
  it('places tone marks in the old style', () => {
    assert.equal(normalizeText('Hoà'), 'Hòa');
    assert.equal(normalizeText('thuỷ'), 'thủy');
    assert.equal(normalizeText('khoẻ'), 'khỏe');
    assert.equal(normalizeText('Thanh Hoá'), 'Thanh Hóa');
    assert.equal(normalizeText('HOÀ'), 'HÒA');
  });

  it('keeps syllables whose placement does not depend on the style', () => {
    for (const word of [
      'hoàng',
      'Quỳnh',
      'Huỳnh',
      'Người',
      'khuỷu',
      'xoáy',
      'ngoẹo',
      'gìn giữ',
      'quốc',
      'mía',
    ]) {
      assert.equal(normalizeText(word), word);
    }
  });

  it('moves misplaced marks to the canonical vowel', () => {
    assert.equal(normalizeText('qùy'), 'quỳ');
    assert.equal(normalizeText('ngừơi'), 'người');
  });

  it('composes NFD input', () => {
    assert.equal(normalizeText('Nguye\u0302\u0303n'), 'Nguyễn');
    assert.equal(normalizeText('ho\u0061\u0300'), 'hòa');
  });

  it('leaves non-Vietnamese words, spacing and ASCII alone', () => {
    assert.equal(normalizeText('José Noël'), 'José Noël');
    assert.equal(normalizeText('  Tran   Van  '), '  Tran   Van  ');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => normalizeText(normalizeText(s)) === normalizeText(s)),
    );
    fc.assert(fc.property(vietnameseText, (s) => normalizeText(normalizeText(s)) === normalizeText(s)));
  });

  it('gives NFC and NFD input the same result', () => {
    fc.assert(fc.property(vietnameseText, (s) => normalizeText(s.normalize('NFD')) === normalizeText(s)));
  });

  it('maps every placement of one tone in a syllable to the same string', () => {
    fc.assert(
      fc.property(vietnameseSyllable, fc.nat(), ({ bare, tone }, pick) => {
        const vowels = [...bare].flatMap((ch, i) => ('aăâeêioôơuưy'.includes(ch) ? [i] : []));
        const place = (at: number) => (bare.slice(0, at + 1) + tone + bare.slice(at + 1)).normalize('NFC');
        const canonical = normalizeText(place(vowels[0] as number));
        return normalizeText(place(vowels[pick % vowels.length] as number)) === canonical;
      }),
    );
  });
});

describe('foldText', () => {
  it('strips diacritics, folds Đ and case, collapses whitespace', () => {
    assert.equal(foldText('Đặng'), 'dang');
    assert.equal(foldText('Hòa'), 'hoa');
    assert.equal(foldText('Hoà'), 'hoa');
    assert.equal(foldText('  NGUYỄN\tThị\u00a0 Minh  Khai '), 'nguyen thi minh khai');
    assert.equal(foldText('Nguye\u0302\u0303n'), 'nguyen');
    assert.ok(foldText('Nguyễn Văn A').startsWith('nguyen'));
  });

  it('treats the look-alike eth as đ and drops zero-width characters', () => {
    assert.equal(foldText('Ðặng'), 'dang');
    assert.equal(foldText('Ng\u200buyễn'), 'nguyen');
  });

  it('drops control characters; other scripts keep their marks, lowercased and composed', () => {
    assert.equal(foldText('A\u0000B\u007f C'), 'ab c');
    assert.equal(foldText('ПЕТРОВ Ёлка'), 'петров ёлка');
    assert.equal(foldText('김민준'.normalize('NFD')), '김민준');
    assert.equal(foldText('Tidy ASCII Name'), 'tidy ascii name');
  });

  it('is idempotent on any input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => foldText(foldText(s)) === foldText(s)));
  });

  it('ignores normalisation: fold(normalize(x)) = fold(x) = fold(NFD(x))', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const folded = foldText(s);
        return foldText(normalizeText(s)) === folded && foldText(s.normalize('NFD')) === folded;
      }),
    );
  });

  it('gives ASCII without edge or double spaces for Vietnamese text', () => {
    fc.assert(
      fc.property(vietnameseText, (s) => {
        const folded = foldText(s);
        return /^[a-z]*( [a-z]+)*$/.test(folded);
      }),
    );
  });
});
