// Concepts as tuples of PostgreSQL's binary COPY format, the form ./bulk-load.ts streams into a
// fresh partition: no text to escape on this side, no array literals to parse on the database's
// (the word keys' bigint[] was most of a text COPY's cost). Ancestors are the last field because
// a concept's may only be known once its parents have been read. Pure: no I/O.
import { codeKey, searchKeys } from './keys.ts';
import type { ConceptInput } from './model.ts';
import { typeAheadRank } from './sorted-rows.ts';

/** The columns of a tuple, in order (`cs` is the loading table's default). */
export const COPY_COLUMNS =
  '(code, code_key, display, definition, designation, search, word_keys, parents, ord, weight, abstract, inactive, properties, ancestors)';
const FIELDS = 14;

/** The stream's header (signature, no flags, no extension) and trailer. */
export const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

const INT8 = 20;
const TEXT = 25;

/** A growable buffer that binary COPY fields are written into. */
export class CopyWriter {
  private buf = Buffer.allocUnsafe(4096);
  private at = 0;

  reset(): this {
    this.at = 0;
    return this;
  }

  /** The bytes written since the last reset (valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  get size(): number {
    return this.at;
  }

  private room(n: number): void {
    if (this.buf.length - this.at >= n) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  private int32(v: number): void {
    const b = this.buf;
    b[this.at++] = v >>> 24;
    b[this.at++] = v >>> 16;
    b[this.at++] = v >>> 8;
    b[this.at++] = v;
  }

  tuple(fields: number): void {
    this.room(2);
    this.buf[this.at++] = fields >>> 8;
    this.buf[this.at++] = fields;
  }

  text(s: string | null | undefined): void {
    if (s === undefined || s === null) return this.null();
    this.room(4 + s.length * 3);
    const n = this.buf.write(s, this.at + 4);
    this.int32(n);
    this.at += n;
  }

  /** A text known to hold only ASCII characters (folded words, code keys). */
  ascii(s: string): void {
    this.room(4 + s.length);
    this.int32(s.length);
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  null(): void {
    this.room(4);
    this.int32(-1);
  }

  int4(v: number): void {
    this.room(8);
    this.int32(4);
    this.int32(v);
  }

  bool(v: boolean): void {
    this.room(5);
    this.int32(1);
    this.buf[this.at++] = v ? 1 : 0;
  }

  private arrayHeader(bytes: number, count: number, oid: number): void {
    if (count === 0) {
      this.room(16);
      this.int32(12);
      this.int32(0);
      this.int32(0);
      this.int32(oid);
      return;
    }
    this.room(24 + bytes);
    this.int32(20 + bytes);
    this.int32(1);
    this.int32(0);
    this.int32(oid);
    this.int32(count);
    this.int32(1);
  }

  /** A bigint[] of non-negative integers below 2^53. */
  int8Array(values: readonly number[]): void {
    this.arrayHeader(values.length * 12, values.length, INT8);
    for (const v of values) {
      this.int32(8);
      this.int32(Math.floor(v / 2 ** 32));
      this.int32(v >>> 0);
    }
  }

  textArray(values: readonly string[]): void {
    let bound = 0;
    for (const v of values) bound += 4 + v.length * 3;
    const start = this.at;
    this.arrayHeader(bound, values.length, TEXT);
    for (const v of values) this.text(v);
    // The header's length was an upper bound: correct it to what the UTF-8 took.
    if (values.length > 0) this.buf.writeInt32BE(this.at - start - 4, start);
  }
}

const json = (w: CopyWriter, value: readonly unknown[] | undefined) =>
  value?.length ? w.text(JSON.stringify(value)) : w.null();

/** Writes a concept's tuple up to (without) its ancestors field. */
export function writeConcept(w: CopyWriter, c: ConceptInput, ord: number): void {
  const { search, keys } = searchKeys(c);
  w.tuple(FIELDS);
  w.text(c.code);
  w.ascii(codeKey(c.code));
  w.text(c.display);
  w.text(c.definition);
  json(w, c.designations);
  w.ascii(search);
  w.int8Array(keys);
  w.textArray(c.parents ?? []);
  w.int4(ord);
  w.int4(c.weight ?? 0);
  w.bool(c.abstract ?? false);
  w.bool(c.inactive ?? false);
  json(w, c.properties);
}

/** Concepts encoded without their ancestors field, with what is needed to order and complete them. */
export interface EncodedRows {
  /** The tuples back to back. */
  bytes: Uint8Array;
  lengths: Uint32Array;
  /** Each row's typeAheadRank. */
  ranks: Float64Array;
  codes: string[];
  parents: string[][];
}

/**
 * Encodes concepts whose ancestors are not known here (a worker's share of a file); the i-th gets
 * `firstOrd + i` as its source order.
 */
export function encodeConcepts(concepts: readonly ConceptInput[], firstOrd: number): EncodedRows {
  const w = new CopyWriter();
  const n = concepts.length;
  const out: EncodedRows = {
    bytes: new Uint8Array(0),
    lengths: new Uint32Array(n),
    ranks: new Float64Array(n),
    codes: new Array<string>(n),
    parents: new Array<string[]>(n),
  };
  let end = 0;
  concepts.forEach((c, i) => {
    writeConcept(w, c, firstOrd + i);
    out.lengths[i] = w.size - end;
    end = w.size;
    out.ranks[i] = typeAheadRank({
      abstract: c.abstract ?? false,
      weight: c.weight ?? 0,
      displayLength: c.display?.length,
      code: c.code,
    });
    out.codes[i] = c.code;
    out.parents[i] = c.parents ?? [];
  });
  out.bytes = new Uint8Array(w.bytes());
  return out;
}
