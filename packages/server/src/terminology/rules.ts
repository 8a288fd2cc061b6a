// Pure helpers of the terminology checks: finding Codings and principal diagnoses in a resource,
// reading reference ids, and ICD-10 age ranges ("9a-60a", "28d-"). No I/O.

type Json = Record<string, unknown>;

export interface FoundCoding {
  system: string;
  code: string;
  version?: string;
  path: string;
}

const MAX_CODINGS = 500;

/** Every object with a string system and code (Coding, Quantity), with its path; bounded. */
export function codingsIn(resource: Json): FoundCoding[] {
  const out: FoundCoding[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (out.length >= MAX_CODINGS || depth > 32 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1));
      return;
    }
    const o = value as Json;
    if (typeof o.system === 'string' && typeof o.code === 'string' && typeof o.value !== 'string') {
      out.push({
        system: o.system,
        code: o.code,
        ...(typeof o.version === 'string' ? { version: o.version } : {}),
        path,
      });
    }
    for (const [k, v] of Object.entries(o)) {
      if (k === 'contained' || k === 'text') continue;
      if (typeof v === 'object') walk(v, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(resource, '', 0);
  return out.map((c) => ({ ...c, path: c.path.replace(/^\./, '') }));
}

/** The diagnoses with rank 1 of an Encounter, with their index and condition reference. */
export function principalDiagnoses(encounter: Json): { index: number; reference: unknown }[] {
  const list = Array.isArray(encounter.diagnosis) ? (encounter.diagnosis as Json[]) : [];
  return list
    .map((d, index) => ({ index, rank: d?.rank, reference: (d?.condition as Json | undefined)?.reference }))
    .filter((d) => d.rank === 1)
    .map(({ index, reference }) => ({ index, reference }));
}

/** The id in a reference to `type` ("Condition/12", or an absolute URL ending so). */
export function referenceId(reference: unknown, type: string): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const m = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$`).exec(reference);
  return m?.[1];
}

/** Completed days and years between a birth date and a date (both ISO). */
export function ageOn(birthDate: string, on: string): { days: number; years: number } {
  const b = new Date(
    `${birthDate.slice(0, 10)}${birthDate.length <= 4 ? '-01-01' : birthDate.length <= 7 ? '-01' : ''}`,
  );
  const d = new Date(on.slice(0, 10));
  const days = Math.floor((d.getTime() - b.getTime()) / 86_400_000);
  let years = d.getUTCFullYear() - b.getUTCFullYear();
  if (
    d.getUTCMonth() < b.getUTCMonth() ||
    (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())
  )
    years--;
  return { days, years };
}

/** Whether an age satisfies a range "min-max" whose ends are "<n>d" or "<n>a" (either may be empty). */
export function ageAllowed(range: string, birthDate: string, on: string): boolean {
  const age = ageOn(birthDate, on);
  if (!Number.isFinite(age.days)) return true;
  const [min, max] = range.split('-');
  const value = (end: string) => {
    const n = Number(end.slice(0, -1));
    return end.endsWith('d') ? { n, v: age.days } : { n, v: age.years };
  };
  if (min) {
    const { n, v } = value(min);
    if (v < n) return false;
  }
  if (max) {
    const { n, v } = value(max);
    if (v > n) return false;
  }
  return true;
}
