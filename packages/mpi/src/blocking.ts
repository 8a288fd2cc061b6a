// Blocking: the keys under which a record is filed, so that only records sharing a key are ever
// compared (cost near-linear in the number of records). Several independent keys make a true
// pair missed only when every one of them is broken by noise. Pure.
import type { Features } from './features.ts';

/**
 * Blocking keys of a record, one per kind at most, in a fixed kind order:
 * c citizen ID; b social-insurance number; p phone; n given and family name (order-free, so a
 * swapped name still meets) with birth year; d birth date (day and month order-free) with province;
 * m full name with province (for year-only or wrong birth dates).
 */
export function blockingKeys(f: Features): string[] {
  const keys: string[] = [];
  if (f.cccd) keys.push(`c${f.cccd}`);
  if (f.bhxh) keys.push(`b${f.bhxh}`);
  if (f.phone) keys.push(`p${f.phone}`);
  const [n1, n2] = f.given < f.family ? [f.given, f.family] : [f.family, f.given];
  if (f.given && f.birthYear !== undefined) keys.push(`n${n1}|${n2}|${f.birthYear}`);
  if (f.birthMonth !== undefined && f.birthDay !== undefined) {
    const [lo, hi] = f.birthMonth < f.birthDay ? [f.birthMonth, f.birthDay] : [f.birthDay, f.birthMonth];
    keys.push(`d${f.birthYear}-${lo}-${hi}|${f.province ?? ''}`);
  }
  if (f.given && f.province) keys.push(`m${n1}|${n2}|${f.middle}|${f.province}`);
  return keys;
}

/** The kind of a key (its first character). */
export function keyKind(key: string): string {
  return key[0] ?? '';
}

export interface CandidatePairs {
  /** record indices of each pair, a[i] < b[i] */
  a: Int32Array;
  b: Int32Array;
  length: number;
  /** blocks left out because they held more records than maxBlock */
  skippedBlocks: number;
}

/**
 * Every pair of records sharing at least one key, each pair once (it is produced by the first key
 * kind the two records share). Blocks larger than maxBlock are skipped: a key shared by that many
 * records (a family phone, a very common name in a big city) tells nothing.
 */
export function candidatePairs(keysOf: readonly (readonly string[])[], maxBlock = 100): CandidatePairs {
  const blocks = new Map<string, number[]>();
  keysOf.forEach((keys, record) => {
    for (const key of keys) {
      const block = blocks.get(key);
      if (block) block.push(record);
      else blocks.set(key, [record]);
    }
  });
  const oversized = new Set<string>();
  for (const [key, members] of blocks) if (members.length > maxBlock) oversized.add(key);
  let a = new Int32Array(1 << 16);
  let b = new Int32Array(1 << 16);
  let length = 0;
  let skippedBlocks = 0;
  for (const [key, members] of blocks) {
    if (members.length < 2) continue;
    if (members.length > maxBlock) {
      skippedBlocks++;
      continue;
    }
    const kind = keyKind(key);
    for (let i = 0; i < members.length; i++) {
      const x = members[i]!;
      for (let j = i + 1; j < members.length; j++) {
        const y = members[j]!;
        if (sharesEarlierKey(keysOf[x]!, keysOf[y]!, kind, oversized)) continue;
        if (length === a.length) {
          a = grow(a);
          b = grow(b);
        }
        a[length] = x;
        b[length] = y;
        length++;
      }
    }
  }
  return { a, b, length, skippedBlocks };
}

const KIND_ORDER = 'cbpndm';

/** Whether the two records share a key of a kind before `kind` (that block produced the pair). */
function sharesEarlierKey(
  x: readonly string[],
  y: readonly string[],
  kind: string,
  oversized: ReadonlySet<string>,
): boolean {
  const limit = KIND_ORDER.indexOf(kind);
  for (const k of x) {
    if (KIND_ORDER.indexOf(keyKind(k)) >= limit) break;
    if (y.includes(k) && !oversized.has(k)) return true;
  }
  return false;
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
