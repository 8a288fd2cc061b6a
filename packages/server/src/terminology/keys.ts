// Search keys for type-ahead: the folded, word-separated text stored with each concept and the
// matching form of a user's filter. Pure; the SQL that uses them lives in ./concept-store.ts.
import { foldText } from '@hoso/vn/text';
import type { ConceptInput } from './model.ts';

const NON_WORD = /[^a-z0-9]+/g;

/** Folded words of a text: case, diacritics and punctuation removed ("Bệnh tả, typ 1" → benh ta typ 1). */
export function words(text: string): string[] {
  const folded = foldText(text).replace(NON_WORD, ' ').trim();
  return folded === '' ? [] : folded.split(' ');
}

/** A code's key for code-prefix search: lowercase letters and digits only ("B18.1" → "b181"). */
export function codeKey(code: string): string {
  return code.toLowerCase().replace(NON_WORD, '');
}

/** The stored search text: " code display designations " so every word starts after a space. */
export function searchText(concept: ConceptInput): string {
  let text = `${concept.code} ${concept.display ?? ''}`;
  for (const d of concept.designations ?? []) text += ` ${d.value}`;
  return ` ${[...new Set(words(text))].join(' ')} `;
}

export interface ParsedFilter {
  /** Folded words; each must start a word of the concept's search text. */
  words: string[];
  /** The filter as a code key, for exact-code and code-prefix matches. */
  code: string;
  /** The folded filter as one phrase (for "display starts with"). */
  phrase: string;
}

/** Parses a type-ahead filter; undefined when it has no searchable characters. */
export function parseFilter(filter: string): ParsedFilter | undefined {
  const w = words(filter).slice(0, 8);
  if (w.length === 0) return undefined;
  return { words: w, code: w.join(''), phrase: w.join(' ') };
}

/** Escapes LIKE wildcards in a folded word (folded words hold only [a-z0-9], kept for safety). */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
