// The terminology service over HTTP on both engines: built-in codes, ICD-10 VN import (a subset of
// the shared list, read where it lies), $lookup, type-ahead $expand, value sets, $validate-code,
// $subsumes, $translate, and the validation rules that use the concept tables.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importFile } from '../src/terminology/import-files.ts';
import { splitRecord } from '../src/terminology/loaders/csv.ts';
import { describeApi } from './support/api.ts';

const ICD = 'http://hl7.org/fhir/sid/icd-10';
const shared =
  process.env.HOSO_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const noIcd = existsSync(join(shared, 'icd10-vn', 'icd10_qd4469.csv')) ? false : `no ICD-10 VN at ${shared}`;
const KEEP = /^(A0[0-9]|B1[5-9]|B95|I1[0-5]|I2[0-5]|J0|J1|N4|O8|P0|E11)/;

/** A small ICD-10 VN list (and its appendices) filtered from the shared files into a temp folder. */
function icdSubset(dir: string): string {
  for (const [name, column] of [
    ['icd10_qd4469.csv', 'code_nodot'],
    ['icd10_qd4469_appendices.csv', 'code_nodot'],
  ] as const) {
    const lines = readFileSync(join(shared, 'icd10-vn', name), 'utf8').split('\n');
    const col = splitRecord(lines[0]!).indexOf(column);
    const kept = lines.slice(1).filter((l) => KEEP.test(splitRecord(l)[col] ?? ''));
    writeFileSync(join(dir, name), [lines[0], ...kept].join('\n'));
  }
  return join(dir, 'icd10_qd4469.csv');
}

const param = (body: { parameter: { name: string }[] }, name: string) =>
  body.parameter.find((p) => p.name === name) as Record<string, unknown> | undefined;

