// The public surface of @hoso/vn: Vietnamese rules as pure functions. The file-reading modules
// (shared-data, *-loader) are deliberately not re-exported: import them by path.
export * from './text.ts';
export * from './names.ts';
export * from './provinces.ts';
export * from './findings.ts';
export * from './cccd.ts';
export * from './bhyt.ts';
export * from './facilities.ts';
export * from './csv.ts';
export * from './admin-units.ts';
export * from './phone.ts';
export * from './money.ts';
export * from './dates.ts';
export * from './fhir-conventions.ts';
export * from './legacy-encodings.ts';
export * from './referrals.ts';
