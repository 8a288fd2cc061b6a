// Table-driven search tests: every parameter type (string, token, date, number, quantity,
// reference, uri, composite, special) and each modifier and prefix, chains and `_has`, and the
// malformed values that must answer 400 — over one small fixed data set, on both engines.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { BASE, describeApi, putAll } from './support/api.ts';

const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';
const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

const RESOURCES = [
  {
    resourceType: 'Organization',
    id: 'org1',
    name: 'Bệnh viện Bạch Mai',
  },
  { resourceType: 'Organization', id: 'org2', name: 'Trạm y tế xã' },
  { resourceType: 'Practitioner', id: 'pr1', name: [{ family: 'Lê', given: ['Văn', 'Bác'] }] },
  {
    resourceType: 'Patient',
    id: 'pa',
    meta: {
      tag: [{ system: 'http://hoso.example/tag', code: 'demo' }],
      profile: ['http://hoso.example/StructureDefinition/vn-patient'],
      source: 'http://hospital.example/his',
    },
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml">Bệnh nhân Nguyễn Văn Hòa</div>',
    },
    identifier: [{ system: 'urn:cccd', value: '001', type: { coding: [{ system: V2, code: 'NI' }] } }],
    name: [{ family: 'Nguyễn', given: ['Văn', 'Hòa'] }],
    gender: 'male',
    birthDate: '1980-05-02',
    address: [{ city: 'Hà Nội' }],
    generalPractitioner: [{ reference: 'Practitioner/pr1' }],
    managingOrganization: { reference: 'Organization/org1' },
  },
  {
    resourceType: 'Patient',
    id: 'pb',
    meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
    identifier: [{ system: 'urn:cccd', value: '002' }],
    name: [{ family: 'Đặng', given: ['Thị', 'Hoà'] }],
    gender: 'female',
    birthDate: '1990',
    active: false,
  },
  {
    resourceType: 'Patient',
    id: 'pc',
    identifier: [{ value: 'XYZ' }],
    name: [{ family: 'Trần', given: ['Minh'] }],
    managingOrganization: { reference: 'Organization/org2' },
  },
  {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
    subject: { reference: 'Patient/pa' },
    performer: [{ reference: 'Practitioner/pr1' }],
    effectiveDateTime: '2024-01-02T10:00:00+07:00',
    valueQuantity: { value: 120, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
  },
  {
    resourceType: 'Observation',
    id: 'o2',
    status: 'preliminary',
    code: { coding: [{ system: LOINC, code: '29463-7' }] },
    subject: { reference: 'Patient/pa', identifier: { system: 'urn:cccd', value: '001' } },
    effectiveDateTime: '2024-02-02',
    valueQuantity: { value: 70, unit: 'kg', system: UCUM, code: 'kg' },
  },
  {
    resourceType: 'Observation',
    id: 'o3',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '29463-7' }] },
    subject: { reference: 'Patient/pb' },
    effectivePeriod: { start: '2023-12-31T20:00:00Z', end: '2024-01-01T02:00:00Z' },
    valueQuantity: { value: 65000, unit: 'g', system: UCUM, code: 'g' },
  },
  {
    resourceType: 'Observation',
    id: 'o4',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '8480-6' }], text: 'Huyết áp tâm thu' },
    subject: { reference: 'Patient/pb' },
    effectiveDateTime: '2023',
    valueQuantity: { value: 130.5, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
  },
  {
    resourceType: 'Observation',
    id: 'o5',
    status: 'final',
    code: { coding: [{ code: 'LOCAL-1' }] },
    subject: { reference: 'http://other.example/fhir/Patient/zz' },
  },
  {
    resourceType: 'RiskAssessment',
    id: 'r1',
    status: 'final',
    subject: { reference: 'Patient/pa' },
    prediction: [{ probabilityDecimal: 0.25 }],
  },
  {
    resourceType: 'RiskAssessment',
    id: 'r2',
    status: 'final',
    subject: { reference: 'Patient/pb' },
    prediction: [{ probabilityDecimal: 0.5 }],
  },
  { resourceType: 'ValueSet', id: 'vs1', url: 'http://hoso.example/fhir/ValueSet/a/b', status: 'active' },
  { resourceType: 'ValueSet', id: 'vs2', url: 'http://hoso.example/fhir/ValueSet/a', status: 'draft' },
];

