// A FHIR Patient fixture for the tests: Nguyễn Văn Hùng with every field the engine reads.
import { VN_FHIR } from '@hoso/vn';
import type { PatientLike } from '@hoso/mpi/features';

const S = VN_FHIR.identifierSystems;

export function patient(
  overrides: Partial<PatientLike> & { family?: string; given?: string[] } = {},
): PatientLike {
  const { family = 'Nguyễn', given = ['Văn', 'Hùng'], ...rest } = overrides;
  return {
    id: 'p1',
    identifier: [
      { system: S.citizenId, value: '025086113770' },
      { system: S.insuranceCard, value: 'GD4252583022236' },
    ],
    name: [{ use: 'official', text: [family, ...given].join(' '), family, given }],
    telecom: [{ system: 'phone', value: '0825 325 667' }],
    gender: 'male',
    birthDate: '1986-03-22',
    address: [
      {
        use: 'home',
        extension: [
          {
            url: VN_FHIR.extensions.addressUnits,
            extension: [
              { url: 'legacyProvince', valueCoding: { system: 'x', code: '25' } },
              { url: 'legacyWard', valueCoding: { system: 'x', code: '08494' } },
            ],
          },
        ],
      },
    ],
    ...rest,
  };
}
