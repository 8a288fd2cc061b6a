// Vietnam's population structure for sampling: age pyramid (5-year bands, share in percent of the
// population, approximating GSO 2024 estimates) and the share of males by age band (sex ratio at
// birth ~111 boys per 100 girls, falling to ~60 men per 100 women over 80). Pure tables.
import type { Random } from './random.ts';
import { weighted } from './random.ts';
import type { Sex } from './names.ts';

/** [lowest age of the band, share in percent, share of males] */
export const AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [0, 7.2, 0.526],
  [5, 7.9, 0.525],
  [10, 7.9, 0.522],
  [15, 7.0, 0.518],
  [20, 6.9, 0.512],
  [25, 7.6, 0.506],
  [30, 8.1, 0.503],
  [35, 8.1, 0.502],
  [40, 7.5, 0.5],
  [45, 6.9, 0.497],
  [50, 6.2, 0.49],
  [55, 5.6, 0.48],
  [60, 4.9, 0.465],
  [65, 3.9, 0.445],
  [70, 2.6, 0.42],
  [75, 1.5, 0.395],
  [80, 2.0, 0.37],
];

const BAND_WIDTH = 5;
/** the open top band is sampled over this many years */
const TOP_BAND_WIDTH = 15;

const BANDS = weighted(AGE_BANDS.map((band) => [band, band[1]] as const));

/** an age in whole years and a sex following the pyramid */
export function ageAndSex(random: Random): { age: number; sex: Sex } {
  const [low, , male] = random.sample(BANDS);
  const width = low === 80 ? TOP_BAND_WIDTH : BAND_WIDTH;
  // within the top band, fewer people at each older year
  const age = low === 80 ? low + Math.floor(width * random.next() * random.next()) : low + random.int(width);
  return { age, sex: random.chance(male) ? 'male' : 'female' };
}
