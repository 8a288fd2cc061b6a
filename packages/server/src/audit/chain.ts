// The audit hash chain in JavaScript: the same link hashes APPEND_EVENTS_SQL computes in the
// database, and a verifier fed one chain's rows in sequence order. Pure (node:crypto only, no I/O);
// it never decides which rows to read.
import { createHash } from 'node:crypto';
import { isBreakGlass } from './event.ts';

/** The hash before the first link of every chain. */
export const GENESIS = Buffer.alloc(32);

/** sha256(utf8(chainKey) || 0x00 || utf8(content)): text cannot hold NUL, so the split is unambiguous. */
export function entryDigest(chainKey: string, content: string): Buffer {
  return createHash('sha256').update(chainKey, 'utf8').update(Buffer.of(0)).update(content, 'utf8').digest();
}

/** sha256(previous || int8_be(seq) || digest) */
export function linkHash(previous: Uint8Array, seq: number, digest: Uint8Array): Buffer {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigInt64BE(BigInt(seq));
  return createHash('sha256').update(previous).update(seqBytes).update(digest).digest();
}

export interface ChainRow {
  seq: number;
  content: string;
  hash: Uint8Array;
  /** The searchable copies stored beside the content; they must agree with it. */
  id: string;
  recorded: Date;
  breakGlass: boolean;
}

export interface ChainHead {
  seq: number;
  hash: Uint8Array;
}

export interface Break {
  chainKey: string;
  /** The first sequence number whose link does not hold. */
  seq: number;
  reason: string;
}

/**
 * Checks one chain. Feed rows in ascending seq order, then call `finish` with the chain's head row
 * (undefined when there is none). Stops at the first broken link: later links are not meaningful.
 */
export class ChainVerifier {
  private previous: Uint8Array = GENESIS;
  private lastSeq = 0;
  private broken: Break | undefined;
  checked = 0;

  constructor(readonly chainKey: string) {}

  get firstBreak(): Break | undefined {
    return this.broken;
  }

  add(row: ChainRow): void {
    if (this.broken) return;
    this.checked++;
    const expected = this.lastSeq + 1;
    if (row.seq !== expected) {
      this.fail(expected, row.seq > expected ? `missing link (next stored is ${row.seq})` : 'repeated link');
      return;
    }
    const hash = linkHash(this.previous, row.seq, entryDigest(this.chainKey, row.content));
    if (!hash.equals(row.hash)) {
      this.fail(row.seq, 'content or hash does not match the chain');
      return;
    }
    const mismatch = copiesMismatch(row);
    if (mismatch) {
      this.fail(row.seq, mismatch);
      return;
    }
    this.previous = hash;
    this.lastSeq = row.seq;
  }

  finish(head: ChainHead | undefined): Break | undefined {
    if (this.broken) return this.broken;
    if (!head) this.fail(this.lastSeq + 1, 'the chain has no head row');
    else if (head.seq !== this.lastSeq) {
      this.fail(
        Math.min(head.seq, this.lastSeq + 1),
        head.seq > this.lastSeq
          ? `truncated: the head is at ${head.seq}, the last stored link is ${this.lastSeq}`
          : `the head is at ${head.seq}, behind the last stored link ${this.lastSeq}`,
      );
    } else if (!Buffer.from(head.hash).equals(this.previous)) {
      this.fail(head.seq, 'the head hash does not match the last link');
    }
    return this.broken;
  }

  private fail(seq: number, reason: string) {
    this.broken = { chainKey: this.chainKey, seq, reason };
  }
}

function copiesMismatch(row: ChainRow): string | undefined {
  let event: { id?: unknown; recorded?: unknown; meta?: unknown };
  try {
    event = JSON.parse(row.content) as typeof event;
  } catch {
    return 'content is not JSON';
  }
  if (event.id !== row.id) return 'the id column does not match the content';
  if (typeof event.recorded !== 'string' || Date.parse(event.recorded) !== row.recorded.getTime()) {
    return 'the recorded column does not match the content';
  }
  if (isBreakGlass(event) !== row.breakGlass) return 'the break-glass column does not match the content';
  return undefined;
}
