// The public surface of @hoso/vn: Vietnamese rules as pure functions (no I/O except the loader
// modules named *-loader). Import a module directly (`@hoso/vn/text`) or everything from here.
export * from './text.ts';
export * from './names.ts';
export * from './provinces.ts';
export * from './findings.ts';
export * from './cccd.ts';
export * from './bhyt.ts';
export * from './facilities.ts';
