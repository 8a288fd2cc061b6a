// Property test: string, token, date and reference searches over randomly generated Patients agree
// with a brute-force evaluation in memory (fold-and-prefix for strings, FHIR range semantics for
// dates), on both engines. Each run writes its own resources, tagged with the run, and every query
// also filters on that tag (so AND with a token is exercised too). Bounded: 20 runs per engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dateRange } from '@hoso/fhir/search/date-range';
import { foldText } from '@hoso/vn/text';
import { describeApi } from './support/api.ts';

const FAMILIES = ['Nguyễn', 'Nguyen', 'Đặng', 'Dang', 'Trần', 'Lê', 'Hòa', 'Hoà', 'Phạm'];
const GIVEN = ['Văn', 'Thị', 'Hòa', 'An', 'Anh', 'Đức'];
const SYSTEMS = ['urn:s1', 'urn:s2', undefined];
const VALUES = ['a', 'b', 'c1'];
const DATES = ['1980', '1980-05', '1980-05-02', '1980-05-31', '1981-01-01', '1979-12-31', '1980-12'];
const PREFIXES = ['', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];

interface Person {
  family: string;
  given: string;
  system: string | undefined;
  value: string;
  birthDate: string | undefined;
  gp: number | undefined;
}

const person = fc.record({
  family: fc.constantFrom(...FAMILIES),
  given: fc.constantFrom(...GIVEN),
  system: fc.constantFrom(...SYSTEMS),
  value: fc.constantFrom(...VALUES),
  birthDate: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
  gp: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
});

type Query = { param: string; value: string; matches: (p: Person) => boolean };

const nameQuery = fc
  .tuple(fc.constantFrom(...FAMILIES, ...GIVEN), fc.integer({ min: 1, max: 6 }))
  .map(([word, length]): Query => {
    const value = word.slice(0, length);
    const folded = foldText(value);
    return {
      param: 'name',
      value,
      matches: (p) => [p.family, p.given].some((s) => foldText(s).startsWith(folded)),
    };
  });

const tokenQuery = fc
  .tuple(fc.constantFrom(...SYSTEMS), fc.constantFrom(...VALUES), fc.constantFrom('both', 'code', 'system'))
  .map(([system, value, form]): Query => {
    if (form === 'code') return { param: 'identifier', value, matches: (p) => p.value === value };
    if (form === 'system' && system) {
      return { param: 'identifier', value: `${system}|`, matches: (p) => p.system === system };
    }
    return {
      param: 'identifier',
      value: `${system ?? ''}|${value}`,
      matches: (p) => p.system === system && p.value === value,
    };
  });

/** FHIR date comparison of a stored value with a searched one, both widened by their precision. */
function compareDates(stored: string, prefix: string, searched: string): boolean {
  const t = dateRange(stored)!;
  const s = dateRange(searched)!;
  const [lo, hi, start, end] = [t.start, t.end, s.start, s.end];
  const eq = lo >= start && hi <= end;
  switch (prefix) {
    case '':
    case 'eq':
      return eq;
    case 'ne':
      return !eq;
    case 'gt':
      return hi > end;
    case 'lt':
      return lo < start;
    case 'ge':
      return hi > end || eq;
    case 'le':
      return lo < start || eq;
    case 'sa':
      return lo > end;
    case 'eb':
      return hi < start;
    default:
      return lo <= end && hi >= start;
  }
}

const dateQuery = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...DATES))
  .map(([prefix, date]): Query => ({
    param: 'birthdate',
    value: `${prefix}${date}`,
    matches: (p) => p.birthDate !== undefined && compareDates(p.birthDate, prefix, date),
  }));

const referenceQuery = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('Practitioner/', ''))
  .map(([gp, form]): Query => ({
    param: 'general-practitioner',
    value: `${form}pr${gp}`,
    matches: (p) => p.gp === gp,
  }));

describeApi('Search agrees with a brute-force evaluation', (api) => {
  test('string, token, date and reference searches (and their AND) match the in-memory truth', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(person, { minLength: 1, maxLength: 15 }),
        fc.array(fc.oneof(nameQuery, tokenQuery, dateQuery, referenceQuery), { minLength: 1, maxLength: 6 }),
        async (people, queries) => {
          const tag = `run-${++run}`;
          const entry = people.map((p, i) => ({
            resource: {
              resourceType: 'Patient',
              id: `${tag}-${i}`,
              meta: { tag: [{ system: 'urn:run', code: tag }] },
              name: [{ family: p.family, given: [p.given] }],
              identifier: [{ ...(p.system ? { system: p.system } : {}), value: p.value }],
              ...(p.birthDate ? { birthDate: p.birthDate } : {}),
              ...(p.gp !== undefined
                ? { generalPractitioner: [{ reference: `Practitioner/pr${p.gp}` }] }
                : {}),
            },
            request: { method: 'PUT', url: `Patient/${tag}-${i}` },
          }));
          const stored = await api.request('POST', '', {
            resourceType: 'Bundle',
            type: 'transaction',
            entry,
          });
          assert.equal(stored.status, 200, stored.text);
          for (const q of queries) {
            const expected = people.flatMap((p, i) => (q.matches(p) ? [`${tag}-${i}`] : [])).sort();
            const params = new URLSearchParams({ _tag: `urn:run|${tag}`, [q.param]: q.value, _count: '100' });
            const res = await api.request('GET', `Patient?${params}`);
            assert.equal(res.status, 200, res.text);
            const got = (res.body.entry ?? []).map((e: { resource: { id: string } }) => e.resource.id).sort();
            assert.deepEqual(got, expected, `${q.param}=${q.value}`);
          }
          // All queries at once: AND of every criterion.
          const params = new URLSearchParams({ _tag: `urn:run|${tag}`, _count: '100' });
          for (const q of queries) params.append(q.param, q.value);
          const res = await api.request('GET', `Patient?${params}`);
          const expected = people
            .flatMap((p, i) => (queries.every((q) => q.matches(p)) ? [`${tag}-${i}`] : []))
            .sort();
          const got = (res.body.entry ?? []).map((e: { resource: { id: string } }) => e.resource.id).sort();
          assert.deepEqual(got, expected, params.toString());
        },
      ),
      { numRuns: 20, interruptAfterTimeLimit: 25_000 },
    );
  });
});
