// Incremental linking of facility Patient records into people, as an outbox consumer: each new
// Patient write is matched against the records sharing a blocking key and linked automatically
// (above the upper threshold), queued for review (between thresholds; provisionally its own
// person), or made a new person (below). Every decision writes link history and an audit row in
// the same transaction as the cursor move. It never rewrites facility records or clinical rows.
import { randomUUID } from 'node:crypto';
import {
  blockingKeys,
  compare,
  decidePair,
  decideRecord,
  DEFAULT_THRESHOLDS,
  DEFAULT_WEIGHTS,
  extractFeatures,
  FIELDS,
  score,
  type Comparison,
  type Features,
  type PatientLike,
  type ScoredCandidate,
  type Thresholds,
  type Weights,
} from '@hoso/mpi';
import type { Database, Queryable } from '../db/database.ts';

export interface MatchConfig {
  weights: Weights;
  thresholds: Thresholds;
}

export const DEFAULT_MATCH_CONFIG: MatchConfig = { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS };

/** Records sharing a key beyond this many are not compared (a key that common tells nothing). */
const MAX_CANDIDATES = 200;

export interface Candidate extends ScoredCandidate {
  features: Features;
  vector: Comparison;
}

/** The scored candidates of a record's features, best first. */
export async function findCandidates(
  db: Queryable,
  features: Features,
  config: MatchConfig = DEFAULT_MATCH_CONFIG,
): Promise<Candidate[]> {
  const keys = blockingKeys(features);
  if (keys.length === 0) return [];
  const rows = await db.query<{ patient_id: string; person_id: string; features: string }>(
    `SELECT r.patient_id, r.person_id, r.features FROM mpi_record r
      WHERE r.patient_id IN (SELECT k.patient_id FROM mpi_key k WHERE k.key = ANY($1::text[]))
        AND r.patient_id <> $2
      LIMIT ${MAX_CANDIDATES}`,
    [keys, features.id],
  );
  return rows
    .map((row) => {
      const other = JSON.parse(row.features) as Features;
      const vector = compare(features, other);
      const decision = decidePair(vector, score(config.weights, vector), config.thresholds);
      return { personId: row.person_id, recordId: row.patient_id, decision, features: other, vector };
    })
    .sort((a, b) => b.decision.score - a.decision.score);
}

/** Field-by-field evidence of a compared pair, for reviewers and $match. */
export function evidence(a: Features, b: Features, v: Comparison, weights: Weights = DEFAULT_WEIGHTS) {
  const value = (f: Features, field: string): unknown =>
    ({
      given: f.givenExact,
      family: f.familyExact,
      middle: f.middle,
      birthDate: [f.birthYear, f.birthMonth, f.birthDay].filter((x) => x !== undefined).join('-'),
      sex: f.sex,
      province: f.province,
      commune: f.communes.join(' '),
      phone: f.phone,
      cccd: f.cccd,
      bhxh: f.bhxh,
    })[field];
  return FIELDS.map((field, i) => ({
    field: field.name,
    agreement: field.levels[v[i]!],
    weight: Math.round(weights[i]![v[i]!]! * 100) / 100,
    record: value(a, field.name),
    candidate: value(b, field.name),
  }));
}

async function audit(
  tx: Queryable,
  action: string,
  patientId: string | null,
  personId: string | null,
  detail: unknown,
) {
  await tx.query('INSERT INTO mpi_audit (action, patient_id, person_id, detail) VALUES ($1, $2, $3, $4)', [
    action,
    patientId,
    personId,
    JSON.stringify(detail),
  ]);
}

