// Fixtures for the patient index tests: a Vietnamese Patient with the fields matching reads, and
// a client for the admin API under /admin/mpi.
import { adminToken } from './auth-fixtures.ts';
import { VN_FHIR } from '@hoso/vn';
import type { Api } from './api.ts';

const S = VN_FHIR.identifierSystems;

export function patient(
  id: string,
  o: {
    family?: string;
    given?: string[];
    cccd?: string;
    bhyt?: string;
    phone?: string;
    birthDate?: string;
    gender?: string;
    address?: unknown[];
  } = {},
) {
  const family = o.family ?? 'Nguyễn';
  const given = o.given ?? ['Văn', 'Hùng'];
  const identifier = [
    ...(o.cccd ? [{ system: S.citizenId, value: o.cccd }] : []),
    ...(o.bhyt ? [{ system: S.insuranceCard, value: o.bhyt }] : []),
  ];
  return {
    resourceType: 'Patient',
    id,
    ...(identifier.length > 0 ? { identifier } : {}),
    name: [{ use: 'official', text: [family, ...given].join(' '), family, given }],
    ...(o.phone ? { telecom: [{ system: 'phone', value: o.phone }] } : {}),
    gender: o.gender ?? 'male',
    birthDate: o.birthDate ?? '1986-03-22',
    ...(o.address ? { address: o.address } : {}),
  };
}

/** A request to the patient index's admin API; the body parsed as JSON. */
export async function admin(api: Api, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await api.app.inject({
    method,
    url: `/admin/mpi/${path}`,
    headers: { authorization: `Bearer ${await adminToken(api)}` },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}
