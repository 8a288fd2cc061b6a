// Field-by-field comparison of two records' features into agreement levels, the comparison
// vector of Fellegi–Sunter. Level 0 always means "not comparable" (a value missing on either side)
// and carries no weight. Pure and symmetric: compare(a, b) equals compare(b, a).
import type { Features } from './features.ts';

/** The compared fields, in vector order, with the names of their levels (index = level). */
export const FIELDS = [
  { name: 'given', levels: ['missing', 'exact', 'same-without-diacritics', 'one-edit', 'different'] },
  { name: 'family', levels: ['missing', 'same', 'one-edit', 'different'] },
  { name: 'middle', levels: ['missing', 'same', 'partial', 'different'] },
  {
    name: 'birthDate',
    levels: ['missing', 'exact', 'day-month-swapped', 'year-only-same-year', 'same-year', 'different'],
  },
  { name: 'sex', levels: ['missing', 'same', 'different'] },
  { name: 'province', levels: ['missing', 'same', 'different'] },
  { name: 'commune', levels: ['missing', 'same', 'different'] },
  { name: 'phone', levels: ['missing', 'same', 'different'] },
  { name: 'cccd', levels: ['missing', 'same', 'different'] },
  { name: 'bhxh', levels: ['missing', 'same', 'different'] },
] as const;

export type FieldName = (typeof FIELDS)[number]['name'];
export const FIELD_COUNT = FIELDS.length;
export const FIELD_INDEX: Readonly<Record<FieldName, number>> = Object.fromEntries(
  FIELDS.map((f, i) => [f.name, i]),
) as Record<FieldName, number>;

/** A comparison vector: one level per field, in FIELDS order. */
export type Comparison = Uint8Array;

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function givenLevel(a: string, aExact: string, b: string, bExact: string): number {
  if (!a || !b) return 0;
  if (a === b) return aExact === bExact ? 1 : 2;
  return withinOneEdit(a, b) ? 3 : 4;
}

function familyLevel(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  return withinOneEdit(a, b) ? 2 : 3;
}

function middleLevel(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const wa = a.split(' ');
  const wb = b.split(' ');
  return wa.some((w) => wb.includes(w)) || withinOneEdit(a, b) ? 2 : 3;
}

function birthLevel(a: Features, b: Features): number {
  if (a.birthYear === undefined || b.birthYear === undefined) return 0;
  if (a.birthYear !== b.birthYear) return 5;
  if (a.birthMonth === undefined || b.birthMonth === undefined) return 3;
  if (a.birthMonth === b.birthMonth && a.birthDay === b.birthDay) return 1;
  if (a.birthMonth === b.birthDay && a.birthDay === b.birthMonth) return 2;
  return 4;
}

function simpleLevel(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return 0;
  return a === b ? 1 : 2;
}

function communeLevel(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return a.some((c) => b.includes(c)) ? 1 : 2;
}

/**
 * The comparison vector of two records. Names are compared in the written alignment and with
 * family and given crossed (a given name typed into the family field); the better one counts.
 */
export function compare(a: Features, b: Features, out: Comparison = new Uint8Array(FIELD_COUNT)): Comparison {
  const straightGiven = givenLevel(a.given, a.givenExact, b.given, b.givenExact);
  const straightFamily = familyLevel(a.family, b.family);
  // crossed: the pairs (a.given, b.family) and (a.family, b.given); which of them is "the given
  // name" is chosen by value, not position, so the comparison stays symmetric
  const g1 = givenLevel(a.given, a.givenExact, b.family, b.familyExact);
  const f1 = familyLevel(a.family, b.given);
  const g2 = givenLevel(a.family, a.familyExact, b.given, b.givenExact);
  const f2 = familyLevel(a.given, b.family);
  const [crossedGiven, crossedFamily] =
    g1 + f1 < g2 + f2 || (g1 + f1 === g2 + f2 && g1 <= g2) ? [g1, f1] : [g2, f2];
  const crossedBetter =
    crossedGiven !== 0 &&
    crossedFamily !== 0 &&
    crossedGiven + crossedFamily < straightGiven + straightFamily;
  out[0] = crossedBetter ? crossedGiven : straightGiven;
  out[1] = crossedBetter ? crossedFamily : straightFamily;
  out[2] = middleLevel(a.middle, b.middle);
  out[3] = birthLevel(a, b);
  out[4] = simpleLevel(a.sex, b.sex);
  out[5] = simpleLevel(a.province, b.province);
  out[6] = communeLevel(a.communes, b.communes);
  out[7] = simpleLevel(a.phone, b.phone);
  out[8] = simpleLevel(a.cccd, b.cccd);
  out[9] = simpleLevel(a.bhxh, b.bhxh);
  return out;
}

/** A vector as one small integer (mixed radix over the level counts), for counting patterns. */
export function patternKey(v: Comparison): number {
  let key = 0;
  for (let i = 0; i < FIELD_COUNT; i++) key = key * FIELDS[i]!.levels.length + v[i]!;
  return key;
}

/** The vector of a pattern key (inverse of patternKey). */
export function patternOf(key: number): Comparison {
  const v = new Uint8Array(FIELD_COUNT);
  for (let i = FIELD_COUNT - 1; i >= 0; i--) {
    const n = FIELDS[i]!.levels.length;
    v[i] = key % n;
    key = Math.floor(key / n);
  }
  return v;
}
