import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blockingKeys, candidatePairs } from '@hoso/mpi/blocking';
import { extractFeatures } from '@hoso/mpi/features';
import { patient } from './support.ts';

describe('blocking', () => {
  it('files a swapped name and a swapped day and month under the same keys', () => {
    const a = blockingKeys(extractFeatures(patient({ identifier: [], telecom: [] })));
    const b = blockingKeys(
      extractFeatures(
        patient({
          identifier: [],
          telecom: [],
          family: 'Hùng',
          given: ['Văn', 'Nguyễn'],
          birthDate: '1986-22-03',
        }),
      ),
    );
    assert.ok(a.some((k) => k.startsWith('n') && b.includes(k)));
  });

  it('produces each sharing pair exactly once, and only sharing pairs', () => {
    const keyLists = fc.array(
      fc.uniqueArray(fc.constantFrom('c1', 'c2', 'b1', 'p1', 'p2', 'n1', 'd1', 'm1'), {
        maxLength: 4,
        selector: (k) => k[0],
      }),
      {
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(keyLists, (lists) => {
        const order = 'cbpndm';
        const sorted = lists.map((l) => [...l].sort((x, y) => order.indexOf(x[0]!) - order.indexOf(y[0]!)));
        const pairs = candidatePairs(sorted);
        const seen = new Set<string>();
        for (let i = 0; i < pairs.length; i++) {
          const key = `${pairs.a[i]}:${pairs.b[i]}`;
          assert.ok(!seen.has(key), `duplicate ${key}`);
          seen.add(key);
        }
        for (let x = 0; x < sorted.length; x++)
          for (let y = x + 1; y < sorted.length; y++) {
            const share = sorted[x]!.some((k) => sorted[y]!.includes(k));
            assert.equal(seen.has(`${x}:${y}`), share);
          }
      }),
    );
  });
});
