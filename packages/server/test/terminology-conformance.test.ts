// Runs HL7's terminology-server test suite (shared/data/fhir-tx-ecosystem-tests, read in place)
// against this server: loads each "general" suite's CodeSystems/ValueSets/ConceptMaps, POSTs each
// test's Parameters to the operation, compares the answer with the expected resource (rules of the
// suite's readme: array order ignored, $optional$ items and $optional-properties$ may be absent,
// $…$ placeholders match any value; an expected OperationOutcome only needs an error answer), and
// prints pass counts per suite. Asserts the total does not fall below the recorded baseline.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importFile } from '../src/terminology/import-files.ts';
import { describeApi } from './support/api.ts';

const shared =
  process.env.HOSO_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const root = join(shared, 'fhir-tx-ecosystem-tests', 'tests');
/** Passing tests when this baseline was recorded (docs/TERMINOLOGY.md); a drop is a regression. */
const BASELINE = 178;

const PATHS: Record<string, string> = {
  expand: 'ValueSet/$expand',
  'validate-code': 'ValueSet/$validate-code',
  'cs-validate-code': 'CodeSystem/$validate-code',
  lookup: 'CodeSystem/$lookup',
  translate: 'ConceptMap/$translate',
};

interface Suite {
  name: string;
  mode?: string;
  setup?: string[];
  tests: { name: string; operation: string; request?: string; response?: string; mode?: string }[];
}

type Json = unknown;

function matches(expected: Json, actual: Json): boolean {
  if (typeof expected === 'string' && /^\$[a-z-]*\$$/.test(expected)) return actual !== undefined;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const required = expected.filter((e) => !(e as { $optional$?: boolean })?.$optional$);
    if (actual.length < required.length || actual.length > expected.length) return false;
    const used = new Set<number>();
    for (const e of required) {
      const i = actual.findIndex((a, k) => !used.has(k) && matches(e, a));
      if (i < 0) return false;
      used.add(i);
    }
    return true;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const e = expected as Record<string, Json>;
    const a = actual as Record<string, Json>;
    const optional = new Set((e['$optional-properties$'] as string[] | undefined) ?? []);
    for (const [k, v] of Object.entries(e)) {
      if (k.startsWith('$')) continue;
      if (a[k] === undefined) {
        const allOptional = Array.isArray(v) && v.every((x) => (x as { $optional$?: boolean })?.$optional$);
        if (optional.has(k) || allOptional) continue;
        return false;
      }
      if (!matches(v, a[k])) return false;
    }
    return Object.keys(a).every((k) => k in e || optional.has(k));
  }
  return expected === actual;
}

const read = (file: string) =>
  JSON.parse(readFileSync(join(root, file), 'utf8').replace(/^\uFEFF/, '')) as Record<string, Json>;

describeApi('HL7 terminology test suite (general suites)', (api) => {
  test(
    'runs and reports pass counts per suite',
    { skip: !existsSync(root) && 'test data absent' },
    async () => {
      const suites = (read('test-cases.json').suites as Suite[]).filter((s) => s.mode === 'general');
      const rows: string[] = [];
      let passed = 0;
      let total = 0;
      for (const suite of suites) {
        for (const file of suite.setup ?? []) {
          if (file.endsWith('.json')) await importFile(api.db.db, join(root, file)).catch(() => undefined);
        }
        let ok = 0;
        let run = 0;
        for (const t of suite.tests) {
          const path = PATHS[t.operation];
          if (!path || !t.request || !t.response || t.mode) continue;
          run++;
          const res = await api.request('POST', path, read(t.request));
          const expected = read(t.response);
          const good =
            expected.resourceType === 'OperationOutcome'
              ? res.status >= 400 || res.body?.resourceType === 'OperationOutcome'
              : res.status === 200 && matches(expected, res.body);
          if (good) ok++;
        }
        rows.push(
          `${suite.name.padEnd(28)} ${String(ok).padStart(4)} / ${String(run).padStart(4)}  (of ${suite.tests.length})`,
        );
        passed += ok;
        total += run;
      }
      console.log(
        `\nHL7 tx-ecosystem tests, general suites:\n${rows.join('\n')}\nTOTAL ${passed} / ${total}\n`,
      );
      assert.ok(passed >= BASELINE, `${passed} tests pass, fewer than the baseline ${BASELINE}`);
    },
  );
});
