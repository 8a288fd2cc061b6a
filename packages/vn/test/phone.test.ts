import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPhone, MOBILE_PREFIXES, normalizePhone, parsePhone } from '@hoso/vn/phone';

const mobile = fc
  .tuple(fc.constantFrom(...MOBILE_PREFIXES), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([prefix, n]) => prefix + String(n).padStart(7, '0'));

describe('phone numbers', () => {
  it('normalises the usual ways of writing one number', () => {
    for (const typed of [
      '0912345678',
      '0912 345 678',
      '+84 912 345 678',
      '84912345678',
      '0084-912-345-678',
      '(091) 234.5678',
    ]) {
      assert.equal(normalizePhone(typed), '+84912345678', typed);
    }
  });

  it('converts 11-digit mobile numbers renumbered in 2018', () => {
    assert.equal(normalizePhone('01689123456'), '+84389123456');
    assert.equal(normalizePhone('+84 1689 123 456'), '+84389123456');
  });

  it('knows landlines and rejects unknown prefixes and lengths', () => {
    const landline = parsePhone('024 3825 1234');
    assert.ok(landline.ok);
    assert.equal(landline.value.kind, 'landline');
    assert.equal(formatPhone(landline.value), '024 3825 1234');
    for (const bad of ['0112345678', '091234567', '09123456789', '+1 912 345 678', 'abc', '']) {
      assert.equal(normalizePhone(bad), undefined, bad);
    }
  });

  it('formats mobiles as 4-3-3 digits', () => {
    const parsed = parsePhone('+84912345678');
    assert.ok(parsed.ok);
    assert.equal(formatPhone(parsed.value), '0912 345 678');
  });

  it('parses every valid mobile in every written form to the same number', () => {
    fc.assert(
      fc.property(mobile, (national) => {
        const e164 = `+84${national.slice(1)}`;
        const parsed = parsePhone(national);
        return (
          parsed.ok &&
          parsed.value.e164 === e164 &&
          normalizePhone(formatPhone(parsed.value)) === e164 &&
          normalizePhone(e164) === e164 &&
          normalizePhone(`84${national.slice(1)}`) === e164
        );
      }),
    );
  });

  it('returns only E.164 numbers and never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = normalizePhone(s);
        return n === undefined || /^\+84\d{9,10}$/.test(n);
      }),
    );
  });
});
