// The public surface of @hoso/mpi, the pure patient-matching engine: features of a FHIR Patient,
// comparison vectors, blocking keys, EM-estimated Fellegi–Sunter weights, decisions and batch
// matching. No I/O anywhere in this package.
export * from './features.ts';
export * from './compare.ts';
export * from './blocking.ts';
export * from './em.ts';
export * from './decide.ts';
export * from './batch.ts';
export * from './defaults.ts';
export * from './membership.ts';
