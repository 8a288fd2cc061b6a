import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { demoBundles } from '@hoso/generator';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('demo population', () => {
  const bundles = [...demoBundles()];
  const resources = bundles.flatMap((b) => b.entry.map((e) => e.resource));
  const count = (type: string) => resources.filter((r) => r.resourceType === type).length;

  it('has a dozen facilities, 200 people with several records each, and the persona', () => {
    assert.equal(count('Organization'), 12);
    assert.ok(count('Patient') > 300);
    const persona = resources.find(
      (r) => r.resourceType === 'Patient' && JSON.stringify(r).includes('"Nguyễn Văn Hùng"'),
    );
    assert.ok(persona);
  });

  it('is deterministic', () => {
    const small = () => JSON.stringify([...demoBundles({ patients: 40 })]);
    assert.equal(small(), small());
  });

  it('does not depend on the shared data folder', () => {
    const script =
      "import { demoBundles } from '@hoso/generator/demo'; let n = 0; for (const b of demoBundles({ patients: 40 })) n += JSON.stringify(b).length; console.log(n);";
    const run = (dir: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
        env: { ...process.env, HOSO_SHARED_DATA: dir },
        encoding: 'utf8',
      });
    const without = run('/nonexistent-shared-data');
    assert.equal(without.status, 0, without.stderr);
    const expected = [...demoBundles({ patients: 40 })].reduce((n, b) => n + JSON.stringify(b).length, 0);
    assert.equal(without.stdout.trim(), String(expected));
  });
});