export async function recordLink(
  tx: Queryable,
  action: 'link' | 'unlink' | 'merge' | 'unmerge',
  patientId: string,
  personId: string,
  previous: string | null,
  reason: string,
  actor: string,
): Promise<void> {
  await tx.query('UPDATE mpi_record SET person_id = $2 WHERE patient_id = $1', [patientId, personId]);
  await tx.query(
    `INSERT INTO mpi_link_history (action, patient_id, person_id, previous_person_id, reason, actor)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [action, patientId, personId, previous, reason, actor],
  );
}

export async function newPerson(tx: Queryable): Promise<string> {
  const id = randomUUID();
  await tx.query('INSERT INTO mpi_person (id) VALUES ($1)', [id]);
  return id;
}

/** Links one facility Patient (first sight only; a later version keeps its link and updates its features). */
export async function linkPatient(
  tx: Queryable,
  patient: PatientLike,
  version: number,
  config = DEFAULT_MATCH_CONFIG,
) {
  const features = extractFeatures(patient);
  const existing = await tx.query<{ person_id: string }>(
    'SELECT person_id FROM mpi_record WHERE patient_id = $1',
    [features.id],
  );
  await tx.query('DELETE FROM mpi_key WHERE patient_id = $1', [features.id]);
  for (const key of blockingKeys(features)) {
    await tx.query('INSERT INTO mpi_key (key, patient_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      key,
      features.id,
    ]);
  }
  if (existing[0]) {
    await tx.query('UPDATE mpi_record SET version = $2, features = $3 WHERE patient_id = $1', [
      features.id,
      version,
      JSON.stringify(features),
    ]);
    return { outcome: 'updated' as const, personId: existing[0].person_id };
  }
  const candidates = await findCandidates(tx, features, config);
  const decision = decideRecord(candidates);
  const personId = decision.outcome === 'link' ? decision.personId : await newPerson(tx);
  await tx.query(
    'INSERT INTO mpi_record (patient_id, version, features, person_id) VALUES ($1, $2, $3, $4)',
    [features.id, version, JSON.stringify(features), personId],
  );
  const best = candidates[0];
  const reason =
    decision.outcome === 'link'
      ? `${best?.decision.reason} ${best?.decision.score.toFixed(1)}`
      : decision.outcome;
  await recordLink(tx, 'link', features.id, personId, null, reason, 'mpi');
  if (decision.outcome === 'review') {
    const byPerson = new Map<string, Candidate>();
    for (const c of candidates)
      if (c.decision.outcome !== 'distinct' && !byPerson.has(c.personId)) byPerson.set(c.personId, c);
    for (const c of byPerson.values()) {
      await tx.query(
        'INSERT INTO mpi_review (patient_id, candidate_id, score, reason, evidence) VALUES ($1, $2, $3, $4, $5)',
        [
          features.id,
          c.recordId,
          c.decision.score,
          c.decision.reason,
          JSON.stringify(evidence(features, c.features, c.vector, config.weights)),
        ],
      );
    }
  }
  await audit(tx, `auto-${decision.outcome}`, features.id, personId, {
    candidates: candidates
      .slice(0, 5)
      .map((c) => ({ record: c.recordId, person: c.personId, ...c.decision })),
  });
  return { outcome: decision.outcome, personId };
}

/**
 * Consumes Patient events from the outbox after the cursor, each in its own transaction with the
 * cursor move, so a crash repeats at most the event in flight. Returns how many were processed.
 * Why a consumer and not the write transaction: matching reads candidates and can queue reviews;
 * in the write path it would lengthen and serialise every Patient write, and a matching bug would
 * reject clinical writes. The outbox event commits with the write, so nothing is missed.
 */
export async function processOutbox(
  db: Database,
  limit = 500,
  config = DEFAULT_MATCH_CONFIG,
): Promise<number> {
  const [cursor] = await db.query<{ seq: string }>("SELECT seq FROM mpi_cursor WHERE name = 'patients'");
  const events = await db.query<{ seq: string; id: string; version: number; content: string | null }>(
    `SELECT o.seq, o.id, o.version, r.content FROM outbox o
       LEFT JOIN resource r ON r.type = 'Patient' AND r.id = o.id AND NOT r.deleted
      WHERE o.type = 'Patient' AND o.seq > $1 ORDER BY o.seq LIMIT ${limit}`,
    [cursor?.seq ?? '0'],
  );
  for (const event of events) {
    await db.transaction(async (tx) => {
      if (event.content) {
        const patient = JSON.parse(event.content) as PatientLike & { meta?: { tag?: { code?: string }[] } };
        if (!patient.meta?.tag?.some((t) => t.code === 'golden'))
          await linkPatient(tx, patient, event.version, config);
      }
      await tx.query(
        `INSERT INTO mpi_cursor (name, seq) VALUES ('patients', $1) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`,
        [event.seq],
      );
    });
  }
  return events.length;
}
