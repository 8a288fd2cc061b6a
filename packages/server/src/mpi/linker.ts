// Incremental linking of facility Patient records into people, as an outbox consumer. A new record
// is matched against the records sharing a blocking key and linked (above the upper threshold),
// queued for review (between thresholds; provisionally its own person) or made a new person. A
// changed record is re-matched when its features change and stays, moves to another person, or
// leaves for review or a person of its own; a deleted record leaves its person. A record never joins
// a person one of whose records it contradicts (A–B, B–C never silently makes A–C). Every change
// writes link history and an audit row in the transaction of the cursor move. Facility records and
// clinical rows are never rewritten.
import {
  blockingKeys,
  compare,
  contradictingMembers,
  decidePair,
  decideRecord,
  decideRelink,
  extractFeatures,
  FIELDS,
  score,
  type Comparison,
  type Features,
  type PatientLike,
  type RecordDecision,
  type ScoredCandidate,
  type Weights,
} from '@hoso/mpi';
import type { Database, Queryable } from '../db/database.ts';
import { matchConfig, type MatchConfig } from './config.ts';
import { audit, newPerson, recordLink } from './history.ts';

/** Records sharing a key beyond this many are not compared (a key that common tells nothing). */
const MAX_CANDIDATES = 200;
/** A person's records checked for contradictions when a record joins it. */
const MAX_MEMBERS = 200;

export interface Candidate extends ScoredCandidate {
  features: Features;
  vector: Comparison;
}

function scored(features: Features, other: Features, personId: string, config: MatchConfig): Candidate {
  const vector = compare(features, other);
  const decision = decidePair(vector, score(config.weights, vector), config.thresholds);
  return { personId, recordId: other.id, decision, features: other, vector };
}

/** The scored candidates of a record's features, best first. */
export async function findCandidates(
  db: Queryable,
  features: Features,
  config: MatchConfig,
): Promise<Candidate[]> {
  const keys = blockingKeys(features);
  if (keys.length === 0) return [];
  const rows = await db.query<{ person_id: string; features: string }>(
    `SELECT r.person_id, r.features FROM mpi_record r
      WHERE r.patient_id IN (SELECT k.patient_id FROM mpi_key k WHERE k.key = ANY($1::text[]))
        AND r.patient_id <> $2
      LIMIT ${MAX_CANDIDATES}`,
    [keys, features.id],
  );
  return rows
    .map((row) => scored(features, JSON.parse(row.features) as Features, row.person_id, config))
    .sort((a, b) => b.decision.score - a.decision.score);
}

