// The development demo: configuration decides whether it loads, and the seed loader puts a small
// demo population into an empty database through the API, then never again. On both engines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoBundles } from '@hoso/generator';
import { loadConfig } from '../src/config.ts';
import { isEmpty, loadSeed } from '../src/seed.ts';
import { describeApi } from './support/api.ts';

test('the demo loads in development unless HOSO_DEMO=0, and never in production', () => {
  assert.equal(loadConfig({}, '/x').demo, true);
  assert.equal(loadConfig({ HOSO_DEMO: '0' }, '/x').demo, false);
  assert.equal(loadConfig({ HOSO_ENV: 'production' }, '/x').demo, false);
  assert.equal(loadConfig({ HOSO_ENV: 'production', HOSO_DEMO: '1' }, '/x').demo, false);
  assert.throws(() => loadConfig({ HOSO_ENV: 'staging' }, '/x'), /HOSO_ENV/);
  assert.throws(() => loadConfig({ PORT: 'eighty' }, '/x'), /PORT/);
});

describeApi('Demo population', (api) => {
  test('a small demo loads into an empty database, valid and searchable', async () => {
    assert.equal(await isEmpty(api.db.db), true);
    const bundles = [...demoBundles({ patients: 5 })];
    const expected = bundles.reduce((n, b) => n + (b.entry?.length ?? 0), 0);
    let reported = 0;
    const loaded = await loadSeed(api.app, bundles, (n) => (reported = n));
    assert.equal(loaded, expected);
    assert.equal(reported, expected);
    assert.equal(await isEmpty(api.db.db), false);
    const persona = await api.request('GET', 'Patient?family=nguyen&given=hung&_summary=count');
    assert.ok(persona.body.total >= 1, 'the persona Nguyễn Văn Hùng is there');
    const organizations = await api.request('GET', 'Organization?_summary=count');
    assert.ok(organizations.body.total >= 12);
  });
});
