// Name searches take one of two plans in one statement (search/execute.ts pageQuery): up to 4,500
// candidate index rows, the candidates drive the page in id order; above, PostgreSQL's plain plan.
// Both must give the same pages. 4,600 Patients share the family name Nguyễn (the plain plan) and
// 40 of them also carry a rare given name (the driver); pages are checked against the ids computed
// here, forwards through the `next` links.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeApi, putAll } from './support/api.ts';

const COMMON = 4600;
const RARE_EVERY = 115;
const id = (i: number) => `nd-${String(i).padStart(5, '0')}`;

interface Page {
  entry?: { resource: { id: string } }[];
  link?: { relation: string; url: string }[];
}

describeApi('name search plans', (api) => {
  before(async () => {
    const patients = Array.from({ length: COMMON }, (_, i) => ({
      resourceType: 'Patient',
      id: id(i),
      name: [{ family: 'Nguyễn', given: i % RARE_EVERY === 0 ? ['Xuyến'] : ['Văn'] }],
    }));
    for (let at = 0; at < patients.length; at += 500) await putAll(api, patients.slice(at, at + 500));
  });

  /** Every id a search returns, following `next` links. */
  const walk = async (query: string) => {
    const ids: string[] = [];
    let path: string | undefined = `Patient?${query}&_count=50`;
    for (let pages = 0; path && pages < 200; pages++) {
      const res = await api.request('GET', path);
      assert.equal(res.status, 200, res.text);
      const body = res.body as Page;
      ids.push(...(body.entry ?? []).map((e) => e.resource.id));
      const next = body.link?.find((l) => l.relation === 'next')?.url;
      path = next?.slice(next.indexOf('/Patient?') + 1);
    }
    return ids;
  };

  test('a common name (more candidates than the driver takes) pages through every match in id order', async () => {
    const first = (await api.request('GET', 'Patient?name=nguyen&_count=7')).body as Page;
    assert.deepEqual(
      (first.entry ?? []).map((e) => e.resource.id),
      Array.from({ length: 7 }, (_, i) => id(i)),
    );
    const all = await walk('name=nguy');
    assert.equal(all.length, COMMON);
    assert.deepEqual(all, [...all].sort());
  });

  test('a rare name (the driver) gives the same matches, in the same order', async () => {
    const expected = Array.from({ length: COMMON }, (_, i) => i)
      .filter((i) => i % RARE_EVERY === 0)
      .map(id);
    assert.deepEqual(await walk('name=xuyen'), expected);
    assert.deepEqual(await walk('name=xuyen&name=nguyen'), expected, 'the driver with a second criterion');
  });
});
