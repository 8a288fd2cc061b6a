import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysInMonth, formatVnDate, isLeapYear, isValidDate, parseVnDate } from '@hoso/vn/dates';

describe('dd/MM/yyyy dates', () => {
  it('parses strictly, with leap years', () => {
    assert.equal(parseVnDate('02/03/1985'), '1985-03-02');
    assert.equal(parseVnDate('29/02/2024'), '2024-02-29');
    assert.equal(parseVnDate('29/02/2023'), undefined);
    assert.equal(parseVnDate('29/02/1900'), undefined);
    assert.equal(parseVnDate('29/02/2000'), '2000-02-29');
    assert.equal(parseVnDate('31/04/2025'), undefined);
    assert.equal(parseVnDate('2/3/1985'), undefined);
    assert.equal(parseVnDate('13/13/2025'), undefined);
    assert.equal(parseVnDate('00/01/2025'), undefined);
  });

  it('accepts typed variants only when lenient', () => {
    assert.equal(parseVnDate(' 2-3-1985 ', { lenient: true }), '1985-03-02');
    assert.equal(parseVnDate('2.3.1985', { lenient: true }), '1985-03-02');
    assert.equal(parseVnDate('31/2/1985', { lenient: true }), undefined);
  });

  it('formats ISO dates and dateTimes', () => {
    assert.equal(formatVnDate('1985-03-02'), '02/03/1985');
    assert.equal(formatVnDate('2026-11-21T08:30:00+07:00'), '21/11/2026');
    assert.equal(formatVnDate('1985-03'), '03/1985');
    assert.equal(formatVnDate('1985'), '1985');
    assert.throws(() => formatVnDate('2023-02-29'), RangeError);
    assert.throws(() => formatVnDate('1985-13'), RangeError);
    assert.throws(() => formatVnDate('21/11/2026'), RangeError);
  });

  it('agrees with the JavaScript calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const date = new Date(0);
        date.setUTCFullYear(year, month, 0);
        return (
          daysInMonth(year, month) === date.getUTCDate() && isLeapYear(year) === (daysInMonth(year, 2) === 29)
        );
      }),
    );
  });

  it('round-trips every real day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          return parseVnDate(formatVnDate(iso)) === iso;
        },
      ),
    );
  });

  it('accepts exactly the valid days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 1000, max: 9999 }),
        (d, m, y) => {
          const text = `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
          return (parseVnDate(text) !== undefined) === isValidDate(y, m, d);
        },
      ),
    );
  });
});
