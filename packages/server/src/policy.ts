// The access policy in force until authorization lands (issue "Identity, SMART on FHIR
// authorization…"): it adds no conditions and allows every write. It exists so every query already
// passes through the one hook that the real policy will fill; it must never be used once a
// caller's identity is known.
import type { AccessPolicy } from './store/model.ts';

export const unrestrictedPolicy: AccessPolicy = {
  readConditions: () => [],
  checkWrite: () => undefined,
};