/** [query, ids of the matches] — each row one behaviour. */
const CASES: [string, string[]][] = [
  // string: accent- and case-insensitive starts-with, :exact, :contains, OR and AND
  ['Patient?name=nguyen', ['pa']],
  ['Patient?name=NGUYỄN', ['pa']],
  ['Patient?family=dang', ['pb']],
  ['Patient?name=hoa', ['pa', 'pb']],
  ['Patient?name=Hoà', ['pa', 'pb']],
  ['Patient?given=van', ['pa']],
  ['Patient?name:exact=Nguyễn', ['pa']],
  ['Patient?name:exact=nguyễn', []],
  ['Patient?name:exact=Nguyen', []],
  ['Patient?name:contains=uye', ['pa']],
  ['Patient?name:contains=INH', ['pc']],
  ['Patient?address-city=ha noi', ['pa']],
  ['Patient?name=tran,dang', ['pb', 'pc']],
  ['Patient?name=van&name=hoa', ['pa']],
  ['Patient?name=ng%25', []],
  // token: system|code, |code, system|, code; :not, :text, :of-type, :missing, :in, :not-in
  ['Patient?identifier=urn:cccd|001', ['pa']],
  ['Patient?identifier=001', ['pa']],
  ['Patient?identifier=urn:cccd|', ['pa', 'pb']],
  ['Patient?identifier=|XYZ', ['pc']],
  ['Patient?identifier=|001', []],
  ['Patient?gender=male', ['pa']],
  ['Patient?gender=male,female', ['pa', 'pb']],
  ['Patient?gender:not=male', ['pb', 'pc']],
  ['Patient?gender:missing=true', ['pc']],
  ['Patient?gender:missing=false', ['pa', 'pb']],
  [`Patient?identifier:of-type=${V2}|NI|001`, ['pa']],
  [`Patient?identifier:of-type=${V2}|NI|002`, []],
  ['Observation?code:text=systolic', ['o1']],
  ['Observation?code:text=huyet ap', ['o4']],
  ['Observation?code:text=tam', ['o4']],
  ['Observation?status:in=http://hl7.org/fhir/ValueSet/observation-status', ['o1', 'o2', 'o3', 'o4', 'o5']],
  ['Observation?status:not-in=http://hl7.org/fhir/ValueSet/observation-status', []],
  ['Patient?active=false', ['pb']],
  ['Patient?_id=pa,pc', ['pa', 'pc']],
  ['Patient?_id:not=pa', ['pb', 'pc']],
  ['Patient?_tag=http://hoso.example/tag|demo', ['pa']],
  ['Patient?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R', ['pb']],
  // uri: equality, :below, :above, _profile, _source
  ['Patient?_profile=http://hoso.example/StructureDefinition/vn-patient', ['pa']],
  ['Patient?_source=http://hospital.example/his', ['pa']],
  ['ValueSet?url=http://hoso.example/fhir/ValueSet/a', ['vs2']],
  ['ValueSet?url:below=http://hoso.example/fhir/ValueSet/a', ['vs1', 'vs2']],
  ['ValueSet?url:above=http://hoso.example/fhir/ValueSet/a/b/c', ['vs1', 'vs2']],
  ['ValueSet?url:above=http://hoso.example/fhir/ValueSet/a', ['vs2']],
  // date: precision, prefixes, periods, time zones (values without a zone are read at +07:00)
  ['Patient?birthdate=1980', ['pa']],
  ['Patient?birthdate=1980-05', ['pa']],
  ['Patient?birthdate=1980-05-02', ['pa']],
  ['Patient?birthdate=1980-05-03', []],
  ['Patient?birthdate=gt1985', ['pb']],
  ['Patient?birthdate=lt1985', ['pa']],
  ['Patient?birthdate=ge1990', ['pb']],
  ['Patient?birthdate=ge1990-06', ['pb']],
  ['Patient?birthdate=le1980-05-02', ['pa']],
  ['Patient?birthdate=ne1980', ['pb']],
  ['Patient?birthdate=sa1980', ['pb']],
  ['Patient?birthdate=eb1990', ['pa']],
  ['Patient?birthdate=ap1990-06-01', ['pb']],
  ['Patient?birthdate:missing=true', ['pc']],
  ['Patient?birthdate=ge1980&birthdate=lt1985', ['pa']],
  ['Patient?birthdate=gt0001', ['pa', 'pb']],
  ['Patient?birthdate=lt0001-01-01', []],
  ['Observation?date=2024-01-02', ['o1']],
  ['Observation?date=2024-01-01', ['o3']],
  ['Observation?date=2024-01-02T03:00:00Z', ['o1']],
  ['Observation?date=2024-01-02T10:00:00%2B07:00', ['o1']],
  ['Observation?date=2024-01', ['o1', 'o3']],
  ['Observation?date=2023', ['o4']],
  ['Observation?date=ge2024-02-01', ['o2']],
  ['Observation?date=ap2024-01-01T08:00:00%2B07:00', ['o3']],
  ['Observation?date:missing=true', ['o5']],
  ['Observation?date=2023,2024-02', ['o2', 'o4']],
  ['RiskAssessment?_lastUpdated=gt2000-01-01', ['r1', 'r2']],
  ['RiskAssessment?_lastUpdated=lt2000-01-01', []],
  // number: precision-implied ranges for eq/ne/ap, exact comparison otherwise
  ['RiskAssessment?probability=0.25', ['r1']],
  ['RiskAssessment?probability=0.250', ['r1']],
  ['RiskAssessment?probability=2.5e-1', ['r1']],
  ['RiskAssessment?probability=0.3', ['r1']],
  ['RiskAssessment?probability=0.2', []],
  ['RiskAssessment?probability=0.5', ['r2']],
  ['RiskAssessment?probability=gt0.3', ['r2']],
  ['RiskAssessment?probability=lt0.5', ['r1']],
  ['RiskAssessment?probability=le0.5', ['r1', 'r2']],
  ['RiskAssessment?probability=ne0.25', ['r2']],
  ['RiskAssessment?probability=ap0.48', ['r2']],
  // quantity: prefixes, value|system|code, unit conversion between UCUM units
  ['Observation?value-quantity=120', ['o1']],
  [`Observation?value-quantity=120|${UCUM}|mm[Hg]`, ['o1']],
  [`Observation?value-quantity=gt125|${UCUM}|mm[Hg]`, ['o4']],
  [`Observation?value-quantity=65|${UCUM}|kg`, ['o3']],
  [`Observation?value-quantity=70000|${UCUM}|g`, ['o2']],
  ['Observation?value-quantity=70||kg', ['o2']],
  ['Observation?value-quantity=70|http://other.example|kg', []],
  [`Observation?value-quantity=le70|${UCUM}|kg`, ['o2', 'o3']],
  [`Observation?value-quantity=16|${UCUM}|kPa`, ['o1']],
  // reference: Type/id, id, :Type, absolute URLs (ours resolve locally), :identifier, :missing
  ['Observation?subject=Patient/pa', ['o1', 'o2']],
  ['Observation?subject=pa', ['o1', 'o2']],
  ['Observation?subject:Patient=pa', ['o1', 'o2']],
  ['Observation?subject:Group=pa', []],
  ['Observation?patient=pb', ['o3', 'o4']],
  ['Observation?subject=http://other.example/fhir/Patient/zz', ['o5']],
  [`Observation?subject=${BASE}/Patient/pa`, ['o1', 'o2']],
  ['Observation?subject:identifier=urn:cccd|001', ['o2']],
  ['Observation?performer=Practitioner/pr1', ['o1']],
  ['Observation?performer:missing=false', ['o1']],
  ['Patient?general-practitioner=Practitioner/pr1', ['pa']],
  ['Observation?subject=Patient/pa,Patient/pb&code=8480-6', ['o1', 'o4']],
  // composite
  [`Observation?code-value-quantity=${LOINC}|8480-6$gt125`, ['o4']],
  [`Observation?code-value-quantity=8480-6$120|${UCUM}|mm[Hg]`, ['o1']],
  [`Observation?code-value-quantity=29463-7$65|${UCUM}|kg`, ['o3']],
  ['Observation?code-value-quantity=8480-6$70', []],
  ['Observation?code-value-quantity=8480-6$120,29463-7$70', ['o1', 'o2']],
  // special: _content (every word in some indexed text), _text (narrative)
  ['Patient?_content=nguyen hoa', ['pa']],
  ['Patient?_content=ha noi', ['pa']],
  ['Patient?_content=hoa', ['pa', 'pb']],
  ['Patient?_text=nguyễn văn', ['pa']],
  // chains (several levels, type modifiers) and reverse chains (nested)
  ['Observation?subject.name=dang', ['o3', 'o4']],
  ['Observation?subject:Patient.identifier=urn:cccd|001', ['o1', 'o2']],
  ['Observation?subject:Patient.general-practitioner.name=le', ['o1', 'o2']],
  ['Observation?subject:Patient.organization.name=benh vien', ['o1', 'o2']],
  ['Observation?subject.name=nobody', []],
  ['RiskAssessment?subject:Patient.birthdate=1990', ['r2']],
  ['Patient?_has:Observation:patient:code=8480-6', ['pa', 'pb']],
  [`Patient?_has:Observation:patient:value-quantity=gt125|${UCUM}|mm[Hg]`, ['pb']],
  ['Practitioner?_has:Patient:general-practitioner:_has:Observation:patient:code=29463-7', ['pr1']],
  ['Organization?_has:Patient:organization:name=tran', ['org2']],
  ['Patient?_has:Observation:subject:subject.name=nguyen', ['pa']],
];

