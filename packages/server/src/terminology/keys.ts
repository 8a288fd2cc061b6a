// Search keys for type-ahead: the folded, word-separated text stored with each concept, the
// word-prefix keys its GIN index holds, and the matching form of a user's filter. Pure; the SQL
// that uses them lives in ./concept-store.ts (and migration 62 computes the same keys in SQL).
import type { ConceptInput } from './model.ts';
import { FoldedWords, foldedWords } from './word-fold.ts';

const NON_WORD = /[^a-z0-9]+/g;

/** Folded words of a text: case, diacritics and punctuation removed ("Bệnh tả, typ 1" → benh ta typ 1). */
export function words(text: string): string[] {
  const folded = foldedWords(text);
  return folded === '' ? [] : folded.split(' ');
}

/** A code's key for code-prefix search: lowercase letters and digits only ("B18.1" → "b181"). */
export function codeKey(code: string): string {
  return code.toLowerCase().replace(NON_WORD, '');
}

/** Prefix lengths that get an index key: short ones for type-ahead, longer ones for selectivity. */
export const KEY_LENGTHS = [2, 3, 5, 7] as const;
const MAX_KEY_LENGTH = 7;
const KEYED = new Uint8Array(MAX_KEY_LENGTH + 1);
for (const n of KEY_LENGTHS) KEYED[n] = 1;

/** A letter's base-37 digit: a–z are 1–26, 0–9 are 27–36 (its position in 'abc…789', plus one). */
const digit = (c: number) => (c >= 97 ? c - 96 : c - 21);

/**
 * The index key of a word's first `n` letters: the letters as base-37 digits, the first one lowest
 * (no digit is 0, so keys of different lengths never collide) — what migration 62 computes in SQL.
 */
export function prefixKey(word: string, n: number): number {
  let key = 0;
  for (let i = 0, scale = 1; i < n; i++, scale *= 37) key += digit(word.charCodeAt(i)) * scale;
  return key;
}

/** The most selective key a filter word of 2 or more letters can use: its longest keyed prefix. */
const longestKey = (word: string) =>
  prefixKey(
    word,
    KEY_LENGTHS.findLast((k) => k <= word.length)!,
  );

const folded = new FoldedWords();
let searchBytes = Buffer.allocUnsafe(1024);
const SPACE = 32;

/** What a concept stores for type-ahead: " code display designations " and its word-prefix keys. */
export function searchKeys(concept: ConceptInput): { search: string; keys: number[] } {
  // One pass over the folded bytes: no string per word (this runs for every imported concept).
  folded.reset().add(concept.code);
  if (concept.display) folded.add(concept.display);
  for (const d of concept.designations ?? []) folded.add(d.value);
  const { bytes: b, length: n } = folded;
  if (searchBytes.length < n + 2) searchBytes = Buffer.allocUnsafe(n * 2 + 2);
  const out = searchBytes;
  out[0] = SPACE;
  let m = 1;
  const starts: number[] = [];
  const lengths: number[] = [];
  // Words sharing a prefix repeat a key; the GIN index stores each key of a row once anyway.
  const keys: number[] = [];
  for (let s = 0, e = 0; s < n; s = e + 1) {
    e = s;
    while (e < n && b[e] !== SPACE) e++;
    const length = e - s;
    if (isRepeated(b, s, length, starts, lengths)) continue;
    starts.push(s);
    lengths.push(length);
    let key = 0;
    for (let i = 0, scale = 1; i < length; i++, scale *= 37) {
      const c = b[s + i]!;
      out[m++] = c;
      if (i >= MAX_KEY_LENGTH) continue;
      key += digit(c) * scale;
      if (KEYED[i + 1] === 1) keys.push(key);
    }
    out[m++] = SPACE;
  }
  if (m === 1) out[m++] = SPACE;
  return { search: out.toString('latin1', 0, m), keys };
}

/** Whether the word at b[s, s + length) equals one of the words already seen. */
function isRepeated(b: Buffer, s: number, length: number, starts: number[], lengths: number[]): boolean {
  for (let u = 0; u < starts.length; u++) {
    if (lengths[u] !== length) continue;
    const t = starts[u]!;
    let i = 0;
    while (i < length && b[t + i] === b[s + i]) i++;
    if (i === length) return true;
  }
  return false;
}

export interface ParsedFilter {
  /** Folded words; each must start a word of the concept's search text. */
  words: string[];
  /** Index keys every match has: each word's longest keyed prefix (but for words starting another). */
  keys: number[];
  /** The filter as a code key, for exact-code and code-prefix matches. */
  code: string;
  /** The folded filter as one phrase (for "display starts with"). */
  phrase: string;
}

/** Parses a type-ahead filter; undefined when it has no searchable characters. */
export function parseFilter(filter: string): ParsedFilter | undefined {
  const w = words(filter).slice(0, 8);
  if (w.length === 0) return undefined;
  // A word that starts another filter word adds no key: every concept word the longer one starts,
  // it starts too ("da" beside "day": its key only lengthened the probe's posting-list merge).
  const keyed = w.filter((x) => x.length > 1 && !w.some((y) => y.length > x.length && y.startsWith(x)));
  const keys = new Set(keyed.map(longestKey));
  return { words: w, keys: [...keys], code: w.join(''), phrase: w.join(' ') };
}

/** Escapes LIKE wildcards in a folded word (folded words hold only [a-z0-9], kept for safety). */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
