// Search keys for type-ahead: the folded, word-separated text stored with each concept, the
// word-prefix keys its GIN index holds, and the matching form of a user's filter. Pure; the SQL
// that uses them lives in ./concept-store.ts (and migration 61 computes the same keys in SQL).
import { foldText } from '@hoso/vn/text';
import type { ConceptInput } from './model.ts';

const NON_WORD = /[^a-z0-9]+/g;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
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

/**
 * The index key of a word's first `n` letters (n = 2 or 3): base-37 digits of the letters, the
 * same number `strpos('abc…789', letter)` gives in SQL. Words of one letter have no key.
 */
export function prefixKey(word: string, n: number): number {
  let key = 0;
  for (let i = n - 1; i >= 0; i--) key = key * 37 + ALPHABET.indexOf(word[i]!) + 1;
  return key;
}

/** What a concept stores for type-ahead: " code display designations " and its word-prefix keys. */
export function searchKeys(concept: ConceptInput): { search: string; keys: number[] } {
  let text = `${concept.code} ${concept.display ?? ''}`;
  for (const d of concept.designations ?? []) text += ` ${d.value}`;
  const unique: string[] = [];
  const keys = new Set<number>();
  for (const w of words(text)) {
    if (unique.includes(w)) continue;
    unique.push(w);
    if (w.length >= 2) keys.add(prefixKey(w, 2));
    if (w.length >= 3) keys.add(prefixKey(w, 3));
  }
  return { search: ` ${unique.join(' ')} `, keys: [...keys] };
}

export interface ParsedFilter {
  /** Folded words; each must start a word of the concept's search text. */
  words: string[];
  /** Index keys every match has: the 3-letter (or 2-letter) prefix key of each word of 2+ letters. */
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
  const keys = w.filter((x) => x.length >= 2).map((x) => prefixKey(x, Math.min(3, x.length)));
  return { words: w, keys: [...new Set(keys)], code: w.join(''), phrase: w.join(' ') };
}

/** Escapes LIKE wildcards in a folded word (folded words hold only [a-z0-9], kept for safety). */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
