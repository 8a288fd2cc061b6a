// Calendar arithmetic on whole days (days since 1970-01-01, UTC) and FHIR date/dateTime strings in
// Vietnam's time zone (+07:00). Pure; never reads the clock.

const MS_PER_DAY = 86_400_000;
/** day numbers from 1800-01-01 (-62,091) are cached by index */
const CACHE_FROM = -62_091;
const cache: string[] = [];

/** day number of an ISO date "YYYY-MM-DD" */
export function dayOf(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`not a date (YYYY-MM-DD): ${iso}`);
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== iso)
    throw new Error(`not a valid date: ${iso}`);
  return ms / MS_PER_DAY;
}

/** "YYYY-MM-DD" of a day number */
export function isoDate(day: number): string {
  const i = day - CACHE_FROM;
  let s = cache[i];
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (i >= 0 && Number.isInteger(i)) cache[i] = s;
  }
  return s;
}

/** FHIR dateTime at a minute of the day, local time +07:00 */
export function isoDateTime(day: number, minute: number): string {
  const h = Math.floor(minute / 60) % 24;
  const m = minute % 60;
  return `${isoDate(day)}T${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:00+07:00`;
}

export function yearOf(day: number): number {
  return Number(isoDate(day).slice(0, 4));
}

export const DAYS_PER_YEAR = 365.25;
