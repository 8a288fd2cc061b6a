// Re-estimating the matching weights from the server's own records, through HTTP on both engines:
// the run reports progress and its parameters, the linker and $match use them from then on, bad
// input is a 400, and a database with too few labelled pairs fails the run instead of storing nonsense.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeApi, putAll } from './support/api.ts';
import { admin, patient } from './support/mpi-fixtures.ts';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hùng', 'Lan', 'Long'];
const GIVEN2 = ['Minh', 'Nam', 'Ngọc', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn'];

/**
 * Households sharing a phone and a family name, four people each, every person seen at two
 * facilities (the second record without diacritics, and every third one without a citizen ID):
 * matches, and non-matches that share blocking keys, for EM to tell apart.
 */
function households(count: number) {
  const records: ReturnType<typeof patient>[] = [];
  for (let h = 0; h < count; h++) {
    for (let k = 0; k < 4; k++) {
      const female = k % 2 === 1;
      const year = 1940 + ((h * 7 + k * 13) % 60);
      const person = {
        family: FAMILY[h % FAMILY.length]!,
        given: [female ? 'Thị' : 'Văn', (k < 2 ? GIVEN : GIVEN2)[(h + k * 3) % 10]!],
        gender: female ? 'female' : 'male',
        birthDate: `${year}-${String(1 + ((h + k) % 12)).padStart(2, '0')}-${String(1 + ((h * 3 + k) % 28)).padStart(2, '0')}`,
        phone: `09${String(10_000_000 + h).slice(-8)}`,
        cccd: `001${female ? 1 : 0}${String(year % 100).padStart(2, '0')}${String(h * 4 + k).padStart(6, '0')}`,
      };
      const id = `h${h}-${k}`;
      records.push(patient(`${id}-a`, person));
      const { cccd: _cccd, ...withoutId } = person;
      const family = person.family.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/gu, 'D');
      records.push(patient(`${id}-b`, { ...(h % 3 === 0 ? withoutId : person), family }));
    }
  }
  return records;
}

describeApi('patient index: $estimate', (api) => {
  const waitFor = async (location: string) => {
    for (let i = 0; i < 600; i++) {
      const run = await admin(api, 'GET', location.replace('/admin/mpi/', ''));
      if (run.body.status !== 'running') return run.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the estimate did not finish');
  };

  test('with too few labelled pairs the run fails and nothing changes', async () => {
    await putAll(api, [patient('e1', { cccd: '025086113770' }), patient('e2')]);
    const started = await admin(api, 'POST', '$estimate');
    assert.equal(started.status, 202);
    const run = await waitFor(started.body.location);
    assert.equal(run.status, 'failed');
    assert.match(run.error, /too few compared pairs/);
    assert.equal(run.parameters, null);
  });

  test('bad input is a 400 and an unknown run a 404', async () => {
    for (const bad of ['0', '-1', 'x', '10000000'])
      assert.equal((await admin(api, 'POST', `$estimate?maxRecords=${bad}`)).status, 400, bad);
    assert.equal((await admin(api, 'GET', 'estimates/999999')).status, 404);
    assert.equal((await admin(api, 'GET', 'estimates/abc')).status, 404);
  });

  test('estimates the weights from the indexed records; $match uses them', async () => {
    const records = households(50);
    for (let i = 0; i < records.length; i += 250) await putAll(api, records.slice(i, i + 250));
    assert.equal((await admin(api, 'POST', '$process')).status, 200);
    const started = await admin(api, 'POST', '$estimate?maxRecords=100000');
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const run = await waitFor(started.body.location);
    assert.equal(run.status, 'done', run.error);
    assert.equal(run.done, records.length + 2);
    assert.equal(run.total, records.length + 2);
    assert.ok(run.pairs > 0);
    const { m, u } = run.parameters as { m: number[][]; u: number[][] };
    const res = await api.request('POST', 'Patient/$match', {
      resourceType: 'Parameters',
      parameter: [{ name: 'resource', resource: { ...records[0], id: undefined } }],
    });
    assert.equal(res.status, 200, res.text);
    const evidence = JSON.parse(
      res.body.entry[0].search.extension.find((e: { url: string }) => e.url.endsWith('mpi-evidence'))
        .valueString,
    ) as { field: string; agreement: string; weight: number }[];
    const sex = evidence.find((e) => e.field === 'sex' && e.agreement === 'same');
    assert.ok(sex, JSON.stringify(evidence));
    assert.equal(sex.weight, Math.round(Math.log2(m[4]![1]! / u[4]![1]!) * 100) / 100);
  });
});