const MALFORMED = [
  'Patient?birthdate=2024-13',
  'Patient?birthdate=xx2020',
  'Patient?birthdate=2020-02-30',
  'Observation?value-quantity=abc',
  'Observation?value-quantity=5|kg',
  'RiskAssessment?probability=1|2',
  'Patient?name:bogus=x',
  'Patient?gender:missing=maybe',
  'Patient?identifier:of-type=abc',
  'Observation?code-value-quantity=8480-6',
  'Observation?subject=not a reference!',
  'Observation?subject:Patient=Group/1',
  'Observation?subject:Foo=1',
  'Observation?code.name=x',
  'Patient?_has:Observation=1',
  'Patient?_sort=no-such-parameter',
  'Patient?_summary=maybe',
  'Patient?_total=some',
  'Patient?_include=Foo:bar',
  'Patient?_include=Observation:subject',
  'Patient?_revinclude=Observation:code',
  'Patient?_cursor=abc',
  'Patient?name=',
  'Patient?_count=-1',
  'Observation?subject.subject.subject.subject.subject.name=x',
  'Observation?value-quantity=1e999999',
  'RiskAssessment?probability=5e-999999',
  'Patient?name:exact=%00',
  // forged cursors whose sort values would not cast
  `Observation?_sort=date&_cursor=${cursor({ values: ['a'], id: 'x', back: false, sort: 'date' })}`,
  `Observation?_sort=value-quantity&_cursor=${cursor({ values: ['1;'], id: 'x', back: false, sort: 'value-quantity' })}`,
];

function cursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const ids = (body: { entry?: { resource: { id: string }; search: { mode: string } }[] }) =>
  (body.entry ?? [])
    .filter((e) => e.search.mode === 'match')
    .map((e) => e.resource.id)
    .sort();

describeApi('Search parameters', (api) => {
  before(() => putAll(api, RESOURCES));

  test('every parameter type, modifier and prefix finds exactly the expected resources', async () => {
    const failures: string[] = [];
    for (const [query, expected] of CASES) {
      const res = await api.request('GET', `${query}&_count=100`);
      if (res.status !== 200) failures.push(`${query}: HTTP ${res.status} ${res.text}`);
      else if (JSON.stringify(ids(res.body)) !== JSON.stringify(expected)) {
        failures.push(`${query}: got ${JSON.stringify(ids(res.body))}, want ${JSON.stringify(expected)}`);
      } else if (res.body.entry?.some((e: { search: { mode: string } }) => e.search.mode === 'outcome')) {
        failures.push(`${query}: something was ignored`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('the same searches work through POST _search (form-encoded body)', async () => {
    for (const [query, expected] of CASES.filter((_, i) => i % 7 === 0)) {
      const [type, params] = query.split('?') as [string, string];
      const res = await api.request('POST', `${type}/_search`, params, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      assert.deepEqual(ids(res.body), expected, query);
    }
  });

  test('paging sorted by a quantity and by a date follows next links through every match once', async () => {
    for (const sort of ['value-quantity', '-value-quantity', 'date', '-date,code']) {
      const all = await api.request('GET', `Observation?_sort=${sort}&_count=100`);
      const seen: string[] = [];
      let url: string | undefined = `Observation?_sort=${sort}&_count=2`;
      for (let i = 0; url && i < 10; i++) {
        const res = await api.request('GET', url);
        assert.equal(res.status, 200, res.text);
        seen.push(...ids({ entry: res.body.entry }).sort());
        url = res.body.link
          .find((l: { relation: string }) => l.relation === 'next')
          ?.url.replace(`${BASE}/`, '');
      }
      assert.deepEqual(seen.sort(), ids(all.body), sort);
    }
  });

  test('malformed values answer 400 with an OperationOutcome, never 500', async () => {
    for (const query of MALFORMED) {
      const res = await api.request('GET', query);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.resourceType, 'OperationOutcome', query);
    }
  });

  test('unknown and unsupported parameters are reported when lenient and rejected when strict', async () => {
    for (const query of [
      'Patient?foo=1',
      'Location?near=10|20',
      'Patient?_has:Observation:code:status=final',
    ]) {
      const lenient = await api.request('GET', query);
      assert.equal(lenient.status, 200, query);
      const outcome = lenient.body.entry.find(
        (e: { search: { mode: string } }) => e.search.mode === 'outcome',
      );
      assert.equal(outcome?.resource.resourceType, 'OperationOutcome', query);
      const strict = await api.request('GET', query, undefined, { prefer: 'handling=strict' });
      assert.equal(strict.status, 400, query);
    }
  });
});
