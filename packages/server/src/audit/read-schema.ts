// Migration 52: `audit_read`, the database half of a read by id that needs one round trip — the
// statement that reads the row also confirms the token's grant is not revoked and appends the
// read's AuditEvent, completed from the text the server rendered (event.ts readRecordTemplate) with
// the row's Patient and the caller's break-the-glass coverage. Holds SQL only; the chain rules are
// audit_append_one's (migration 51), so records are the same as recordAccess would write.
// No `;` may end a line inside a statement (the migration runner splits there).
import { relatedIds } from '../access/related.ts';

/**
 * audit_read(grant, grantees, compartment, only_patient, client_chain, event_id, recorded, client,
 * before, after, glass_before, glass_after) raises 28000 when the grant is revoked or unknown, then
 * records nothing when `compartment` is null (no row to answer with) and answers null; appends one
 * record and answers true when the row is in no Patient's compartment (to `client_chain`) or in
 * one Patient's (`only_patient`, if given); otherwise answers false and leaves recording to the
 * caller. `grantees` (empty for callers who cannot break the glass) decide the break-the-glass flag
 * as emergencyCoverage does.
 */
export const AUDIT_READ_SCHEMA = `
CREATE FUNCTION audit_read(grant_id text, grantees text[], compartment text[], only_patient text, client_chain text, event_id text, at timestamptz, client text, before text, after text, glass_before text, glass_after text) RETURNS boolean LANGUAGE plpgsql AS $$ DECLARE pid text := compartment[1]; glass boolean := false; BEGIN IF NOT EXISTS (SELECT 1 FROM auth_grant g WHERE g.id = grant_id AND g.revoked_at IS NULL) THEN RAISE EXCEPTION 'the access token was revoked' USING ERRCODE = 'invalid_authorization_specification'; END IF; IF compartment IS NULL THEN RETURN NULL; END IF; IF cardinality(compartment) = 0 THEN PERFORM audit_append_one(client_chain, event_id, at, false, client); RETURN true; END IF; IF cardinality(compartment) > 1 OR pid IS DISTINCT FROM COALESCE(only_patient, pid) THEN RETURN false; END IF; IF cardinality(grantees) > 0 THEN glass := EXISTS (SELECT 1 FROM access_grant g WHERE g.grantee = ANY(grantees) AND g.effect = 'emergency' AND (g.period_start IS NULL OR g.period_start <= now()) AND g.period_end >= now() AND g.patient = ANY(${relatedIds('ARRAY[pid]').render().text.replace(/\s+/g, ' ')})); END IF; PERFORM audit_append_one('Patient/' || pid, event_id, at, glass, CASE WHEN glass THEN glass_before || pid || glass_after ELSE before || pid || after END); RETURN true; END $$;
`;
