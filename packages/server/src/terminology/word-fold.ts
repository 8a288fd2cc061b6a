// Folded search words of a text in one pass over its UTF-16 code units: each unit's fold comes from
// a table derived from foldText (@hoso/vn/text) itself, so the words are exactly those of
// foldText's output split at every character other than [a-z0-9]. A combining mark folds to
// nothing either way (it composes onto, or sits after, a letter whose fold is the base letter), so
// folding unit by unit equals folding the NFC text. Pure; built once on first use.
import { foldText } from '@hoso/vn/text';

const DROP = 0;
const SEPARATOR = 1;
const TABLE_SIZE = 0x2000;
const SPACE = 32;

const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/** What one code unit folds to: DROP, SEPARATOR, or the char code of a letter or digit. */
function foldUnit(c: number): number {
  // Between two letters, so a mark has something to compose onto and spaces are not trimmed.
  const folded = foldText(`a${String.fromCharCode(c)}a`);
  if (folded === 'aa') return DROP;
  const middle = folded.slice(1, -1);
  return middle.length === 1 && isWordCode(middle.charCodeAt(0)) ? middle.charCodeAt(0) : SEPARATOR;
}

let table: Uint8Array | undefined;
const rare = new Map<number, number>();

function unitTable(): Uint8Array {
  if (!table) {
    table = new Uint8Array(TABLE_SIZE);
    for (let c = 0; c < TABLE_SIZE; c++) table[c] = foldUnit(c);
  }
  return table;
}

function rareUnit(c: number): number {
  let f = rare.get(c);
  if (f === undefined) {
    f = foldUnit(c);
    if (rare.size < 10_000) rare.set(c, f);
  }
  return f;
}

/** Folded words of several texts in one buffer, separated by single spaces (bytes a-z, 0-9, space). */
export class FoldedWords {
  bytes = Buffer.allocUnsafe(1024);
  length = 0;

  reset(): this {
    this.length = 0;
    return this;
  }

  /** Appends the folded words of a text, as if it followed the previous ones after a space. */
  add(text: string): this {
    const fold = unitTable();
    if (this.bytes.length < this.length + text.length * 2 + 1) {
      const grown = Buffer.allocUnsafe((this.length + text.length) * 2 + 1024);
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    const out = this.bytes;
    let n = this.length;
    let separate = n > 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const f = c < TABLE_SIZE ? fold[c]! : rareUnit(c);
      if (f === DROP) continue;
      if (f === SEPARATOR) {
        separate = n > 0;
        continue;
      }
      if (separate) {
        out[n++] = SPACE;
        separate = false;
      }
      out[n++] = f;
    }
    this.length = n;
    return this;
  }

  toString(): string {
    return this.bytes.toString('latin1', 0, this.length);
  }
}

const shared = new FoldedWords();

/** The folded words of a text joined by single spaces ("Bệnh tả, typ 1" → "benh ta typ 1"). */
export function foldedWords(text: string): string {
  return shared.reset().add(text).toString();
}
