// The public surface of @hoso/generator: the pure population stream, the demo population, bundles,
// the noise profile, and the runner that writes to files or a server. Submodules can be imported
// directly (`@hoso/generator/demo`).
export { generatePopulation, type GenerateOptions, type Population } from './population.ts';
export { demoBundles, demoTruth, DEMO_OPTIONS } from './demo.ts';
export { transactionBundles, toBundle, DEFAULT_BUNDLE_SIZE } from './bundles.ts';
export { DEFAULT_NOISE, NO_NOISE, parseNoise, type NoiseProfile } from './noise.ts';
export { DEFAULT_DENSITY, type Facility, type FacilityDensity } from './facilities.ts';
export { BUILT_IN_GEOGRAPHY, type Geography } from './geography.ts';
export { loadGeography } from './geography-files.ts';
export { runGeneration, type Destination, type Progress, type RunResult } from './run.ts';
export { PERSONA_OCCUPATION } from './persona.ts';
export type { Bundle, BundleEntry, Output, Resource, TruthRow } from './types.ts';
