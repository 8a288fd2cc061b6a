import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatVnd, parseVnd } from '@hoso/vn/money';

describe('VND amounts', () => {
  it('formats with dots and the đồng sign', () => {
    assert.equal(formatVnd(1234567), '1.234.567 ₫');
    assert.equal(formatVnd(0), '0 ₫');
    assert.equal(formatVnd(999), '999 ₫');
    assert.equal(formatVnd(-15000), '-15.000 ₫');
    assert.equal(formatVnd(1000.4), '1.000 ₫');
    assert.throws(() => formatVnd(Number.NaN), RangeError);
  });

  it('parses typed amounts', () => {
    assert.equal(parseVnd('1.234.567 ₫'), 1234567);
    assert.equal(parseVnd('1,234,567 VND'), 1234567);
    assert.equal(parseVnd('150.000đ'), 150000);
    assert.equal(parseVnd('150000'), 150000);
    assert.equal(parseVnd(' 2 500 000 VNĐ '), 2500000);
    assert.equal(parseVnd('-15.000 ₫'), -15000);
  });

  it('rejects malformed grouping and decimals', () => {
    for (const bad of ['1.23.456', '1234.567', '1.234,567', '12,5', '', '₫', 'abc', '1.2345']) {
      assert.equal(parseVnd(bad), undefined, bad);
    }
  });

  it('round-trips every safe integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        return parseVnd(formatVnd(n)) === n;
      }),
    );
  });
});
