// The access policy's table (migration 40, narrowed in 65 and 66): the grants that consents, referrals and emergency
// (break-the-glass) access open or close, one row per (patient, grantee) rule, keyed by the source
// resource so a new version of a Consent replaces its rows and a deletion removes them.
export const ACCESS_SCHEMA = `
CREATE TABLE access_grant (
  source_type text NOT NULL,
  source_id text NOT NULL,
  patient text NOT NULL,
  grantee text NOT NULL,
  effect text NOT NULL CHECK (effect IN ('permit', 'deny', 'emergency')),
  period_start timestamptz,
  period_end timestamptz,
  categories text[] NOT NULL DEFAULT '{}',
  reason text
);
CREATE INDEX access_grant_source ON access_grant (source_type, source_id);
CREATE INDEX access_grant_grantee ON access_grant (grantee, patient);
`;

/**
 * Migration 65: what a grant covers within the patient's record — resource types, resources
 * (`Type/id`) and the purposes of use it applies to; empty = no restriction. Rows written before
 * took a permit narrowed by these as a permit of everything: migration 66 rebuilds them.
 */
export const ACCESS_NARROWING_SCHEMA = `
ALTER TABLE access_grant ADD COLUMN types text[] NOT NULL DEFAULT '{}';
ALTER TABLE access_grant ADD COLUMN instances text[] NOT NULL DEFAULT '{}';
ALTER TABLE access_grant ADD COLUMN purposes text[] NOT NULL DEFAULT '{}';
`;

/**
 * Migration 66: the codes (`system|code`) a grant's resources must contain, one of them; empty = no
 * restriction. Then the grants of every stored Consent are rebuilt (rebuildConsentGrants): rows
 * written before 65 took narrowed permits as wide ones, and before 66 a permit by code as nothing.
 */
export const ACCESS_CODES_SCHEMA = `
ALTER TABLE access_grant ADD COLUMN codes text[] NOT NULL DEFAULT '{}';
`;
