// Encoded concept rows held compactly in memory (in large buffers, not one object each) until all
// of a code system version has been read, then handed out in type-ahead order (non-abstract
// first, most used, shorter display, code — the order of TYPE_AHEAD_ORDER in ./bulk-load.ts) as
// chunks for COPY. Knows nothing of the rows' format. Pure: no I/O.

const BLOCK = 1 << 22;
const CHUNK = 1 << 18;
const MAX_LENGTH = 2 ** 21 - 1;
const MAX_WEIGHT = 2 ** 31 - 1;

export interface RowOrder {
  abstract: boolean;
  weight: number;
  /** Characters of the display; undefined when there is none (sorted last, like NULL). */
  displayLength: number | undefined;
  code: string;
}

/**
 * One number per row that sorts like (abstract, weight DESC, display length): 1 + 31 + 21 bits,
 * exact in a double. Equal numbers are ordered by code.
 */
export function typeAheadRank(o: RowOrder): number {
  const weight = Math.min(Math.max(Math.trunc(o.weight), 0), MAX_WEIGHT);
  const length = Math.min(o.displayLength ?? MAX_LENGTH, MAX_LENGTH);
  return (o.abstract ? 2 ** 52 : 0) + (MAX_WEIGHT - weight) * 2 ** 21 + length;
}

export class SortedRows {
  private readonly blocks: Buffer[] = [];
  private block = Buffer.allocUnsafe(0);
  private used = 0;
  private readonly blockOf: number[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly ranks: number[] = [];
  private readonly codes: string[] = [];
  /** Ends of rows added without one (see `complete`), back to back; per row where its end starts, or -1. */
  private endBytes = Buffer.allocUnsafe(1 << 16);
  private endUsed = 0;
  private endStart = new Int32Array(0);
  private endLength = new Int32Array(0);

  get size(): number {
    return this.codes.length;
  }

  /** Adds (copies) a row's bytes; its end may come later through `complete`. Returns the row number. */
  add(bytes: Uint8Array, order: RowOrder): number {
    if (this.block.length - this.used < bytes.length) {
      this.block = Buffer.allocUnsafe(Math.max(BLOCK, bytes.length));
      this.blocks.push(this.block);
      this.used = 0;
    }
    this.block.set(bytes, this.used);
    this.blockOf.push(this.blocks.length - 1);
    this.offsets.push(this.used);
    this.lengths.push(bytes.length);
    this.used += bytes.length;
    this.ranks.push(typeAheadRank(order));
    this.codes.push(order.code);
    return this.codes.length - 1;
  }

  /** Keeps a buffer of rows encoded elsewhere (not copied); rows of it are added by `addRow`. */
  addBlock(bytes: Uint8Array): number {
    return this.blocks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) - 1;
  }

  /** Adds a row of a block kept by `addBlock`, with its rank (typeAheadRank). Returns the row number. */
  addRow(block: number, offset: number, length: number, rank: number, code: string): number {
    this.blockOf.push(block);
    this.offsets.push(offset);
    this.lengths.push(length);
    this.ranks.push(rank);
    this.codes.push(code);
    return this.codes.length - 1;
  }

  /** The rest of a row added without its end (copied; one buffer for all, not one each). */
  complete(row: number, end: Uint8Array): void {
    if (row >= this.endStart.length) {
      const start = new Int32Array(Math.max(1024, row + 1, this.endStart.length * 2)).fill(-1);
      const length = new Int32Array(start.length);
      start.set(this.endStart);
      length.set(this.endLength);
      this.endStart = start;
      this.endLength = length;
    }
    if (this.endBytes.length - this.endUsed < end.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.endBytes.length * 2, this.endUsed + end.length));
      this.endBytes.copy(grown, 0, 0, this.endUsed);
      this.endBytes = grown;
    }
    this.endBytes.set(end, this.endUsed);
    this.endStart[row] = this.endUsed;
    this.endLength[row] = end.length;
    this.endUsed += end.length;
  }

  /** The rows in type-ahead order, as chunks of about 256 KB (each a fresh buffer). */
  *chunks(): Generator<Buffer> {
    const { ranks, codes } = this;
    const order = Array.from(codes.keys()).sort(
      (a, b) => ranks[a]! - ranks[b]! || (codes[a]! < codes[b]! ? -1 : 1),
    );
    let out = Buffer.allocUnsafe(CHUNK);
    let used = 0;
    for (const row of order) {
      const length = this.lengths[row]!;
      const endStart = row < this.endStart.length ? this.endStart[row]! : -1;
      const endLength = endStart < 0 ? 0 : this.endLength[row]!;
      const need = length + endLength;
      if (CHUNK - used < need) {
        if (used > 0) yield out.subarray(0, used);
        out = Buffer.allocUnsafe(Math.max(CHUNK, need));
        used = 0;
      }
      const offset = this.offsets[row]!;
      used += this.blocks[this.blockOf[row]!]!.copy(out, used, offset, offset + length);
      if (endStart >= 0) used += this.endBytes.copy(out, used, endStart, endStart + endLength);
    }
    if (used > 0) yield out.subarray(0, used);
  }
}
