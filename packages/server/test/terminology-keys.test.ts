// Pure logic of the terminology search keys and version wildcards: the word-prefix keys a concept
// stores and a filter probes, and which loaded versions a wildcard version names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFilter, prefixKey, searchKeys } from '../src/terminology/keys.ts';
import { fitsVersionPattern, isVersionPattern } from '../src/terminology/version-pattern.ts';

test('prefix keys are base-37 numbers of the letters, distinct across lengths', () => {
  assert.equal(prefixKey('ab', 2), 1 + 2 * 37);
  assert.equal(prefixKey('a0', 2), 1 + 27 * 37);
  assert.notEqual(prefixKey('aaa', 3), prefixKey('aa', 2));
});

test('a concept stores its folded words once and the 2-, 3-, 5- and 7-letter keys of each', () => {
  const { search, keys } = searchKeys({
    code: 'I10',
    display: 'Tăng huyết áp vô căn',
    designations: [{ language: 'en', value: 'Essential (primary) hypertension' }],
  });
  assert.equal(search, ' i10 tang huyet ap vo can essential primary hypertension ');
  for (const [word, n] of [
    ['tang', 3],
    ['huyet', 5],
    ['hypertension', 7],
    ['ap', 2],
  ] as const)
    assert.ok(keys.includes(prefixKey(word, n)), `${word}:${n}`);
});

test('a filter probes the longest keyed prefix of each word; one-letter words only filter', () => {
  const f = parseFilter('TĂNG huyết b')!;
  assert.deepEqual(f.words, ['tang', 'huyet', 'b']);
  assert.deepEqual(f.keys, [prefixKey('tang', 3), prefixKey('huyet', 5)]);
  assert.equal(f.code, 'tanghuyetb');
  assert.equal(parseFilter(' ,. '), undefined);
});

test('a filter word that starts another filter word adds no key of its own', () => {
  const f = parseFilter('noi soi da day')!;
  assert.deepEqual(f.words, ['noi', 'soi', 'da', 'day']);
  assert.deepEqual(f.keys, [prefixKey('noi', 3), prefixKey('soi', 3), prefixKey('day', 3)]);
  assert.deepEqual(parseFilter('da da')!.keys, [prefixKey('da', 2)]);
});

test('version wildcards', () => {
  assert.ok(isVersionPattern('1.x') && isVersionPattern('2.0.*') && !isVersionPattern('1.0.0'));
  assert.ok(fitsVersionPattern('1.x.x', '1.2.0'));
  assert.ok(fitsVersionPattern('1.x', '1.0.0'));
  assert.ok(!fitsVersionPattern('1.x', '2.0.0'));
  assert.ok(!fitsVersionPattern('1.0.x', '1.0'));
});
