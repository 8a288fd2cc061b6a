// Default Fellegi–Sunter parameters and thresholds for incremental linking (the server), where
// EM cannot run on every write: m/u/lambda as EM estimated them on 44 k generated records (seed
// tune-1, default noise; `npm run bench:mpi` re-derives them), thresholds as the benchmark tuned
// them on its tuning seeds. Re-estimate on real data before production use.
import type { Thresholds } from './decide.ts';
import { weightsOf, type Parameters, type Weights } from './em.ts';

export const DEFAULT_PARAMETERS: Parameters = {
  m: [
    [0, 0.829, 0.1341, 0.03589, 0.001002],
    [0, 0.961, 0.0371, 0.001949],
    [0, 1, 0.0001, 0.0001],
    [0, 0.9441, 0.0189, 0.03696, 0.0001, 0.0001],
    [0, 1, 0.0001],
    [0, 1, 0.0001],
    [0, 1, 0.0001],
    [0, 0.7315, 0.2685],
    [0, 1, 0.0001],
    [0, 1, 0.0001],
  ],
  u: [
    [0, 0.7778, 0.181, 0.001622, 0.03964],
    [0, 0.9651, 0.0009308, 0.03398],
    [0, 0.4761, 0.0413, 0.4826],
    [0, 0.03386, 0.01069, 0.02237, 0.5978, 0.3352],
    [0, 0.9484, 0.05161],
    [0, 0.409, 0.591],
    [0, 0.4169, 0.5831],
    [0, 0.0001, 1],
    [0, 0.0001, 1],
    [0, 0.0001, 1],
  ],
  lambda: 0.392,
};

export const DEFAULT_WEIGHTS: Weights = weightsOf(DEFAULT_PARAMETERS);

export const DEFAULT_THRESHOLDS: Thresholds = { upper: 13, lower: 9 };
