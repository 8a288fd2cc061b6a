// The patient index's tables (migration 20). Facility Patient records and clinical rows are never
// touched: a person is a row here, its records are links, and every change is history.
export const MPI_SCHEMA = `
-- One row per facility Patient record the index has seen: its features (JSON) and current person.
CREATE TABLE mpi_record (
  patient_id text PRIMARY KEY,
  version integer NOT NULL,
  features text NOT NULL,
  person_id text NOT NULL
);
CREATE INDEX mpi_record_person ON mpi_record (person_id);

-- Blocking keys of each record: candidates are the records sharing a key.
CREATE TABLE mpi_key (
  key text NOT NULL,
  patient_id text NOT NULL,
  PRIMARY KEY (key, patient_id)
);
CREATE INDEX mpi_key_patient ON mpi_key (patient_id);

-- People: the hub-owned golden record is derived from the linked records on read.
CREATE TABLE mpi_person (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  merged_into text
);

-- Every link change (link, unlink, merge, unmerge), in order: the history that makes them reversible.
CREATE TABLE mpi_link_history (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL,
  patient_id text,
  person_id text NOT NULL,
  previous_person_id text,
  reason text NOT NULL,
  actor text NOT NULL
);

-- Pairs waiting for a human: the incoming record, its best candidate and the field evidence.
CREATE TABLE mpi_review (
  id bigserial PRIMARY KEY,
  patient_id text NOT NULL,
  candidate_id text NOT NULL,
  score double precision NOT NULL,
  reason text NOT NULL,
  evidence text NOT NULL,
  status text NOT NULL DEFAULT 'open',
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by text
);
CREATE INDEX mpi_review_open ON mpi_review (status, id);

-- Every matching decision (until the authorisation work formalises audit).
CREATE TABLE mpi_audit (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL,
  patient_id text,
  person_id text,
  detail text NOT NULL
);

-- Consumer cursor over the outbox.
CREATE TABLE mpi_cursor (
  name text PRIMARY KEY,
  seq bigint NOT NULL
);
`;

// Migration 21: a record deleted at its facility leaves its person (history with no new person),
// an index for a record's latest link change, and the Fellegi–Sunter parameters re-estimated from
// the server's own records, one row per run.
export const MPI_SCHEMA_21 = `
ALTER TABLE mpi_link_history ALTER COLUMN person_id DROP NOT NULL;
-- a record's latest link change (relinking asks whether a person made it; unmerge finds merges)
CREATE INDEX mpi_link_history_patient ON mpi_link_history (patient_id, seq);

-- Each $estimate run: its progress while running, then the parameters the linker uses (latest done).
CREATE TABLE mpi_estimate (
  id bigserial PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status text NOT NULL DEFAULT 'running',
  phase text NOT NULL DEFAULT 'loading',
  done bigint NOT NULL DEFAULT 0,
  total bigint NOT NULL DEFAULT 0,
  pairs bigint,
  parameters text,
  error text,
  actor text NOT NULL
);
CREATE INDEX mpi_estimate_done ON mpi_estimate (status, id);
`;
