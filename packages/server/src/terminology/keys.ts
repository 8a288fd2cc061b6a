// Search keys for type-ahead: the folded, word-separated text stored with each concept, the
// word-prefix keys its GIN index holds, and the matching form of a user's filter. Pure; the SQL
// that uses them lives in ./concept-store.ts (and migration 62 computes the same keys in SQL).
import { foldText } from '@hoso/vn/text';
import type { ConceptInput } from './model.ts';

const NON_WORD = /[^a-z0-9]+/g;
const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/** Folded words of a text: case, diacritics and punctuation removed ("Bệnh tả, typ 1" → benh ta typ 1). */
export function words(text: string): string[] {
  const folded = foldText(text);
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    if (i < folded.length && isWordChar(folded.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(folded.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** A code's key for code-prefix search: lowercase letters and digits only ("B18.1" → "b181"). */
export function codeKey(code: string): string {
  return code.toLowerCase().replace(NON_WORD, '');
}

/** Prefix lengths that get an index key: short ones for type-ahead, longer ones for selectivity. */
export const KEY_LENGTHS = [2, 3, 5, 7] as const;
const MAX_KEY_LENGTH = 7;
const KEYED = KEY_LENGTHS.reduce<boolean[]>((a, n) => ((a[n] = true), a), []);

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

/** The most selective key a filter word can use: its longest keyed prefix (none below 2 letters). */
const longestKey = (word: string): number | undefined => {
  const n = KEY_LENGTHS.findLast((k) => k <= word.length);
  return n === undefined ? undefined : prefixKey(word, n);
};

/** What a concept stores for type-ahead: " code display designations " and its word-prefix keys. */
export function searchKeys(concept: ConceptInput): { search: string; keys: number[] } {
  let text = `${concept.code} ${concept.display ?? ''}`;
  for (const d of concept.designations ?? []) text += ` ${d.value}`;
  const unique = new Set<string>();
  // Words sharing a prefix repeat a key; the GIN index stores each key of a row once anyway.
  const keys: number[] = [];
  for (const w of words(text)) {
    if (unique.has(w)) continue;
    unique.add(w);
    let key = 0;
    for (let i = 0, scale = 1; i < w.length && i < MAX_KEY_LENGTH; i++, scale *= 37) {
      key += digit(w.charCodeAt(i)) * scale;
      if (KEYED[i + 1]) keys.push(key);
    }
  }
  return { search: ` ${[...unique].join(' ')} `, keys };
}

export interface ParsedFilter {
  /** Folded words; each must start a word of the concept's search text. */
  words: string[];
  /** Index keys every match has: each word's longest keyed prefix. */
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
  const keys = new Set(w.map(longestKey).filter((k) => k !== undefined));
  return { words: w, keys: [...keys], code: w.join(''), phrase: w.join(' ') };
}

/** Escapes LIKE wildcards in a folded word (folded words hold only [a-z0-9], kept for safety). */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
