// The matching configuration of one database, for the linker and Patient/$match: the
// Fellegi–Sunter parameters of the latest finished $estimate run (the defaults until there is one),
// the thresholds, and the old-ward → commune lookup loaded from the shared reference data at start.
// Reads only; the parameters are cached per database and re-read when a newer run finishes.
import {
  DEFAULT_PARAMETERS,
  DEFAULT_THRESHOLDS,
  weightsOf,
  type FeatureOptions,
  type Parameters,
  type Thresholds,
  type Weights,
} from '@hoso/mpi';
import type { Queryable } from '../db/database.ts';

export interface MatchConfig {
  parameters: Parameters;
  weights: Weights;
  thresholds: Thresholds;
  features: FeatureOptions;
}

const DEFAULTS = { id: '0', parameters: DEFAULT_PARAMETERS, weights: weightsOf(DEFAULT_PARAMETERS) };

const estimated = new WeakMap<Queryable, typeof DEFAULTS>();
const wardLookups = new WeakMap<Queryable, FeatureOptions>();

/** Sets the old-ward → current-communes lookup used when extracting features for this database. */
export function useFeatureOptions(db: Queryable, options: FeatureOptions): void {
  wardLookups.set(db, options);
}

/** The configuration in force: one small query per call, the parameters parsed only when they change. */
export async function matchConfig(db: Queryable): Promise<MatchConfig> {
  const [latest] = await db.query<{ id: string | null }>(
    "SELECT max(id)::text AS id FROM mpi_estimate WHERE status = 'done'",
  );
  let current = estimated.get(db) ?? DEFAULTS;
  if ((latest?.id ?? '0') !== current.id) {
    const [row] = await db.query<{ parameters: string }>(
      'SELECT parameters FROM mpi_estimate WHERE id = $1',
      [latest!.id],
    );
    const parameters = JSON.parse(row!.parameters) as Parameters;
    current = { id: latest!.id!, parameters, weights: weightsOf(parameters) };
    estimated.set(db, current);
  }
  return {
    parameters: current.parameters,
    weights: current.weights,
    thresholds: DEFAULT_THRESHOLDS,
    features: wardLookups.get(db) ?? {},
  };
}
