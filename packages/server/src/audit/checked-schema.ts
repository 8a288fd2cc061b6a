// Migration 52: audit appends that confirm the caller's token in the statement that writes them, so
// an audited read needs no revocation lookup of its own. `audit_read` is the database half of a read
// by id in one round trip: the statement that reads the row also confirms the grant and appends the
// read's AuditEvent, completed from text the server rendered (event.ts readRecordTemplate) with the
// row's Patient. `audit_append_checked` appends a request's records (recordAccess) after confirming
// the grant. Both flag break-the-glass access as emergencyCoverage does (access/grant-store.ts).
// Holds SQL only; the chains are audit_append's and audit_append_one's (migrations 50 and 51), whose
// statements audit_read runs inline.
// No `;` may end a line inside a statement (the migration runner splits there).
import { relatedIds } from '../access/related.ts';
import { prepared } from '../db/prepared.ts';
import { appendOneStatements } from './schema.ts';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Raises 28000 when the token's grant is revoked or unknown (inlined: a nested call costs ~20 µs). */
const REQUIRE_GRANT = `IF NOT EXISTS (SELECT 1 FROM auth_grant g WHERE g.id = grant_id AND g.revoked_at IS NULL) THEN
    RAISE EXCEPTION 'the access token was revoked' USING ERRCODE = 'invalid_authorization_specification';
  END IF;`;

/** Whether one of `grantees` holds an active break-the-glass grant covering Patient `pid`. */
const COVERING_GRANT = `EXISTS (SELECT 1 FROM access_grant g
   WHERE g.grantee = ANY(grantees) AND g.effect = 'emergency'
     AND (g.period_start IS NULL OR g.period_start <= now()) AND g.period_end >= now()
     AND g.patient = ANY(${relatedIds('ARRAY[pid]').render().text}))`;

const COVERED = oneLine(`
CREATE FUNCTION audit_covered(grantees text[], pid text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT cardinality(grantees) > 0 AND ${COVERING_GRANT} $$`);

/**
 * audit_read(grant, grantees, compartment, only_patient, client_chain, event_id, recorded, client,
 * before, after, glass_before, glass_after): confirms the grant, then records nothing when
 * `compartment` is null (no row to answer with) and answers null; appends one record and answers
 * true when the row is in no Patient's compartment (to `client_chain`) or in one Patient's
 * (`only_patient`, if given); otherwise answers false and leaves recording to the caller.
 */
const READ = oneLine(`
CREATE FUNCTION audit_read(grant_id text, grantees text[], compartment text[], only_patient text,
    client_chain text, event_id text, at timestamptz, client text, before text, after text,
    glass_before text, glass_after text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE pid text := compartment[1]; glass boolean := false; chain text; body text; d bytea; s bigint; link bytea; BEGIN
  ${REQUIRE_GRANT}
  IF compartment IS NULL THEN RETURN NULL; END IF;
  IF cardinality(compartment) = 0 THEN
    chain := client_chain; body := client;
  ELSIF cardinality(compartment) > 1 OR pid IS DISTINCT FROM COALESCE(only_patient, pid) THEN
    RETURN false;
  ELSE
    glass := audit_covered(grantees, pid);
    chain := 'Patient/' || pid;
    body := CASE WHEN glass THEN glass_before || pid || glass_after ELSE before || pid || after END;
  END IF;
  d := audit_digest(chain, body);
  ${appendOneStatements()}
  RETURN true;
END $$`);

/**
 * audit_append_checked(grant, grantees, chain keys, ids, recorded times, contents, break-glass
 * contents): confirms the grant, then appends as audit_append does, each Patient chain's record in
 * its break-the-glass form when the grantees' emergency access covers that Patient.
 */
const APPEND_CHECKED = oneLine(`
CREATE FUNCTION audit_append_checked(grant_id text, grantees text[], keys text[], ids text[],
    at timestamptz[], bodies text[], glass_bodies text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE glass boolean[]; BEGIN
  ${REQUIRE_GRANT}
  SELECT array_agg(t.k LIKE 'Patient/%' AND audit_covered(grantees, substr(t.k, 9)) ORDER BY t.n) INTO glass
    FROM unnest(keys) WITH ORDINALITY AS t(k, n);
  PERFORM audit_append(keys, ids, at, glass, ARRAY(SELECT CASE WHEN t.g THEN t.gb ELSE t.b END
    FROM unnest(glass, bodies, glass_bodies) WITH ORDINALITY AS t(g, b, gb, n) ORDER BY t.n));
END $$`);

export const AUDIT_CHECKED_SCHEMA = [COVERED, READ, APPEND_CHECKED].join(';\n');

/**
 * Appends one round of records (at most one per chain) after confirming the grant: grant id,
 * grantees, chain keys, ids, recorded times, contents, break-the-glass contents (or null).
 */
export const APPEND_CHECKED_SQL = prepared(
  'audit_append_checked',
  'SELECT audit_append_checked($1::text, $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])',
);

/**
 * Migration 53: audit_covered in PL/pgSQL. As a SQL function with a sub-select it cannot be inlined,
 * so PostgreSQL planned its body at every call: 0.2 ms of each audited read, even for callers who
 * hold no grant. PL/pgSQL keeps the plan for the connection, and a caller without grantees skips it.
 */
export const AUDIT_COVERED_PLPGSQL_SCHEMA = oneLine(`
CREATE OR REPLACE FUNCTION audit_covered(grantees text[], pid text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF cardinality(grantees) = 0 THEN RETURN false; END IF;
  RETURN ${COVERING_GRANT};
END $$`);

/**
 * Migration 54: audit_append_checked appends a single record (the usual search) with
 * audit_append_one's two statements inline instead of audit_append's statement over five
 * one-element arrays, which costs about twice as much in the database for one record.
 */
export const AUDIT_APPEND_CHECKED_ONE_SCHEMA = oneLine(`
CREATE OR REPLACE FUNCTION audit_append_checked(grant_id text, grantees text[], keys text[], ids text[],
    at timestamptz[], bodies text[], glass_bodies text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE glass boolean[]; flagged boolean; chain text := keys[1]; event_id text := ids[1]; body text;
    d bytea; s bigint; link bytea; BEGIN
  ${REQUIRE_GRANT}
  IF cardinality(keys) = 1 THEN
    flagged := chain LIKE 'Patient/%' AND audit_covered(grantees, substr(chain, 9));
    body := CASE WHEN flagged THEN glass_bodies[1] ELSE bodies[1] END;
    d := audit_digest(chain, body);
    ${appendOneStatements('at[1]', 'flagged')}
    RETURN;
  END IF;
  SELECT array_agg(t.k LIKE 'Patient/%' AND audit_covered(grantees, substr(t.k, 9)) ORDER BY t.n) INTO glass
    FROM unnest(keys) WITH ORDINALITY AS t(k, n);
  PERFORM audit_append(keys, ids, at, glass, ARRAY(SELECT CASE WHEN t.g THEN t.gb ELSE t.b END
    FROM unnest(glass, bodies, glass_bodies) WITH ORDINALITY AS t(g, b, gb, n) ORDER BY t.n));
END $$`);
