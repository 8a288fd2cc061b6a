// Table tests for extraction per parameter type: what rows a resource's values become.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { dateRange, isoInstant } from '@hoso/fhir/search/date-range';
import { extractIndexRows } from '@hoso/fhir/search/extract';
import type { IndexRows } from '@hoso/fhir/search/index-rows';
import { decimalText } from '@hoso/fhir/search/value-rows';
import { RESOURCE_TYPES, resourceOf } from './search-support.ts';
import {
  ENCOUNTER,
  MEDICATION_REQUEST,
  OBSERVATION_LAB,
  OBSERVATION_NOTE,
  OBSERVATION_VITALS,
  PATIENT,
} from './search-examples.ts';

function rowsOf<K extends keyof IndexRows>(resource: object, kind: K, param: string): IndexRows[K] {
  const rows = extractIndexRows(resource as { resourceType: string })[kind];
  return rows.filter((r) => r.param === param) as IndexRows[K];
}

describe('date precision → inclusive UTC range', () => {
  const cases: [string, string, string][] = [
    ['2020', '2019-12-31T17:00:00.000Z', '2020-12-31T16:59:59.999Z'],
    ['2020-02', '2020-01-31T17:00:00.000Z', '2020-02-29T16:59:59.999Z'],
    ['2021-02', '2021-01-31T17:00:00.000Z', '2021-02-28T16:59:59.999Z'],
    ['2020-03-04', '2020-03-03T17:00:00.000Z', '2020-03-04T16:59:59.999Z'],
    ['2020-03-04T10:00:00+07:00', '2020-03-04T03:00:00.000Z', '2020-03-04T03:00:00.999Z'],
    ['2020-03-04T10:00+07:00', '2020-03-04T03:00:00.000Z', '2020-03-04T03:00:59.999Z'],
    ['2020-03-04T10:00:00Z', '2020-03-04T10:00:00.000Z', '2020-03-04T10:00:00.999Z'],
    ['2020-03-04T10:00:00.5-05:00', '2020-03-04T15:00:00.500Z', '2020-03-04T15:00:00.599Z'],
    ['2020-03-04T10:00:00.123+07:00', '2020-03-04T03:00:00.123Z', '2020-03-04T03:00:00.123Z'],
    ['2020-03-04T10:00:00.123456Z', '2020-03-04T10:00:00.123Z', '2020-03-04T10:00:00.123Z'],
    ['2020-12-31T23:59:59Z', '2020-12-31T23:59:59.000Z', '2020-12-31T23:59:59.999Z'],
    ['0050-06', '0050-05-31T17:00:00.000Z', '0050-06-30T16:59:59.999Z'],
  ];
  for (const [text, start, end] of cases) {
    test(text, () => assert.deepEqual(dateRange(text), { start, end }));
  }
  test('an explicit offset for zone-less values', () => {
    assert.deepEqual(dateRange('2020', 0), {
      start: '2020-01-01T00:00:00.000Z',
      end: '2020-12-31T23:59:59.999Z',
    });
  });
  test('invalid dates give no range', () => {
    for (const bad of [
      '2020-13',
      '2020-02-30',
      '2021-02-29',
      '2020-01-01T24:00:00Z',
      '20',
      'abc',
      '2020-1-1',
      '',
    ]) {
      assert.equal(dateRange(bad), undefined, bad);
    }
  });
  test('property: isoInstant formats like Date.prototype.toISOString', () => {
    const min = Date.UTC(0, 0, 1) - 1900 * 365.2425 * 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: Math.ceil(min), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        assert.equal(isoInstant(ms), new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    assert.equal(isoInstant(Date.UTC(10000, 0, 1)), '+010000-01-01T00:00:00.000Z');
  });
  test('property: a more precise value lies inside the range of its prefix', () => {
    const ymd = fc.tuple(
      fc.integer({ min: 1, max: 9998 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
    );
    fc.assert(
      fc.property(ymd, ([y, mo, d, h, mi, s]) => {
        const p = (n: number, w = 2) => String(n).padStart(w, '0');
        const texts = [
          p(y, 4),
          `${p(y, 4)}-${p(mo)}`,
          `${p(y, 4)}-${p(mo)}-${p(d)}`,
          `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}+07:00`,
          `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.250+07:00`,
        ];
        const ranges = texts.map((t) => dateRange(t));
        // Full-precision instants agree with the platform's own parser.
        assert.equal(ranges[4]?.start, new Date(texts[4] as string).toISOString());
        for (const r of ranges) assert.ok(r && r.start <= r.end);
        for (let i = 1; i < ranges.length; i++) {
          const outer = ranges[i - 1];
          const inner = ranges[i];
          assert.ok(outer && inner && outer.start <= inner.start && inner.end <= outer.end, texts[i]);
        }
      }),
    );
  });
});

describe('string parameters', () => {
  test('HumanName: every part, the given names together, the text and the whole name', () => {
    const rows = rowsOf(PATIENT, 'string', 'name');
    assert.deepEqual(
      rows.map((r) => [r.exact, r.folded]),
      [
        ['Trần', 'tran'],
        ['Thị', 'thi'],
        ['Thu', 'thu'],
        ['Thị Thu', 'thi thu'],
        ['Trần Thị Thu', 'tran thi thu'],
      ],
    );
    assert.deepEqual(
      rowsOf(PATIENT, 'string', 'family').map((r) => r.folded),
      ['tran'],
    );
  });
  test('exact is NFC with canonical tone marks; folded drops diacritics and đ', () => {
    const p = { resourceType: 'Patient', name: [{ family: 'Đặng', given: ['Thuỷ'] }] };
    const decomposed = {
      resourceType: 'Patient',
      name: [{ family: 'Đặng'.normalize('NFD'), given: ['Thủy'] }],
    };
    assert.deepEqual(rowsOf(p, 'string', 'given'), rowsOf(decomposed, 'string', 'given'));
    assert.deepEqual(rowsOf(p, 'string', 'family'), [{ param: 'family', exact: 'Đặng', folded: 'dang' }]);
  });
  test('Address: lines, city, district, state, postal code, country and text', () => {
    const p = {
      resourceType: 'Patient',
      address: [
        {
          line: ['Thôn 3'],
          district: 'Huyện Phú Vang',
          city: 'Huế',
          state: 'Thừa Thiên Huế',
          postalCode: '530000',
          country: 'VN',
        },
      ],
    };
    assert.deepEqual(
      rowsOf(p, 'string', 'address').map((r) => r.folded),
      ['thon 3', 'hue', 'huyen phu vang', 'thua thien hue', '530000', 'vn'],
    );
    assert.deepEqual(
      rowsOf(p, 'string', 'address-postalcode').map((r) => r.exact),
      ['530000'],
    );
  });
  test('plain strings and CodeableConcept.text for Observation value-string', () => {
    assert.deepEqual(rowsOf(OBSERVATION_NOTE, 'string', 'value-string'), [
      {
        param: 'value-string',
        exact: 'Bệnh nhân khỏe, ăn uống bình thường',
        folded: 'benh nhan khoe, an uong binh thuong',
      },
    ]);
    const o = { resourceType: 'Observation', valueCodeableConcept: { text: 'Âm tính' } };
    assert.deepEqual(
      rowsOf(o, 'string', 'value-string').map((r) => r.folded),
      ['am tinh'],
    );
  });
  test('blank strings give no row', () => {
    assert.deepEqual(
      rowsOf({ resourceType: 'Patient', name: [{ family: ' ', given: [''] }] }, 'string', 'name'),
      [],
    );
  });
});

describe('token parameters', () => {
  test('Identifier: system, value, type coding and type text', () => {
    assert.deepEqual(rowsOf(PATIENT, 'token', 'identifier'), [
      {
        param: 'identifier',
        system: 'http://fhir.hl7.org.vn/core/sid/cccd',
        code: '079185001234',
        text: 'can cuoc cong dan',
        typeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
        typeCode: 'NI',
      },
      {
        param: 'identifier',
        system: 'http://fhir.hl7.org.vn/core/sid/bhyt',
        code: 'GD4797932590897',
        text: 'the bhyt',
        typeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
        typeCode: 'MC',
      },
    ]);
  });
  test('CodeableConcept: one row per coding, text from CodeableConcept.text else the display', () => {
    assert.deepEqual(rowsOf(OBSERVATION_LAB, 'token', 'code'), [
      { param: 'code', system: 'http://loinc.org', code: '42595-9', text: 'tai luong hbv-dna' },
    ]);
    const o = {
      resourceType: 'Observation',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Nhịp tim' }, { code: 'HR' }] },
    };
    assert.deepEqual(rowsOf(o, 'token', 'code'), [
      { param: 'code', system: 'http://loinc.org', code: '8867-4', text: 'nhip tim' },
      { param: 'code', system: null, code: 'HR', text: null },
    ]);
  });
  test('CodeableConcept with text only gives a text-only row', () => {
    assert.deepEqual(rowsOf(OBSERVATION_NOTE, 'token', 'code'), [
      { param: 'code', system: null, code: null, text: 'tinh trang chung' },
    ]);
  });
  test('Coding, code and boolean', () => {
    assert.deepEqual(rowsOf(ENCOUNTER, 'token', 'class'), [
      {
        param: 'class',
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: 'AMB',
        text: 'ambulatory',
      },
    ]);
    // A `code` bound (required) to a one-system ValueSet gets that system.
    assert.deepEqual(rowsOf(PATIENT, 'token', 'gender'), [
      { param: 'gender', system: 'http://hl7.org/fhir/administrative-gender', code: 'female', text: null },
    ]);
    assert.deepEqual(rowsOf({ resourceType: 'Observation', status: 'final' }, 'token', 'status'), [
      { param: 'status', system: 'http://hl7.org/fhir/observation-status', code: 'final', text: null },
    ]);
    // Unbound codes and strings used as tokens have none.
    assert.deepEqual(
      rowsOf({ resourceType: 'Medication', batch: { lotNumber: 'L1' } }, 'token', 'lot-number'),
      [{ param: 'lot-number', system: null, code: 'L1', text: null }],
    );
    assert.deepEqual(rowsOf(PATIENT, 'token', 'active'), [
      { param: 'active', system: null, code: 'true', text: null },
    ]);
  });
  test('ContactPoint: the value, filtered by system for phone and email', () => {
    assert.deepEqual(
      rowsOf(PATIENT, 'token', 'telecom').map((r) => r.code),
      ['0903123456', 'thu.tran@example.vn'],
    );
    assert.deepEqual(rowsOf(PATIENT, 'token', 'phone'), [
      { param: 'phone', system: null, code: '0903123456', text: null },
    ]);
    assert.deepEqual(
      rowsOf(PATIENT, 'token', 'email').map((r) => r.code),
      ['thu.tran@example.vn'],
    );
  });
  test('Patient deceased: true for deceasedBoolean true or a date, false otherwise', () => {
    const code = (p: object) =>
      rowsOf({ resourceType: 'Patient', ...p }, 'token', 'deceased').map((r) => r.code);
    assert.deepEqual(code({}), ['false']);
    assert.deepEqual(code({ deceasedBoolean: false }), ['false']);
    assert.deepEqual(code({ deceasedBoolean: true }), ['true']);
    assert.deepEqual(code({ deceasedDateTime: '2024-01-02' }), ['true']);
  });
  test('meta: _tag and _security tokens, _profile and _source uris', () => {
    const rows = extractIndexRows(PATIENT);
    assert.deepEqual(
      rows.token.filter((r) => r.param.startsWith('_')),
      [
        {
          param: '_security',
          system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
          code: 'N',
          text: null,
        },
        { param: '_tag', system: 'https://hoso.vn/tags', code: 'facility-record', text: null },
      ],
    );
    assert.deepEqual(rows.uri, [
      { param: '_profile', value: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-patient' },
      { param: '_source', value: 'urn:hoso:facility:79071' },
    ]);
  });
});

describe('date parameters', () => {
  test('date, dateTime, Period and Timing', () => {
    assert.deepEqual(rowsOf(PATIENT, 'date', 'birthdate'), [
      { param: 'birthdate', start: '1985-07-11T17:00:00.000Z', end: '1985-07-12T16:59:59.999Z' },
    ]);
    assert.deepEqual(rowsOf(ENCOUNTER, 'date', 'date'), [
      { param: 'date', start: '2024-05-06T00:45:00.000Z', end: '2024-05-06T02:10:00.999Z' },
    ]);
    assert.deepEqual(rowsOf(OBSERVATION_NOTE, 'date', 'date'), [
      { param: 'date', start: '2024-04-30T17:00:00.000Z', end: '2024-05-31T16:59:59.999Z' },
    ]);
  });
  test('Period with an open end and Timing events', () => {
    const e = { resourceType: 'Encounter', period: { start: '2024-05-06T07:45:00+07:00' } };
    assert.deepEqual(rowsOf(e, 'date', 'date'), [
      { param: 'date', start: '2024-05-06T00:45:00.000Z', end: null },
    ]);
    const timing = (t: object) =>
      rowsOf(
        { resourceType: 'CarePlan', activity: [{ detail: { scheduledTiming: t } }] },
        'date',
        'activity-date',
      );
    assert.deepEqual(timing({ event: ['2024-06-05', '2024-05-07'] }), [
      { param: 'activity-date', start: '2024-05-06T17:00:00.000Z', end: '2024-06-05T16:59:59.999Z' },
    ]);
    assert.deepEqual(timing({ repeat: { boundsPeriod: { end: '2024-12-31' } } }), [
      { param: 'activity-date', start: null, end: '2024-12-31T16:59:59.999Z' },
    ]);
    assert.deepEqual(timing({ repeat: { frequency: 1 } }), []);
  });
  test('Procedure.performedString has no date row', () => {
    assert.deepEqual(rowsOf({ resourceType: 'Procedure', performedString: 'năm ngoái' }, 'date', 'date'), []);
  });
});

describe('number and quantity parameters', () => {
  test('decimals stay decimal text, never exponent notation', () => {
    assert.equal(decimalText(0.000012), '0.000012');
    assert.equal(decimalText(1e-7), '0.0000001');
    assert.equal(decimalText(-1.5e21), '-1500000000000000000000');
    assert.equal(decimalText(120.5), '120.5');
    assert.equal(decimalText('1.50'), '1.50');
    assert.equal(decimalText('abc'), undefined);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = decimalText(n) as string;
        assert.ok(!/e/i.test(text), text);
        assert.equal(Number(text), n === 0 ? 0 : n);
      }),
    );
  });
  test('Quantity keeps value, system, code and unit', () => {
    assert.deepEqual(rowsOf(OBSERVATION_LAB, 'quantity', 'value-quantity'), [
      {
        param: 'value-quantity',
        value: '0.000012',
        system: 'http://unitsofmeasure.org',
        code: '[IU]/mL',
        unit: 'IU/mL',
      },
    ]);
  });
  test('Money is ISO 4217; a Range gives its two bounds; SampledData gives nothing', () => {
    const claim = { resourceType: 'ChargeItem', priceOverride: { value: 150000, currency: 'VND' } };
    assert.deepEqual(rowsOf(claim, 'quantity', 'price-override'), [
      { param: 'price-override', value: '150000', system: 'urn:iso:std:iso:4217', code: 'VND', unit: null },
    ]);
    const c = {
      resourceType: 'Condition',
      onsetRange: { low: { value: 30, code: 'a' }, high: { value: 35, code: 'a' } },
    };
    assert.deepEqual(
      rowsOf(c, 'quantity', 'onset-age').map((r) => r.value),
      ['30', '35'],
    );
    const o = {
      resourceType: 'Observation',
      valueSampledData: { origin: { value: 0 }, period: 1, dimensions: 1 },
    };
    assert.deepEqual(rowsOf(o, 'quantity', 'value-quantity'), []);
  });
  test('number from decimal, integer and Range', () => {
    const r = {
      resourceType: 'RiskAssessment',
      prediction: [{ probabilityDecimal: 0.25 }, { probabilityRange: { low: { value: 1 } } }],
    };
    assert.deepEqual(
      rowsOf(r, 'number', 'probability').map((x) => x.value),
      ['0.25', '1'],
    );
  });
});

describe('reference parameters', () => {
  test('local Type/id, versioned, absolute, urn:uuid, contained and identifier-only references', () => {
    const o = {
      resourceType: 'Observation',
      subject: { reference: 'Patient/bn-thu/_history/3' },
      performer: [
        { reference: 'Practitioner/bs-hoa' },
        { reference: 'http://hub.example.vn/fhir/Organization/o1' },
        { reference: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' },
        { reference: '#p1' },
        {
          identifier: { system: 'http://fhir.hl7.org.vn/core/sid/cchn', value: '000123' },
          display: 'BS. Hoà',
        },
      ],
    };
    assert.deepEqual(rowsOf(o, 'reference', 'subject'), [
      { param: 'subject', targetType: 'Patient', targetId: 'bn-thu', url: null },
    ]);
    assert.deepEqual(rowsOf(o, 'reference', 'performer'), [
      { param: 'performer', targetType: 'Practitioner', targetId: 'bs-hoa', url: null },
      {
        param: 'performer',
        targetType: null,
        targetId: null,
        url: 'http://hub.example.vn/fhir/Organization/o1',
      },
      {
        param: 'performer',
        targetType: null,
        targetId: null,
        url: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      },
    ]);
    assert.deepEqual(rowsOf(o, 'token', 'performer:identifier'), [
      {
        param: 'performer:identifier',
        system: 'http://fhir.hl7.org.vn/core/sid/cchn',
        code: '000123',
        text: null,
        typeSystem: null,
        typeCode: null,
      },
    ]);
  });
  test('resolve() is Patient is decided from the reference (or Reference.type)', () => {
    assert.deepEqual(rowsOf(OBSERVATION_VITALS, 'reference', 'patient'), [
      { param: 'patient', targetType: 'Patient', targetId: 'bn-thu', url: null },
    ]);
    const group = { resourceType: 'Observation', subject: { reference: 'Group/g1' } };
    assert.deepEqual(rowsOf(group, 'reference', 'patient'), []);
    assert.equal(rowsOf(group, 'reference', 'subject').length, 1);
    const absolute = {
      resourceType: 'Observation',
      subject: { reference: 'http://other.example/fhir/Patient/9' },
    };
    assert.deepEqual(rowsOf(absolute, 'reference', 'patient'), [
      { param: 'patient', targetType: null, targetId: null, url: 'http://other.example/fhir/Patient/9' },
    ]);
    assert.deepEqual(
      rowsOf(OBSERVATION_NOTE, 'token', 'patient:identifier').map((r) => r.code),
      ['079185001234'],
    );
  });
  test('canonical and embedded resources', () => {
    const q = {
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'http://hoso.vn/Questionnaire/phq9|1.0',
    };
    assert.deepEqual(rowsOf(q, 'reference', 'questionnaire'), [
      {
        param: 'questionnaire',
        targetType: null,
        targetId: null,
        url: 'http://hoso.vn/Questionnaire/phq9|1.0',
      },
    ]);
    assert.deepEqual(
      rowsOf(
        {
          resourceType: 'Bundle',
          type: 'document',
          entry: [{ resource: { resourceType: 'Composition', id: 'c1' } }],
        },
        'reference',
        'composition',
      ),
      [{ param: 'composition', targetType: 'Composition', targetId: 'c1', url: null }],
    );
  });
  test('medication as CodeableConcept is a token, as Reference a reference', () => {
    assert.deepEqual(
      rowsOf(MEDICATION_REQUEST, 'token', 'code').map((r) => r.code),
      ['J05AF07'],
    );
    assert.deepEqual(rowsOf(MEDICATION_REQUEST, 'reference', 'medication'), []);
    const byRef = { resourceType: 'MedicationRequest', medicationReference: { reference: 'Medication/tdf' } };
    assert.deepEqual(rowsOf(byRef, 'reference', 'medication'), [
      { param: 'medication', targetType: 'Medication', targetId: 'tdf', url: null },
    ]);
  });
});

describe('composite parameters', () => {
  test('components come from the same element occurrence', () => {
    const rows = extractIndexRows(OBSERVATION_VITALS).composite.filter(
      (r) => r.param === 'component-code-value-quantity',
    );
    assert.deepEqual(
      rows.map((r) =>
        r.components.map((c) => [
          c.param,
          'code' in c.row ? c.row.code : null,
          'value' in c.row ? c.row.value : null,
        ]),
      ),
      [
        [
          ['component-code', '8480-6', null],
          ['component-value-quantity', 'mm[Hg]', '135'],
        ],
        [
          ['component-code', '8462-4', null],
          ['component-value-quantity', 'mm[Hg]', '85'],
        ],
      ],
    );
  });
  test('a composite with a missing component gives no row', () => {
    const o = { resourceType: 'Observation', code: { coding: [{ code: 'x' }] } };
    assert.deepEqual(extractIndexRows(o).composite, []);
  });
  test('DocumentReference relationship uses the corrected R4 component expressions', () => {
    const d = {
      resourceType: 'DocumentReference',
      relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/old' } }],
    };
    const [row] = extractIndexRows(d).composite;
    assert.deepEqual(row, {
      param: 'relationship',
      components: [
        {
          param: 'relatesto',
          row: { param: 'relatesto', targetType: 'DocumentReference', targetId: 'old', url: null },
        },
        {
          param: 'relation',
          row: {
            param: 'relation',
            system: 'http://hl7.org/fhir/document-relationship-type',
            code: 'replaces',
            text: null,
          },
        },
      ],
    });
  });
});

describe('extractIndexRows', () => {
  test('identical rows are removed', () => {
    const p = {
      resourceType: 'Patient',
      name: [{ family: 'Lê' }, { family: 'Lê' }],
      identifier: [{ value: 'x' }, { value: 'x' }],
    };
    const rows = extractIndexRows(p);
    assert.equal(rows.string.filter((r) => r.param === 'family').length, 1);
    assert.equal(rows.token.filter((r) => r.param === 'identifier').length, 1);
    // Many values (the keyed path) as well as few (pairwise comparison).
    const many = {
      resourceType: 'Patient',
      name: Array.from({ length: 40 }, (_, i) => ({ family: `Lê ${i % 20}` })),
    };
    assert.equal(extractIndexRows(many).string.filter((r) => r.param === 'family').length, 20);
  });
  test('an unknown resource type is an error; a type without own parameters still gets meta', () => {
    assert.throws(() => extractIndexRows({ resourceType: 'SubscriptionStatus' }), /unknown resource type/);
    const rows = extractIndexRows({ resourceType: 'Parameters', meta: { tag: [{ code: 't' }] } } as {
      resourceType: string;
    });
    assert.deepEqual(rows.token, [{ param: '_tag', system: null, code: 't', text: null }]);
  });
  test('primitive extensions and nulls in arrays are ignored', () => {
    const p = { resourceType: 'Patient', name: [{ given: [null, 'An'], _given: [{ extension: [] }, null] }] };
    assert.deepEqual(
      rowsOf(p, 'string', 'given').map((r) => r.exact),
      ['An'],
    );
  });
});

test('property: extraction never throws on malformed resources of a known type', () => {
  const junk = fc.anything({ maxDepth: 3, withNullPrototype: false });
  const arb = fc.tuple(
    fc.constantFrom(...RESOURCE_TYPES),
    fc.dictionary(fc.string(), junk),
    resourceOf('Patient'),
  );
  fc.assert(
    fc.property(arb, ([resourceType, random, patient]) => {
      // Well-known element names with values of the wrong shape, plus random keys.
      const wrongShapes = Object.fromEntries(
        Object.keys(patient).map((k, i) => [k, Object.values(random)[i] ?? 42]),
      );
      for (const resource of [
        { ...random, resourceType },
        { ...wrongShapes, resourceType: 'Patient' },
      ]) {
        const rows = extractIndexRows(resource);
        for (const list of Object.values(rows)) assert.ok(Array.isArray(list));
      }
    }),
    { numRuns: 300 },
  );
});
