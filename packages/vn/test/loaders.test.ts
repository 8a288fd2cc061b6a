import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupCodes, loadBhytBeneficiaryGroups } from '@hoso/vn/bhyt-loader';
import { BHYT_BENEFICIARY_GROUPS, parseBhytCard } from '@hoso/vn/bhyt';
import { loadEthnicGroups } from '@hoso/vn/ethnic-groups-loader';
import { sharedDataDir } from '@hoso/vn/shared-data';
import { dataDir, withoutSharedData } from './shared-data.ts';

describe('reference data loaders', () => {
  it('locate the shared data from HOSO_SHARED_DATA or beside the repository', () => {
    assert.equal(sharedDataDir({ HOSO_SHARED_DATA: '/srv/data/' }), '/srv/data');
    assert.match(sharedDataDir({}), /\/shared\/data$/);
  });

  it('load the 43 BHYT beneficiary groups with their wording', { skip: withoutSharedData }, () => {
    const groups = loadBhytBeneficiaryGroups(dataDir);
    assert.deepEqual(
      groups.map((g) => g.code),
      BHYT_BENEFICIARY_GROUPS,
    );
    assert.match(groups.find((g) => g.code === 'TE')?.descriptionVi ?? '', /Trẻ em dưới 6 tuổi/);
    assert.ok(parseBhytCard('TE1010123456789', { groups: groupCodes(groups) }).ok);
  });

  it('load the 54 ethnic groups plus foreigner and unknown', { skip: withoutSharedData }, () => {
    const groups = loadEthnicGroups(dataDir);
    assert.equal(groups.filter((g) => g.kind === 'ethnic_group').length, 54);
    assert.deepEqual(groups[0], { code: '01', name: 'Kinh', kind: 'ethnic_group' });
    assert.equal(groups.find((g) => g.code === '99')?.kind, 'unknown');
  });
});
