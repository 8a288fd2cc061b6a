// A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF or
// LF): yields each record as an object keyed by the header row. Never holds the whole file.
import { createReadStream } from 'node:fs';

/** The records of a CSV file in batches (one per chunk read), keyed by the header row. */
export async function* csvRecordBatches(path: string): AsyncGenerator<Record<string, string>[]> {
  let header: string[] | undefined;
  for await (const rows of csvRows(path)) {
    if (!header) {
      const first = rows.shift();
      if (!first) continue;
      header = csvHeader(first);
    }
    yield csvObjects(header, rows);
  }
}

/** A header row's column names. */
export const csvHeader = (fields: string[]) => fields.map((f) => f.replace(/^\uFEFF/, '').trim());

/** Rows as records keyed by the header's names (blank lines left out). */
export function csvObjects(header: string[], rows: string[][]): Record<string, string>[] {
  const records: Record<string, string>[] = [];
  for (const fields of rows) {
    if (fields.length === 1 && fields[0] === '') continue;
    const record: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) record[header[i]!] = fields[i] ?? '';
    records.push(record);
  }
  return records;
}

/** The records of a CSV file one by one, keyed by the header row. */
export async function* csvRecords(path: string): AsyncGenerator<Record<string, string>> {
  for await (const records of csvRecordBatches(path)) yield* records;
}

const quotes = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
};

/** Splits one complete record (quotes balanced) into fields. */
export function splitRecord(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          value += line.slice(j);
          j = line.length;
          break;
        }
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      const comma = line.indexOf(',', j);
      out.push(value + (comma < 0 ? line.slice(j) : line.slice(j, comma)));
      if (comma < 0) break;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
  return out;
}

const withoutCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** The records of each chunk read as lines, not yet split into fields (see splitRecord). */
export async function* csvRecordLines(path: string): AsyncGenerator<string[]> {
  let rest = '';
  let pending = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    const lines = text.split('\n');
    rest = lines.pop()!;
    const records: string[] = [];
    for (const raw of lines) {
      if (!pending && !raw.includes('"')) {
        records.push(withoutCr(raw));
        continue;
      }
      const line = pending ? `${pending}\n${raw}` : raw;
      if (quotes(line) % 2 === 1) {
        pending = line;
        continue;
      }
      pending = '';
      records.push(withoutCr(line));
    }
    yield records;
  }
  const last = pending ? `${pending}\n${rest}` : rest;
  if (last !== '') yield [withoutCr(last)];
}

/** The rows of each chunk read (a record split across chunks goes with the later one). */
async function* csvRows(path: string): AsyncGenerator<string[][]> {
  for await (const lines of csvRecordLines(path)) yield lines.map(splitRecord);
}
