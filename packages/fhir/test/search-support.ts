// Test support for search extraction: fast-check arbitraries that build resources of any R4 type
// populated along every element path the SearchParameters walk (from the generated element table),
// with values of the right FHIR type, Vietnamese text, every date precision and reference form.

import fc from 'fast-check';
import { ELEMENTS, SEARCH_PARAMETERS } from '@hoso/fhir/search/definitions.generated';

type Json = unknown;
const MAX_DEPTH = 5;

const vnText = fc.constantFrom(
  'Nguyễn',
  'Trần Thị Hoà',
  'Đặng Văn Thuỷ',
  'Lê',
  'Phạm Minh Khoa',
  'viêm gan B mạn',
  'Tăng huyết áp',
  'Huế',
  'Hà Nội',
  'Thành phố Hồ Chí Minh',
  '12 Lê Lợi',
  'x',
  'Noël',
);
const code = fc.constantFrom(
  'final',
  'active',
  'male',
  'female',
  'phone',
  'email',
  'successor',
  'predecessor',
  'derived-from',
  'depends-on',
  'composed-of',
  'documentation',
  'I10',
  'B18.1',
);
const system = fc.constantFrom(
  'http://loinc.org',
  'http://snomed.info/sct',
  'http://hl7.org/fhir/sid/icd-10',
  'urn:oid:2.16.840.1.113883.2.32',
);
const uri = fc.constantFrom(
  'http://example.org/fhir/ValueSet/a',
  'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  'http://fhir.ehealth.gov.vn/core/StructureDefinition/vn-core-patient',
);
const year = fc.integer({ min: 1900, max: 2030 }).map(String);
const two = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
const zone = fc.constantFrom('Z', '+07:00', '-05:00', '+00:00');
const date = fc.oneof(
  year,
  fc.tuple(year, two(1, 12)).map(([y, m]) => `${y}-${m}`),
  fc.tuple(year, two(1, 12), two(1, 28)).map(([y, m, d]) => `${y}-${m}-${d}`),
);
const dateTime = fc.oneof(
  date,
  fc
    .tuple(
      year,
      two(1, 12),
      two(1, 28),
      two(0, 23),
      two(0, 59),
      two(0, 59),
      fc.constantFrom('', '.5', '.123', '.1234'),
      zone,
    )
    .map(([y, mo, d, h, mi, s, f, z]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`),
);
// Decimals as clinical data has them (FHIRPath's union compares Quantities approximately, so
// random doubles near zero would collapse there and not in row de-duplication).
const decimal = fc.oneof(
  fc.integer({ min: -1000, max: 100000 }),
  fc.integer({ min: -100000, max: 10000000 }).map((n) => n / 100),
  fc.constantFrom(0.000012, 1e-7, 1.5e21),
);
const reference = fc.record(
  {
    reference: fc.constantFrom(
      'Patient/p1',
      'Patient/p-2/_history/3',
      'Practitioner/d1',
      'RelatedPerson/r1',
      'Location/l1',
      'Organization/o1',
      'http://other.example.org/fhir/Patient/p9',
      '#contained1',
      'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    ),
    type: fc.constantFrom('Patient', 'Practitioner', 'Location'),
    identifier: fc.record({ system, value: fc.constantFrom('001203004567', 'BN-42') }),
    display: vnText,
  },
  { requiredKeys: [] },
);
const coding = fc.record({ system, code, display: vnText }, { requiredKeys: ['code'] });
const codeableConcept = fc.record(
  { coding: fc.array(coding, { maxLength: 2 }), text: vnText },
  { requiredKeys: [] },
);
const quantity = fc.record(
  {
    value: decimal,
    unit: fc.constantFrom('mg', 'mmHg', 'a'),
    system: fc.constant('http://unitsofmeasure.org'),
    code: fc.constantFrom('mg', 'mm[Hg]', 'a'),
  },
  { requiredKeys: ['value'] },
);
const period = fc.record({ start: dateTime, end: dateTime }, { requiredKeys: [] });

/** Arbitraries for the leaf FHIR types (complex types are built whole, not from the element table). */
const LEAF: Record<string, fc.Arbitrary<Json>> = {
  string: vnText,
  markdown: vnText,
  code,
  id: fc.constantFrom('a1', 'x-2'),
  uri,
  url: uri,
  canonical: uri,
  oid: fc.constant('urn:oid:1.2.3'),
  uuid: fc.constant('urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427'),
  boolean: fc.boolean(),
  date,
  dateTime,
  instant: dateTime,
  time: fc.constant('10:00:00'),
  decimal,
  integer: fc.integer({ min: -5, max: 5000 }),
  positiveInt: fc.integer({ min: 1, max: 5000 }),
  unsignedInt: fc.integer({ min: 0, max: 5000 }),
  Coding: coding,
  CodeableConcept: codeableConcept,
  Identifier: fc.record(
    { system, value: fc.constantFrom('001203004567', 'GD4797932590897', 'BN-42'), type: codeableConcept },
    { requiredKeys: [] },
  ),
  ContactPoint: fc.record(
    {
      system: fc.constantFrom('phone', 'email', 'fax'),
      value: fc.constantFrom('0912345678', 'an@example.vn'),
    },
    { requiredKeys: [] },
  ),
  HumanName: fc.record(
    {
      family: vnText,
      given: fc.array(vnText, { maxLength: 3 }),
      prefix: fc.array(vnText, { maxLength: 1 }),
      suffix: fc.array(vnText, { maxLength: 1 }),
      text: vnText,
    },
    { requiredKeys: [] },
  ),
  Address: fc.record(
    {
      line: fc.array(vnText, { maxLength: 2 }),
      city: vnText,
      district: vnText,
      state: vnText,
      postalCode: fc.constant('700000'),
      country: fc.constant('VN'),
      text: vnText,
    },
    { requiredKeys: [] },
  ),
  Reference: reference,
  Period: period,
  Timing: fc.record(
    { event: fc.array(dateTime, { maxLength: 3 }), repeat: fc.record({ boundsPeriod: period }) },
    { requiredKeys: [] },
  ),
  Quantity: quantity,
  Age: quantity,
  Duration: quantity,
  Count: quantity,
  Distance: quantity,
  SimpleQuantity: quantity,
  MoneyQuantity: quantity,
  Money: fc.record({ value: decimal, currency: fc.constantFrom('VND', 'USD') }, { requiredKeys: [] }),
  Range: fc.record({ low: quantity, high: quantity }, { requiredKeys: [] }),
  Ratio: fc.record({ numerator: quantity, denominator: quantity }, { requiredKeys: [] }),
  SampledData: fc.record({ origin: quantity, period: decimal, dimensions: fc.constant(1) }),
  Attachment: fc.record({ url: uri, title: vnText }, { requiredKeys: [] }),
  Resource: fc.record(
    { resourceType: fc.constantFrom('Composition', 'MessageHeader'), id: fc.constantFrom('c1', 'm1') },
    { requiredKeys: ['resourceType'] },
  ),
};

/** The element table's children of a type or backbone path: [element name, types, is choice]. */
const CHILDREN = new Map<string, [string, string[], boolean][]>();
for (const [key, types] of Object.entries(ELEMENTS)) {
  const m = /^(.*)\.([A-Za-z]+)(\[x\])?$/.exec(key);
  if (!m) continue;
  const [, ctx, name, choice] = m as unknown as [string, string, string, string | undefined];
  const list = CHILDREN.get(ctx) ?? [];
  list.push([name, types, choice !== undefined]);
  CHILDREN.set(ctx, list);
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const memo = new Map<string, fc.Arbitrary<Json>>();

function valueOf(type: string, depth: number): fc.Arbitrary<Json> {
  const leaf = LEAF[type];
  if (!leaf) return objectOf(type, depth + 1);
  // Complex leaf types also get the elements search parameters read from them (Address.use, …).
  if (!CHILDREN.has(type) || typeof type !== 'string' || /^[a-z]/.test(type)) return leaf;
  return fc.tuple(leaf, objectOf(type, depth + 1)).map(([a, b]) => ({ ...(a as object), ...b }));
}

/** An object of a type or backbone path with a random subset of the elements search parameters read. */
export function objectOf(ctx: string, depth = 0): fc.Arbitrary<Record<string, Json>> {
  const key = `${ctx}@${depth}`;
  const cached = memo.get(key);
  if (cached) return cached as fc.Arbitrary<Record<string, Json>>;
  const fields: Record<string, fc.Arbitrary<Json>> = {};
  if (depth < MAX_DEPTH) {
    for (const [name, types, choice] of CHILDREN.get(ctx) ?? []) {
      if (choice) {
        // One choice type per element, as FHIR allows.
        fields[name] = fc
          .constantFrom(...types)
          .chain((t) => valueOf(t, depth).map((v) => ({ [name + cap(t)]: v })));
      } else {
        const one = valueOf(types[0] as string, depth);
        fields[name] = fc
          .oneof(one, fc.array(one, { minLength: 1, maxLength: 2 }))
          .map((v) => ({ [name]: v }));
      }
    }
  }
  const arb = fc
    .record(fields, { requiredKeys: [] })
    .map((parts) => Object.assign({}, ...Object.values(parts)) as Record<string, Json>);
  memo.set(key, arb);
  return arb;
}

/** A resource of `resourceType` with random values along its search parameters' paths. */
export function resourceOf(resourceType: string): fc.Arbitrary<Record<string, Json>> {
  return fc.tuple(objectOf(resourceType), objectOf('Resource')).map(([own, common]) => ({
    resourceType,
    id: 'r1',
    ...common,
    ...own,
  }));
}

/** Every resource type the generated table knows. */
export const RESOURCE_TYPES = Object.keys(SEARCH_PARAMETERS).filter((t) => t !== 'Resource');
