// Primitive formats: the published FHIR regexes, compiled with XML Schema semantics, agree with
// independent generators of valid and invalid values; and the validator never throws, whatever the
// JSON it is given (property-based, fast-check).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { validateResource } from '../src/validator.ts';
import { checkPrimitive, compileFhirRegex } from '../src/validator/primitives.ts';
import { allExamples, patient } from './validator-examples.ts';

/** Characters where XML Schema and JavaScript disagree about "space", plus ordinary letters. */
const spaceyChar = fc.constantFrom(
  ' ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\v',
  '\u00a0',
  '\u2003',
  '\ufeff',
  'a',
  'Ư',
  'ệ',
  '1',
);
const valid = (type: string, value: unknown) => checkPrimitive(type, value) === undefined;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

const calendarDate = fc
  .record({
    y: fc.integer({ min: 1, max: 9999 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .filter(({ y, m, d }) => d <= daysIn(y, m))
  .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const time = fc
  .tuple(
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.integer({ min: 0, max: 999 })),
  )
  .map(([h, m, s, ms]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${ms === null ? '' : `.${pad(ms, 3)}`}`);
const zone = fc.oneof(
  fc.constant('Z'),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 59 }))
    .map(([s, h, m]) => `${s}${pad(h, 2)}:${pad(m, 2)}`),
  fc.constantFrom('+14:00', '-14:00'),
);

test('compileFhirRegex: \\s means XML spaces only, so NBSP and other Unicode spaces are content', () => {
  const string = compileFhirRegex('[ \\r\\n\\t\\S]+');
  const code = compileFhirRegex('[^\\s]+(\\s[^\\s]+)*');
  assert.ok(string.test('\u00a0'));
  assert.ok(code.test('a\u00a0b'));
  assert.ok(!code.test('a  b'));
  fc.assert(
    fc.property(fc.string({ unit: spaceyChar, minLength: 1 }), (s) => {
      assert.equal(string.test(s), true);
      assert.equal(code.test(s), !/^[ \t\n\r]|[ \t\n\r]$|[ \t\n\r]{2}/.test(s));
    }),
  );
});

test('strings hold no control characters but tab, line feed and carriage return', () => {
  assert.ok(valid('string', 'Nguyễn\tVăn\r\nAn'));
  for (const c of ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001f']) {
    assert.equal(checkPrimitive('string', `a${c}b`)?.code, 'value', JSON.stringify(c));
    assert.ok(!valid('markdown', `a${c}b`));
  }
});

test('date, dateTime, instant and time accept every calendar value at every precision', () => {
  fc.assert(
    fc.property(calendarDate, time, zone, (date, t, z) => {
      assert.ok(valid('date', date), date);
      assert.ok(valid('date', date.slice(0, 7)), date.slice(0, 7));
      assert.ok(valid('date', date.slice(0, 4)) === (date.slice(0, 4) !== '0000'));
      assert.ok(valid('dateTime', `${date}T${t}${z}`));
      assert.ok(valid('instant', `${date}T${t}${z}`));
      assert.ok(valid('time', t));
      assert.ok(!valid('dateTime', `${date}T${t}`), 'a time needs a zone');
      assert.ok(!valid('instant', date), 'an instant needs a time');
      assert.ok(!valid('date', `${date}T${t}${z}`));
    }),
  );
});

test('dates that do not exist are rejected: month 13, day 32, 29 February of common years', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
      const bad = `${pad(y, 4)}-${pad(m, 2)}-${pad(daysIn(y, m) + 1, 2)}`;
      assert.equal(valid('date', bad), false, bad);
      assert.equal(valid('dateTime', `${bad}T10:00:00Z`), false);
      assert.equal(valid('date', `${pad(y, 4)}-13`), false);
    }),
  );
});

test('id: 1..64 of [A-Za-z0-9-.]; anything else is rejected', () => {
  const idChar = fc.constantFrom(...'ABCXYZabcxyz0189-.'.split(''));
  fc.assert(
    fc.property(
      fc.string({ unit: idChar, minLength: 1, maxLength: 64 }),
      fc.string({ minLength: 1 }),
      (id, other) => {
        assert.ok(valid('id', id));
        assert.ok(!valid('id', id + 'x'.repeat(65 - id.length)));
        assert.equal(valid('id', other), /^[A-Za-z0-9.-]{1,64}$/.test(other));
      },
    ),
  );
});

test('integers: range and sign rules of integer, unsignedInt and positiveInt; decimals are any finite number', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      (n, d) => {
        assert.ok(valid('integer', n));
        assert.equal(valid('unsignedInt', n), n >= 0);
        assert.equal(valid('positiveInt', n), n > 0);
        assert.ok(valid('decimal', d));
        assert.equal(valid('integer', d), Number.isInteger(d) && d >= -(2 ** 31) && d < 2 ** 31);
        assert.ok(!valid('integer', String(n)), 'integers are JSON numbers');
      },
    ),
  );
  assert.ok(!valid('integer', 2 ** 31));
  assert.ok(!valid('decimal', Infinity));
});

test('base64Binary agrees with Node’s decoder on canonical base64, also with line breaks', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
      const b64 = Buffer.from(bytes).toString('base64');
      assert.ok(valid('base64Binary', b64));
      assert.ok(valid('base64Binary', b64.replace(/(.{76})/g, '$1\r\n')));
      assert.ok(!valid('base64Binary', b64 + '*'));
    }),
  );
  const started = performance.now();
  assert.ok(!valid('base64Binary', 'AAAA' + ' '.repeat(200_000) + '!'));
  assert.ok(performance.now() - started < 2000, 'no catastrophic backtracking on long whitespace runs');
});

test('oid, uuid, uri and code follow their published patterns', () => {
  fc.assert(
    fc.property(fc.uuid(), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (uuid, arcs) => {
      assert.ok(valid('uuid', `urn:uuid:${uuid}`));
      assert.ok(!valid('uuid', `urn:uuid:${uuid.toUpperCase()}`) || uuid === uuid.toUpperCase());
      assert.ok(valid('oid', `urn:oid:1.${arcs.join('.')}`));
      assert.ok(!valid('oid', `urn:oid:3.${arcs.join('.')}`));
    }),
  );
  assert.ok(!valid('uri', 'http://a b'));
  assert.ok(valid('uri', 'urn:ietf:bcp:47'));
  assert.ok(!valid('code', ' leading'));
});

test('the validator never throws and always reports non-resources, whatever the JSON', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const issues = validateResource(value);
      assert.ok(Array.isArray(issues));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) assert.ok(issues.length > 0);
    }),
  );
});

test('random damage to valid resources never throws and is always located inside the resource', () => {
  const examples = allExamples();
  fc.assert(
    fc.property(
      fc.nat(examples.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.jsonValue()), { minLength: 1, maxLength: 4 }),
      (which, damage) => {
        const resource = structuredClone(examples[which]!);
        for (const [seed, value] of damage) {
          // Walk a seeded path into the resource and replace what is there.
          let node: Record<string, unknown> = resource;
          let s = seed;
          for (;;) {
            const keys = Object.keys(node);
            const key = keys[s % keys.length]!;
            s = Math.floor(s / keys.length);
            const child: unknown = node[key];
            const inner: unknown = Array.isArray(child) ? child[0] : child;
            if (s > 0 && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
              node = inner as Record<string, unknown>;
            } else {
              if (key !== 'resourceType') node[key] = value;
              break;
            }
          }
        }
        for (const issue of validateResource(resource)) {
          assert.ok(issue.expression[0]?.startsWith(String(resource.resourceType)), JSON.stringify(issue));
        }
      },
    ),
    { numRuns: 500 },
  );
  assert.deepEqual(validateResource(patient()), []);
});