describeApi('Terminology', (api) => {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-tx-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('built-in common codes answer $lookup before any import', async () => {
    const res = await api.request('GET', `CodeSystem/$lookup?system=${ICD}&code=I10`);
    assert.equal(res.status, 200);
    assert.match(String(param(res.body, 'display')?.valueString), /tăng huyết áp/);
  });

  test('an unknown code in a fragment code system is not rejected on write', async () => {
    const res = await api.request('POST', 'Condition', {
      resourceType: 'Condition',
      subject: { reference: 'Patient/x' },
      code: { coding: [{ system: ICD, code: 'K35.8' }] },
    });
    assert.equal(res.status, 201, res.text);
  });

  test(
    'imports ICD-10 VN (subset), a ValueSet and a ConceptMap; importing again is idempotent',
    { skip: noIcd },
    async () => {
      for (let i = 0; i < 2; i++) {
        const results = await importFile(api.db.db, icdSubset(dir));
        assert.ok(results[0]!.count > 300, JSON.stringify(results));
      }
      const vs = join(dir, 'vs.json');
      writeFileSync(
        vs,
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'collection',
          entry: [
            {
              resource: {
                resourceType: 'ValueSet',
                id: 'hypertension',
                url: 'http://example.org/vs/hypertension',
                status: 'active',
                compose: {
                  include: [{ system: ICD, filter: [{ property: 'concept', op: 'is-a', value: 'I10-I15' }] }],
                  exclude: [{ system: ICD, concept: [{ code: 'I15' }] }],
                },
              },
            },
            {
              resource: {
                resourceType: 'ConceptMap',
                id: 'icd-to-local',
                url: 'http://example.org/cm/icd-local',
                status: 'active',
                group: [
                  {
                    source: ICD,
                    target: 'http://example.org/local',
                    element: [
                      {
                        code: 'I10',
                        target: [{ code: 'THA', display: 'Tăng HA', equivalence: 'equivalent' }],
                      },
                    ],
                  },
                ],
              },
            },
          ],
        }),
      );
      await importFile(api.db.db, vs);
    },
  );

  test(
    '$lookup gives the Vietnamese display, English designation, parent and rule properties',
    { skip: noIcd },
    async () => {
      const res = await api.request('GET', `CodeSystem/$lookup?system=${ICD}&code=O80.0`);
      assert.equal(res.status, 200, res.text);
      assert.equal(param(res.body, 'version')?.valueString, 'VN-QD4469-2020');
      const props = res.body.parameter.filter((p: { name: string }) => p.name === 'property');
      const codes = props.map((p: { part: { valueCode?: string }[] }) => p.part[0]!.valueCode);
      assert.ok(codes.includes('parent') && codes.includes('sex') && codes.includes('age-range'));
      const en = await api.request('GET', `CodeSystem/$lookup?system=${ICD}&code=B18.1&displayLanguage=en`);
      assert.equal(param(en.body, 'display')?.valueString, 'Chronic viral hepatitis B without delta-agent');
    },
  );

  test('$lookup of an unknown code or system is 404 with an OperationOutcome', async () => {
    const res = await api.request('GET', `CodeSystem/$lookup?system=${ICD}&code=ZZZ`);
    assert.equal(res.status, 404);
    assert.equal(res.body.resourceType, 'OperationOutcome');
    const none = await api.request('GET', 'CodeSystem/$lookup?system=http://nowhere&code=1');
    assert.equal(none.status, 404);
  });

  const expand = async (filter: string, extra = '') => {
    const res = await api.request(
      'GET',
      `ValueSet/$expand?url=${encodeURIComponent(`${ICD}?fhir_vs`)}&filter=${encodeURIComponent(filter)}${extra}`,
    );
    assert.equal(res.status, 200, res.text);
    return res.body.expansion as { total: number; contains?: { code: string; display: string }[] };
  };

  test('type-ahead ignores case and diacritics, matches word prefixes, ranks frequent codes first', async () => {
    const plain = await expand('tang huyet');
    assert.equal(plain.contains![0]!.code, 'I10');
    const accented = await expand('TĂNG HUYẾT');
    assert.deepEqual(accented.contains, plain.contains);
    assert.ok(plain.contains!.every((c) => /tăng huyết/i.test(c.display) || c.code.startsWith('I1')));
  });

  test('type-ahead by code prefix puts the exact code first, and works in English', async () => {
    const code = await expand('B18');
    assert.equal(code.contains![0]!.code, 'B18');
    assert.ok(code.contains!.slice(1).every((c) => c.code.startsWith('B18.')));
    const dotless = await expand('b181');
    assert.equal(dotless.contains![0]!.code, 'B18.1');
    const english = await expand('chronic viral hepatitis b');
    assert.equal(english.contains![0]!.code, 'B18.1');
  });

  test('$expand pages with count and offset and reports the total', async () => {
    const first = await expand('benh', '&count=3');
    const second = await expand('benh', '&count=3&offset=3');
    assert.equal(first.contains!.length, 3);
    assert.equal(first.total, second.total);
    assert.ok(first.total > 6);
    assert.notDeepEqual(first.contains, second.contains);
  });

  test('a filter matching hundreds of concepts pages the most used ones; its total is left out', async () => {
    const lines = ['code,display,display_en,parent,weight'];
    for (let i = 0; i < 600; i++) {
      const kind = i % 3 === 0 ? 'Siêu âm ổ bụng' : 'Chụp X quang phổi';
      lines.push(`DV${String(i).padStart(4, '0')},${kind} ${i},${kind} ${i},,${(i * 37) % 600}`);
    }
    const file = join(dir, 'services.csv');
    writeFileSync(file, lines.join('\n'));
    const url = 'http://example.org/services';
    await importFile(api.db.db, file, { url, version: '1' });
    const page = async (filter: string) => {
      const res = await api.request(
        'GET',
        `ValueSet/$expand?url=${encodeURIComponent(`${url}?fhir_vs`)}&filter=${encodeURIComponent(filter)}&count=5`,
      );
      assert.equal(res.status, 200, res.text);
      return res.body.expansion as { total?: number; contains: { code: string }[] };
    };
    const common = await page('sieu am');
    assert.equal(common.total, undefined);
    const weights = new Map(lines.slice(1).map((l) => [l.split(',')[0]!, Number(l.split(',')[4])]));
    const sieuAm = [...weights].filter(([code]) => Number(code.slice(2)) % 3 === 0);
    const best = sieuAm
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([code]) => code);
    assert.deepEqual(
      common.contains.map((c) => c.code),
      best,
    );
    const exactCode = await page('DV0012');
    assert.equal(exactCode.contains[0]!.code, 'DV0012');
    assert.equal(exactCode.total, 1);
    const rare = await page('sieu am 12');
    assert.equal(rare.total, 5); // 12, 120, 123, 126, 129
  });

  test(
    'POST $expand with Parameters; intensional value set with is-a and exclude; instance level',
    { skip: noIcd },
    async () => {
      const res = await api.request('POST', 'ValueSet/$expand', {
        resourceType: 'Parameters',
        parameter: [
          { name: 'url', valueUri: 'http://example.org/vs/hypertension' },
          { name: 'count', valueInteger: 100 },
        ],
      });
      assert.equal(res.status, 200, res.text);
      const codes = res.body.expansion.contains.map((c: { code: string }) => c.code);
      assert.ok(codes.includes('I10') && codes.includes('I11.0') && codes.includes('I10-I15'));
      assert.ok(!codes.includes('I15') && !codes.includes('I20'));
      const byId = await api.request('GET', 'ValueSet/hypertension/$expand?filter=tim');
      assert.equal(byId.status, 200, byId.text);
      assert.ok(byId.body.expansion.contains.every((c: { code: string }) => c.code.startsWith('I1')));
    },
  );

  test('an extensional ValueSet stored through the REST API expands by its url', async () => {
    const created = await api.request('POST', 'ValueSet', {
      resourceType: 'ValueSet',
      url: 'http://example.org/vs/common',
      status: 'active',
      compose: {
        include: [{ system: ICD, concept: [{ code: 'I10' }, { code: 'E11.9', display: 'ĐTĐ típ 2' }] }],
      },
    });
    assert.equal(created.status, 201, created.text);
    const res = await api.request('GET', 'ValueSet/$expand?url=http://example.org/vs/common');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.expansion.total, 2);
    const e11 = res.body.expansion.contains.find((c: { code: string }) => c.code === 'E11.9');
    assert.equal(e11.display, 'ĐTĐ típ 2');
  });

  test('$validate-code on CodeSystem and ValueSet', { skip: noIcd }, async () => {
    const ok = await api.request('GET', `CodeSystem/$validate-code?url=${ICD}&code=B18.1`);
    assert.equal(param(ok.body, 'result')?.valueBoolean, true);
    const bad = await api.request('GET', `CodeSystem/$validate-code?url=${ICD}&code=B18.7`);
    assert.equal(param(bad.body, 'result')?.valueBoolean, false);
    const inVs = await api.request(
      'GET',
      `ValueSet/$validate-code?url=http://example.org/vs/hypertension&system=${ICD}&code=I11.9`,
    );
    assert.equal(param(inVs.body, 'result')?.valueBoolean, true);
    const outVs = await api.request('POST', 'ValueSet/hypertension/$validate-code', {
      resourceType: 'Parameters',
      parameter: [{ name: 'coding', valueCoding: { system: ICD, code: 'B18.1' } }],
    });
    assert.equal(param(outVs.body, 'result')?.valueBoolean, false);
  });

  test('$subsumes follows the chapter/block/category hierarchy', { skip: noIcd }, async () => {
    const res = await api.request('GET', `CodeSystem/$subsumes?system=${ICD}&codeA=I10-I15&codeB=I11.9`);
    assert.equal(param(res.body, 'outcome')?.valueCode, 'subsumes');
    const rev = await api.request('GET', `CodeSystem/$subsumes?system=${ICD}&codeA=I11.9&codeB=IX`);
    assert.equal(param(rev.body, 'outcome')?.valueCode, 'subsumed-by');
    const none = await api.request('GET', `CodeSystem/$subsumes?system=${ICD}&codeA=I10&codeB=B18`);
    assert.equal(param(none.body, 'outcome')?.valueCode, 'not-subsumed');
  });

  test('$translate through a loaded ConceptMap (type and instance level)', { skip: noIcd }, async () => {
    const res = await api.request('GET', `ConceptMap/$translate?system=${ICD}&code=I10`);
    assert.equal(param(res.body, 'result')?.valueBoolean, true);
    const match = param(res.body, 'match') as { part: { name: string; valueCoding?: { code: string } }[] };
    assert.equal(match.part.find((p) => p.name === 'concept')!.valueCoding!.code, 'THA');
    const inst = await api.request('GET', `ConceptMap/icd-to-local/$translate?system=${ICD}&code=B18.1`);
    assert.equal(param(inst.body, 'result')?.valueBoolean, false);
  });

  test('a write with an unknown code of a complete loaded code system is 400', { skip: noIcd }, async () => {
    const res = await api.request('POST', 'Condition', {
      resourceType: 'Condition',
      subject: { reference: 'Patient/x' },
      code: { coding: [{ system: ICD, code: 'I10.7' }] },
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.issue[0].diagnostics, /I10\.7/);
    assert.deepEqual(res.body.issue[0].expression, ['Condition.code.coding[0]']);
  });

  const visit = (gender: string, birthDate: string, code: string) => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:6f1c1a52-0000-4000-8000-000000000001',
        resource: { resourceType: 'Patient', gender, birthDate },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: 'urn:uuid:6f1c1a52-0000-4000-8000-000000000002',
        resource: {
          resourceType: 'Condition',
          subject: { reference: 'urn:uuid:6f1c1a52-0000-4000-8000-000000000001' },
          code: { coding: [{ system: ICD, code }] },
        },
        request: { method: 'POST', url: 'Condition' },
      },
      {
        resource: {
          resourceType: 'Encounter',
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
          subject: { reference: 'urn:uuid:6f1c1a52-0000-4000-8000-000000000001' },
          period: { start: '2026-03-01' },
          diagnosis: [{ condition: { reference: 'urn:uuid:6f1c1a52-0000-4000-8000-000000000002' }, rank: 1 }],
        },
        request: { method: 'POST', url: 'Encounter' },
      },
    ],
  });

  test(
    'principal diagnosis rules: allowed code passes; not-principal, sex and age are 422',
    { skip: noIcd },
    async () => {
      const ok = await api.request('POST', '', visit('male', '1970-05-01', 'I10'));
      assert.equal(ok.status, 200, ok.text);
      const cases: [string, string, string, RegExp][] = [
        ['male', '1970-05-01', 'B95.0', /may not be the principal diagnosis/],
        ['male', '1990-05-01', 'O80.0', /only to female/],
        ['female', '1950-05-01', 'O80.0', /allowed only for ages 9a-60a/],
        ['male', '2026-01-01', 'I10', /allowed only for ages 1a-/],
        ['male', '1970-05-01', 'I10-I15', /chapter or block/],
      ];
      for (const [gender, birthDate, code, message] of cases) {
        const res = await api.request('POST', '', visit(gender, birthDate, code));
        assert.equal(res.status, 422, `${code}: ${res.text}`);
        assert.match(res.body.issue[0].diagnostics, message);
        assert.match(res.body.issue[0].expression[0], /diagnosis\[0\]\.condition/);
      }
    },
  );

  test(
    'the principal diagnosis is resolved from the store when not in the same Bundle',
    { skip: noIcd },
    async () => {
      const patient = await api.request('POST', 'Patient', { resourceType: 'Patient', gender: 'male' });
      const condition = await api.request('POST', 'Condition', {
        resourceType: 'Condition',
        subject: { reference: `Patient/${patient.body.id}` },
        code: { coding: [{ system: ICD, code: 'O80.0' }] },
      });
      const res = await api.request('POST', 'Encounter', {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `Patient/${patient.body.id}` },
        diagnosis: [{ condition: { reference: `Condition/${condition.body.id}` }, rank: 1 }],
      });
      assert.equal(res.status, 422, res.text);
    },
  );
});