/** Field-by-field evidence of a compared pair, for reviewers and $match. */
export function evidence(a: Features, b: Features, v: Comparison, weights: Weights) {
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

interface Decided {
  decision: RecordDecision;
  candidates: Candidate[];
  /** records of the person it would join that it contradicts: the link became a review */
  conflicts: Candidate[];
}

/** The record's decision, a link turned into a review when the record contradicts a member of that person. */
async function decide(tx: Queryable, features: Features, config: MatchConfig): Promise<Decided> {
  const candidates = await findCandidates(tx, features, config);
  const decision = decideRecord(candidates);
  if (decision.outcome !== 'link') return { decision, candidates, conflicts: [] };
  const rows = await tx.query<{ features: string }>(
    `SELECT features FROM mpi_record WHERE person_id = $1 AND patient_id <> $2 LIMIT ${MAX_MEMBERS}`,
    [decision.personId, features.id],
  );
  const members = rows.map((r) => JSON.parse(r.features) as Features);
  const conflicts = contradictingMembers(features, members).map((m) =>
    scored(features, m, decision.personId, config),
  );
  if (conflicts.length === 0) return { decision, candidates, conflicts };
  return { decision: { outcome: 'review', candidates: decision.candidates }, candidates, conflicts };
}

function reasonOf({ decision, candidates, conflicts }: Decided): string {
  if (conflicts.length > 0) return `contradicts ${conflicts.map((c) => `Patient/${c.recordId}`).join(' ')}`;
  const best = candidates[0];
  return decision.outcome === 'link'
    ? `${best?.decision.reason} ${best?.decision.score.toFixed(1)}`
    : decision.outcome;
}

/** One open review item per doubtful candidate person, plus one per contradicted member. */
async function queueReviews(tx: Queryable, features: Features, d: Decided, config: MatchConfig) {
  const byPerson = new Map<string, Candidate>();
  for (const c of d.candidates)
    if (c.decision.outcome !== 'distinct' && !byPerson.has(c.personId)) byPerson.set(c.personId, c);
  const items = [
    ...[...byPerson.values()].map((c) => ({
      c,
      reason: d.conflicts.some((x) => x.personId === c.personId) ? 'transitive-conflict' : c.decision.reason,
    })),
    ...d.conflicts.map((c) => ({ c, reason: 'contradicts-member' })),
  ];
  for (const { c, reason } of items) {
    await tx.query(
      `INSERT INTO mpi_review (patient_id, candidate_id, score, reason, evidence)
       SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (
         SELECT 1 FROM mpi_review WHERE patient_id = $1 AND candidate_id = $2 AND status = 'open')`,
      [
        features.id,
        c.recordId,
        c.decision.score,
        reason,
        JSON.stringify(evidence(features, c.features, c.vector, config.weights)),
      ],
    );
  }
}

async function writeKeys(tx: Queryable, features: Features) {
  await tx.query('DELETE FROM mpi_key WHERE patient_id = $1', [features.id]);
  const keys = blockingKeys(features);
  if (keys.length > 0)
    await tx.query(
      'INSERT INTO mpi_key (key, patient_id) SELECT k, $2 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING',
      [keys, features.id],
    );
}

export type LinkOutcome = RecordDecision['outcome'] | 'unchanged' | 'stay' | 'move' | 'leave';

/**
 * Indexes one version of a facility Patient: first sight links it; a later version whose features
 * changed re-matches it (stay, move, review, leave); one whose features did not only records the version.
 */
export async function indexPatient(
  tx: Queryable,
  patient: PatientLike,
  version: number,
  config: MatchConfig,
): Promise<{ outcome: LinkOutcome; personId: string }> {
  const features = extractFeatures(patient, config.features);
  const stored = JSON.stringify(features);
  const [existing] = await tx.query<{ person_id: string; features: string }>(
    'SELECT person_id, features FROM mpi_record WHERE patient_id = $1',
    [features.id],
  );
  if (existing?.features === stored) {
    await tx.query('UPDATE mpi_record SET version = $2 WHERE patient_id = $1', [features.id, version]);
    return { outcome: 'unchanged', personId: existing.person_id };
  }
  await writeKeys(tx, features);
  const decided = await decide(tx, features, config);
  const { decision } = decided;
  let outcome: LinkOutcome = decision.outcome;
  let personId: string;
  let queue = decision.outcome === 'review';
  if (!existing) {
    personId = decision.outcome === 'link' ? decision.personId : await newPerson(tx);
    await tx.query(
      'INSERT INTO mpi_record (patient_id, version, features, person_id) VALUES ($1, $2, $3, $4)',
      [features.id, version, stored, personId],
    );
    await recordLink(tx, 'link', features.id, personId, null, reasonOf(decided), 'mpi');
  } else {
    await tx.query('UPDATE mpi_record SET version = $2, features = $3 WHERE patient_id = $1', [
      features.id,
      version,
      stored,
    ]);
    const [m] = await tx.query<{ others: string; actor: string | null }>(
      `SELECT (SELECT count(*) FROM mpi_record WHERE person_id = $2 AND patient_id <> $1) AS others,
              (SELECT actor FROM mpi_link_history WHERE patient_id = $1 ORDER BY seq DESC LIMIT 1) AS actor`,
      [features.id, existing.person_id],
    );
    const current = {
      personId: existing.person_id,
      alone: Number(m!.others) === 0,
      manual: m!.actor !== 'mpi',
    };
    const relink = decideRelink(current, decision);
    outcome = relink.action;
    queue &&= relink.action === 'review' || current.alone;
    if (relink.action === 'stay') personId = existing.person_id;
    else {
      personId = relink.action === 'move' ? relink.personId : await newPerson(tx);
      const reason = `${relink.action}: ${reasonOf(decided)}`;
      await recordLink(tx, 'relink', features.id, personId, existing.person_id, reason, 'mpi');
    }
  }
  if (queue) await queueReviews(tx, features, decided, config);
  await audit(tx, `auto-${outcome}`, features.id, personId, {
    candidates: decided.candidates
      .slice(0, 5)
      .map((c) => ({ record: c.recordId, person: c.personId, ...c.decision })),
    ...(decided.conflicts.length > 0 ? { contradicts: decided.conflicts.map((c) => c.recordId) } : {}),
  });
  return { outcome, personId };
}

/** A record deleted at its facility leaves the index and its person; its history and audit stay. */
export async function removePatient(tx: Queryable, patientId: string): Promise<void> {
  const [row] = await tx.query<{ person_id: string }>(
    'SELECT person_id FROM mpi_record WHERE patient_id = $1',
    [patientId],
  );
  if (!row) return;
  await tx.query('DELETE FROM mpi_key WHERE patient_id = $1', [patientId]);
  await tx.query('DELETE FROM mpi_record WHERE patient_id = $1', [patientId]);
  await recordLink(tx, 'remove', patientId, null, row.person_id, 'deleted', 'mpi');
  await tx.query(
    `UPDATE mpi_review SET status = 'withdrawn', decided_at = now(), decided_by = 'mpi'
      WHERE status = 'open' AND (patient_id = $1 OR candidate_id = $1)`,
    [patientId],
  );
  await audit(tx, 'auto-remove', patientId, row.person_id, {});
}

/**
 * Consumes Patient events from the outbox after the cursor, each in its own transaction with the
 * cursor move, so a crash repeats at most the event in flight. Each transaction first locks the
 * cursor row and skips an event another consumer (a second server process) already took, then
 * indexes the record's current state (a deleted record is removed). Returns how many events it read.
 * Why a consumer and not the write transaction: matching reads candidates and can queue reviews;
 * in the write path it would lengthen and serialise every Patient write, and a matching bug would
 * reject clinical writes. The outbox event commits with the write, so nothing is missed.
 */
export async function processOutbox(db: Database, limit = 500): Promise<number> {
  const config = await matchConfig(db);
  await db.query("INSERT INTO mpi_cursor (name, seq) VALUES ('patients', 0) ON CONFLICT (name) DO NOTHING");
  const [cursor] = await db.query<{ seq: string }>("SELECT seq FROM mpi_cursor WHERE name = 'patients'");
  const events = await db.query<{ seq: string; id: string }>(
    `SELECT seq, id FROM outbox WHERE type = 'Patient' AND seq > $1 ORDER BY seq LIMIT ${limit}`,
    [cursor!.seq],
  );
  for (const event of events) {
    await db.transaction(async (tx) => {
      const [at] = await tx.query<{ seq: string }>(
        "SELECT seq FROM mpi_cursor WHERE name = 'patients' FOR UPDATE",
      );
      if (BigInt(at!.seq) >= BigInt(event.seq)) return;
      const [current] = await tx.query<{ version: number; content: string }>(
        "SELECT version, content FROM resource WHERE type = 'Patient' AND id = $1 AND NOT deleted",
        [event.id],
      );
      if (!current) await removePatient(tx, event.id);
      else {
        const patient = JSON.parse(current.content) as PatientLike & { meta?: { tag?: { code?: string }[] } };
        if (!patient.meta?.tag?.some((t) => t.code === 'golden'))
          await indexPatient(tx, patient, current.version, config);
      }
      await tx.query("UPDATE mpi_cursor SET seq = $1 WHERE name = 'patients'", [event.seq]);
    });
  }
  return events.length;
}
