#!/usr/bin/env node
// The `npm test` entry: finds every test file, prepares migrated database templates once (when a
// package provides a global setup), then runs all files with Node's test runner.
// It must not hide failures: any failing file makes the exit code non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const files = readdirSync(join(root, 'packages'))
  .flatMap((p) => findTests(join(root, 'packages', p, 'test')))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (!process.env.HOSO_TEST_DATABASE_URL) {
  console.log('\n*** HOSO_TEST_DATABASE_URL is not set: store and API tests run on PGlite ONLY; ***');
  console.log('*** the PostgreSQL variants are SKIPPED. .ci/run sets it to run both.             ***\n');
}

const env = { ...process.env };
const setup = join(root, 'packages/server/test/support/global-setup.ts');
let teardown = async () => {};
if (existsSync(setup)) {
  const { register } = await import('tsx/esm/api');
  register();
  const mod = await import(pathToFileURL(setup).href);
  Object.assign(env, await mod.globalSetup());
  teardown = mod.globalTeardown;
}

const concurrency = process.env.HOSO_TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${pathToFileURL(join(root, 'scripts/security-reporter.mjs')).href}`,
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { cwd: root, env, stdio: 'inherit' },
);
await teardown();
process.exit(result.status ?? 1);
