// The living demo's population: a few hundred people in Phú Thọ and Hà Nội, a dozen facilities
// and the persona, as transaction bundles ready to POST or to hand to the store. Fixed seed and
// date and the built-in communes, so it is identical on every machine, with or without shared data.
import { generatePopulation, type GenerateOptions } from './population.ts';
import { transactionBundles } from './bundles.ts';
import { BUILT_IN_GEOGRAPHY } from './geography.ts';
import type { Bundle, Resource, TruthRow } from './types.ts';

export const DEMO_OPTIONS: Readonly<GenerateOptions> = {
  patients: 200,
  seed: 'hoso-demo',
  asOf: '2026-10-31',
  provinces: ['25', '01'],
  // 12 facilities: 5 in Phú Thọ, 7 in Hà Nội (2 of them specialised)
  density: { basicPerMillion: 0, initialPerMillion: 0, minBasic: 1, minInitial: 3 },
  geography: BUILT_IN_GEOGRAPHY,
};

function* resources(options: GenerateOptions): Generator<Resource> {
  for (const output of generatePopulation(options).outputs)
    if (output.kind === 'resource') yield output.resource;
}

/** the demo population as transaction bundles of ~25 PUT entries, referenced resources first */
export function demoBundles(overrides: Partial<GenerateOptions> = {}): Iterable<Bundle> {
  return { [Symbol.iterator]: () => transactionBundles(resources({ ...DEMO_OPTIONS, ...overrides })) };
}

/** the demo's ground truth (facility Patient record → person) */
export function demoTruth(overrides: Partial<GenerateOptions> = {}): TruthRow[] {
  const rows: TruthRow[] = [];
  for (const output of generatePopulation({ ...DEMO_OPTIONS, ...overrides }).outputs) {
    if (output.kind === 'truth') rows.push(output.row);
  }
  return rows;
}
