import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  canonicalNameWord,
  compareNames,
  detectNameOrder,
  familyNameCandidates,
  formatName,
  formatNameGivenFirst,
  fromHumanName,
  MAX_NAME_VARIANTS,
  nameMatchKey,
  nameVariants,
  parseName,
  toHumanName,
  vietnameseSortKey,
} from '@hoso/vn/names';
import { foldText } from '@hoso/vn/text';
import { vietnameseText } from './arbitraries.ts';

describe('parseName', () => {
  it('splits family, middle and given name', () => {
    assert.deepEqual(parseName(' Nguyễn  Thị Minh Khai '), {
      family: 'Nguyễn',
      middle: ['Thị', 'Minh'],
      given: 'Khai',
    });
    assert.deepEqual(parseName('Lê Hoà'), { family: 'Lê', middle: [], given: 'Hòa' });
    assert.deepEqual(parseName('Hoa'), { family: '', middle: [], given: 'Hoa' });
    assert.deepEqual(parseName(''), { family: '', middle: [], given: '' });
  });

  it('takes one family word unless told otherwise', () => {
    assert.equal(parseName('Nguyễn Phạm Minh Anh').family, 'Nguyễn');
    assert.deepEqual(parseName('Nguyễn Phạm Minh Anh', { familyWords: 2 }), {
      family: 'Nguyễn Phạm',
      middle: ['Minh'],
      given: 'Anh',
    });
    assert.equal(parseName('Tôn Nữ', { familyWords: 5 }).given, 'Nữ');
  });

  it('detects and parses names written given-first', () => {
    assert.equal(detectNameOrder('Nguyễn Văn An'), 'family-first');
    assert.equal(detectNameOrder('An Van NGUYEN'), 'given-first');
    assert.equal(detectNameOrder('Lê Văn Lâm'), undefined);
    assert.equal(detectNameOrder('Hoa'), undefined);
    assert.deepEqual(parseName('An Văn Nguyễn', { order: 'given-first' }), parseName('Nguyễn Văn An'));
    fc.assert(
      fc.property(vietnameseText, (s) => {
        const name = parseName(s);
        return (
          JSON.stringify(parseName(formatNameGivenFirst(name), { order: 'given-first' })) ===
            JSON.stringify(name) || name.family === ''
        );
      }),
    );
  });

  it('lists a double family name as a second candidate only when both words are family names', () => {
    assert.deepEqual(
      familyNameCandidates('Nguyễn Phạm Minh Anh').map((n) => n.family),
      ['Nguyễn', 'Nguyễn Phạm'],
    );
    assert.equal(familyNameCandidates('Nguyễn Văn An').length, 1);
    assert.equal(familyNameCandidates('Nguyễn Trần').length, 1);
  });

  it('round-trips through display order and FHIR HumanName', () => {
    fc.assert(
      fc.property(vietnameseText, (s) => {
        const name = parseName(s);
        const reparsed = parseName(formatName(name));
        return (
          (name.family === '' || JSON.stringify(reparsed) === JSON.stringify(name)) &&
          JSON.stringify(fromHumanName(toHumanName(name))) === JSON.stringify(name)
        );
      }),
    );
  });

  it('formats both orders and HumanName', () => {
    const name = parseName('Trần Văn Bình');
    assert.equal(formatName(name), 'Trần Văn Bình');
    assert.equal(formatNameGivenFirst(name), 'Bình Văn Trần');
    assert.deepEqual(toHumanName(name), { text: 'Trần Văn Bình', family: 'Trần', given: ['Văn', 'Bình'] });
    assert.deepEqual(fromHumanName({ text: 'Lê Thị Hồng' }), parseName('Lê Thị Hồng'));
  });
});

describe('sorting', () => {
  it('sorts by given name, then family, then middle', () => {
    const names = ['Trần Văn Bình', 'Nguyễn Thị An', 'Lê Bình', 'Đặng Văn An', 'Nguyễn Văn An'].map((n) =>
      parseName(n),
    );
    assert.deepEqual(names.sort(compareNames).map(formatName), [
      'Đặng Văn An',
      'Nguyễn Thị An',
      'Nguyễn Văn An',
      'Lê Bình',
      'Trần Văn Bình',
    ]);
  });

  it('orders by folded text first and breaks ties by letter, tone and case', () => {
    const sorted = ['Đa', 'dà', 'Da', 'da', 'dạ', 'dá', 'Dương', 'đá'].sort((a, b) =>
      vietnameseSortKey(a) < vietnameseSortKey(b) ? -1 : 1,
    );
    assert.deepEqual(sorted, ['da', 'Da', 'dà', 'dá', 'dạ', 'Đa', 'đá', 'Dương']);
  });

  it('is a total order consistent with folding', () => {
    fc.assert(
      fc.property(vietnameseText, vietnameseText, (a, b) => {
        const ka = vietnameseSortKey(a);
        const kb = vietnameseSortKey(b);
        const fa = foldText(a);
        const fb = foldText(b);
        if (fa !== fb && fa < fb !== ka < kb) return false;
        return ka !== kb || vietnameseSortKey(a.normalize('NFD')) === kb;
      }),
    );
  });
});

describe('name variants', () => {
  it('merges regional family-name forms and i/y spellings', () => {
    assert.equal(nameMatchKey('Hoàng Văn Kỳ'), nameMatchKey('HUYNH VAN KI'));
    assert.equal(nameMatchKey('Võ Thị Lý'), nameMatchKey('Vũ Thị Lí'));
    assert.equal(canonicalNameWord('Quí'), 'quy');
    assert.equal(canonicalNameWord('Huy'), 'huy');
    assert.equal(canonicalNameWord('Hải'), 'hai');
  });

  it('lists spellings with the folded name first', () => {
    assert.deepEqual(nameVariants('Hoàng Kỳ'), ['hoang ky', 'hoang ki', 'huynh ky', 'huynh ki']);
    assert.deepEqual(nameVariants('Trần Văn An'), ['tran van an']);
  });

  it('every variant shares the match key, and the list is bounded', () => {
    fc.assert(
      fc.property(vietnameseText, (s) => {
        const variants = nameVariants(s);
        const key = nameMatchKey(s);
        return (
          variants.length >= 1 &&
          variants.length <= MAX_NAME_VARIANTS &&
          variants[0] === foldText(s) &&
          variants.every((v) => nameMatchKey(v) === key)
        );
      }),
    );
  });
});
