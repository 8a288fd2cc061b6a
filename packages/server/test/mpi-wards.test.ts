// The old → new ward mapping in the server: with the shared reference data (HOSO_SHARED_DATA) a
// record that still carries a pre-2025 ward code is compared by commune with one that carries the
// current code; without it the commune is not comparable. Through HTTP on both engines; skipped
// when the shared data is absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { addressUnitsExtension } from '@hoso/vn';
import { sharedDataDir } from '@hoso/vn/shared-data';
import { describeApi } from './support/api.ts';
import { admin, patient } from './support/mpi-fixtures.ts';

const shared = sharedDataDir();
const skip = existsSync(join(shared, 'vn-admin-units')) ? false : `no admin units at ${shared}`;

// Phường Cống Vị (old ward 00007, Hà Nội) was split into Ngọc Hà (00008) and Giảng Võ (00025)
const OLD_WARD = [
  { use: 'home', extension: [addressUnitsExtension({ legacyProvince: '01', legacyWard: '00007' })] },
];
const NEW_COMMUNE = [
  { use: 'home', extension: [addressUnitsExtension({ province: '01', commune: '00025' })] },
];
const ELSEWHERE = [{ use: 'home', extension: [addressUnitsExtension({ province: '01', commune: '00097' })] }];

describeApi(
  'patient index: old wards',
  (api) => {
    const communeAgreement = async (address: unknown[]) => {
      const res = await api.request('POST', 'Patient/$match', {
        resourceType: 'Parameters',
        parameter: [{ name: 'resource', resource: patient('', { phone: '0987654321', address }) }],
      });
      assert.equal(res.status, 200, res.text);
      const entry = res.body.entry?.[0];
      if (!entry) return 'no match';
      const evidence = entry.search.extension.find((e: { url: string }) => e.url.endsWith('mpi-evidence'));
      return (JSON.parse(evidence.valueString) as { field: string; agreement: string }[]).find(
        (e) => e.field === 'commune',
      )?.agreement;
    };

    test('an old ward code is compared with the current communes it went into', { skip }, async () => {
      const res = await api.request(
        'PUT',
        'Patient/w1',
        patient('w1', { phone: '0987654321', address: NEW_COMMUNE }),
      );
      assert.ok(res.status < 300, res.text);
      assert.equal((await admin(api, 'POST', '$process')).status, 200);
      assert.equal(await communeAgreement(OLD_WARD), 'same');
      // a commune the old ward did not go into weighs against the match: no candidate at all
      assert.equal(await communeAgreement(ELSEWHERE), 'no match');
    });
  },
  { mpi: { linkEveryMs: 0, sharedData: shared } },
);
