// Vietnamese đồng amounts: whole numbers, dot as thousands separator, "₫" after the number
// ("1.234.567 ₫"). Pure: no I/O, no locale lookups (Intl output varies between ICU versions).

const SUFFIX = /\s*(?:₫|đ|d|vnđ|vnd|đồng|dong)$/iu;

/** Formats a whole amount of VND: 1234567 → "1.234.567 ₫". Non-integers are rounded. */
export function formatVnd(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError(`Not an amount: ${amount}`);
  const rounded = Math.round(Math.abs(amount));
  const grouped = String(rounded).replace(/\B(?=(\d{3})+$)/gu, '.');
  return `${amount < 0 && rounded !== 0 ? '-' : ''}${grouped} ₫`;
}

/**
 * Parses a typed VND amount: optional sign, digits grouped by threes with '.', ',' or spaces (one
 * kind of separator), optional currency ("₫", "đ", "VND", "VNĐ", "đồng"). Undefined when malformed
 * or beyond the safe integer range.
 */
export function parseVnd(input: string): number | undefined {
  const text = input.trim().replace(SUFFIX, '').trim();
  const match = /^([-+]?)(\d{1,3}(?:([.,\s])\d{3})?(?:\3\d{3})*|\d+)$/u.exec(text);
  if (!match) return undefined;
  const digits = (match[2] ?? '').replace(/[.,\s]/gu, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return undefined;
  return match[1] === '-' && value !== 0 ? -value : value;
}
