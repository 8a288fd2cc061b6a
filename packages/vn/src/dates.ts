// Vietnamese dates: dd/MM/yyyy on screen and paper, ISO 8601 (YYYY-MM-DD, FHIR `date`) in data.
// Strict calendar validation including leap years. Pure: no I/O, no time zones.

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    year >= 1 &&
    year <= 9999 &&
    Number.isInteger(month) &&
    month >= 1 &&
    month <= 12 &&
    Number.isInteger(day) &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export interface ParseDateOptions {
  /** Also accept one-digit day and month and '-' or '.' as separator (typed input). */
  lenient?: boolean;
}

const STRICT = /^(\d{2})\/(\d{2})\/(\d{4})$/u;
const LENIENT = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/u;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Parses dd/MM/yyyy into an ISO date (YYYY-MM-DD), or undefined when malformed or not a real day. */
export function parseVnDate(input: string, options: ParseDateOptions = {}): string | undefined {
  const match = (options.lenient ? LENIENT : STRICT).exec(options.lenient ? input.trim() : input);
  if (!match) return undefined;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isValidDate(year, month, day) ? `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` : undefined;
}

/**
 * Formats a FHIR date or dateTime for display: YYYY-MM-DD… → dd/MM/yyyy, and the partial dates
 * FHIR allows: YYYY-MM → MM/yyyy, YYYY → yyyy.
 */
export function formatVnDate(iso: string): string {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T.+)?)?)?$/u.exec(iso);
  const [, year, month, day] = match ?? [];
  const valid =
    year !== undefined &&
    (month === undefined || isValidDate(Number(year), Number(month), Number(day ?? '01'))) &&
    Number(year) >= 1;
  if (!valid) throw new RangeError(`Not an ISO date: ${iso}`);
  return [day, month, year].filter((part) => part !== undefined).join('/');
}
