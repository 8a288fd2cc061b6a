import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCsv, parseCsvRecords } from '@hoso/vn/csv';

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, CRLF and a BOM', () => {
    assert.deepEqual(parseCsv('a,"b,c","say ""hi"""\r\n1,2,3\n'), [
      ['a', 'b,c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
    assert.deepEqual(parseCsvRecords('\ufeffcode,name\n01,"Hà Nội"\n'), [{ code: '01', name: 'Hà Nội' }]);
    assert.deepEqual(parseCsv(''), []);
  });

  it('round-trips any table written with RFC 4180 quoting', () => {
    const table = fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 4 }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(table, (rows) => {
        const text = rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\n';
        return JSON.stringify(parseCsv(text)) === JSON.stringify(rows);
      }),
    );
  });
});
