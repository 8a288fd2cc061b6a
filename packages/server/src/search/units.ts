// UCUM units this server converts between when comparing quantities: common clinical units of
// mass, length, volume, time, mass and substance concentration and pressure. Pure data and lookup.
export const UCUM = 'http://unitsofmeasure.org';

/** Unit → factor to its dimension's base unit (exact decimal text), per dimension. */
const DIMENSIONS: Record<string, string>[] = [
  { kg: '1000', g: '1', mg: '0.001', ug: '0.000001', ng: '0.000000001' },
  { km: '1000', m: '1', cm: '0.01', mm: '0.001', '[in_i]': '0.0254' },
  { L: '1', dL: '0.1', mL: '0.001', uL: '0.000001' },
  { a: '31557600', wk: '604800', d: '86400', h: '3600', min: '60', s: '1', ms: '0.001' },
  {
    'g/L': '1',
    'g/dL': '10',
    'mg/dL': '0.01',
    'mg/L': '0.001',
    'ug/mL': '0.001',
    'ug/L': '0.000001',
    'ng/mL': '0.000001',
  },
  { 'mol/L': '1', 'mmol/L': '0.001', 'umol/L': '0.000001', 'nmol/L': '0.000000001' },
  { kPa: '1000', Pa: '1', 'mm[Hg]': '133.322' },
];

/**
 * The other UCUM units `code` converts to: a value v in `code` is v × from / to in that unit (exact
 * decimals, to be divided in SQL numeric). Empty unless `system` is UCUM or not given and `code` is
 * a unit listed above.
 */
export function commensurableUnits(
  system: string,
  code: string,
): { code: string; from: string; to: string }[] {
  if (system !== '' && system !== UCUM) return [];
  const dimension = DIMENSIONS.find((d) => Object.hasOwn(d, code));
  if (!dimension) return [];
  const from = dimension[code]!;
  return Object.entries(dimension)
    .filter(([other]) => other !== code)
    .map(([other, to]) => ({ code: other, from, to }));
}
