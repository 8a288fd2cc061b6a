// Re-estimates the Fellegi–Sunter parameters from the server's own indexed records (the admin
// $estimate operation): reads at most `maxRecords` records' features in pages, blocks and compares
// them, runs EM started from the classes the citizen ID labels, and stores the parameters in
// mpi_estimate, where the linker and $match pick them up (config.ts). Progress (phase, done/total)
// is written to the run's row as it goes; a run still loading after its time budget fails. It changes no link:
// existing links stay until their records change. Comparison and EM are synchronous CPU work that
// holds this process (docs/BENCHMARKS.md has the time), which is why the number of records is bounded.
import {
  comparePairs,
  countPatterns,
  FIELD_INDEX,
  FIELDS,
  patternOf,
  train,
  type ComparedPairs,
  type Features,
  type Parameters,
} from '@hoso/mpi';
import type { Database } from '../db/database.ts';

export const DEFAULT_MAX_RECORDS = 200_000;
export const MAX_RECORDS = 1_000_000;
/** a run still 'running' after this long is taken as dead (its process ended) */
export const TIME_BUDGET_MS = 15 * 60_000;
const PAGE = 10_000;
/**
 * Compared pairs that agree, and that disagree, on the citizen ID: EM starts from their classes and
 * needs some of each (non-matches sharing a blocking key but not a citizen ID are rare in a small
 * index, so fewer are asked of them); fewer and the run fails rather than store a guess.
 */
const MIN_AGREE = 20;
const MIN_DISAGREE = 5;

export class EstimateRefused extends Error {}

/** Starts a run unless one is under way; returns its id and the promise of its end (never rejects). */
export async function startEstimate(
  db: Database,
  maxRecords: number,
  actor: string,
): Promise<{ id: string; done: Promise<void> }> {
  const id = await db.transaction(async (tx) => {
    await tx.query('LOCK TABLE mpi_estimate IN EXCLUSIVE MODE');
    const running = await tx.query(
      `SELECT 1 FROM mpi_estimate WHERE status = 'running' AND started_at > now() - make_interval(secs => $1)`,
      [TIME_BUDGET_MS / 1000],
    );
    if (running.length > 0) throw new EstimateRefused('an estimate is already running');
    const [row] = await tx.query<{ id: string }>(
      'INSERT INTO mpi_estimate (actor) VALUES ($1) RETURNING id::text AS id',
      [actor],
    );
    return row!.id;
  });
  return { id, done: run(db, id, maxRecords) };
}

async function progress(db: Database, id: string, phase: string, done: number, total: number) {
  await db.query('UPDATE mpi_estimate SET phase = $2, done = $3, total = $4 WHERE id = $1', [
    id,
    phase,
    done,
    total,
  ]);
}

async function run(db: Database, id: string, maxRecords: number): Promise<void> {
  const deadline = Date.now() + TIME_BUDGET_MS;
  try {
    const [count] = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM mpi_record');
    const total = Math.min(Number(count!.n), maxRecords);
    const records: Features[] = [];
    let after = '';
    while (records.length < total) {
      if (Date.now() > deadline) throw new Error('over the time budget while loading');
      const rows = await db.query<{ patient_id: string; features: string }>(
        'SELECT patient_id, features FROM mpi_record WHERE patient_id > $1 ORDER BY patient_id LIMIT $2',
        [after, Math.min(PAGE, total - records.length)],
      );
      if (rows.length === 0) break;
      for (const r of rows) records.push(JSON.parse(r.features) as Features);
      after = rows.at(-1)!.patient_id;
      await progress(db, id, 'loading', records.length, total);
    }
    await progress(db, id, 'comparing', records.length, total);
    const pairs = comparePairs(records);
    const parameters = estimateChecked(countPatterns(pairs), pairs);
    await db.query(
      `UPDATE mpi_estimate SET status = 'done', phase = 'done', finished_at = now(), pairs = $2, parameters = $3
        WHERE id = $1`,
      [id, pairs.length, JSON.stringify(parameters)],
    );
  } catch (error) {
    await db
      .query("UPDATE mpi_estimate SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1", [
        id,
        error instanceof Error ? error.message : String(error),
      ])
      .catch(() => undefined);
  }
}

/** EM on the compared pairs; refused when too few pairs carry citizen IDs to start it, or its result is unusable. */
function estimateChecked(patterns: ReadonlyMap<number, number>, pairs: ComparedPairs): Parameters {
  let agree = 0;
  let disagree = 0;
  for (const [key, n] of patterns) {
    const level = patternOf(key)[FIELD_INDEX.cccd];
    if (level === 1) agree += n;
    else if (level === 2) disagree += n;
  }
  if (agree < MIN_AGREE || disagree < MIN_DISAGREE)
    throw new Error(
      `too few compared pairs with citizen IDs on both sides (${agree} agree, ${disagree} disagree; at least ${MIN_AGREE} and ${MIN_DISAGREE})`,
    );
  const { parameters, weights } = train(pairs);
  // a usable model: on every field, agreeing never weighs less than disagreeing outright (a small
  // index made mostly of duplicates gives, e.g., a positive weight to different given names)
  const backwards = FIELDS.filter((_, i) => weights[i]![1]! < weights[i]!.at(-1)!).map((f) => f.name);
  if (backwards.length > 0)
    throw new Error(
      `EM gave disagreement more weight than agreement on ${backwards.join(', ')}; index more records first`,
    );
  return parameters;
}
