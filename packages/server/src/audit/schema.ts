// The audit trail's tables (migration 50): append-only AuditEvent rows in one hash chain per chain
// key (a facility Patient, or the client for accesses to no patient's data) and the head of each
// chain. Holds SQL only; hashing rules are in chain.ts and must agree with APPEND_STATEMENT and,
// from migration 51, with audit_digest and audit_link.
// No `;` may end a line inside a statement (the migration runner splits there).
import { prepared } from '../db/prepared.ts';

/**
 * Appends one event to each of several chains in one statement. Parameters: chain keys, ids,
 * recorded times, break-glass flags, contents — at most one row per chain key, in chain-key order
 * (so concurrent calls lock heads in the same order). Each head row is locked by its upsert until
 * the caller's transaction ends; chains of other keys are untouched.
 *   digest = sha256(utf8(chain_key) || 0x00 || utf8(content))
 *   hash_n = sha256(hash_{n-1} || int8_be(n) || digest), hash_0 = 32 zero bytes
 */
const APPEND_STATEMENT = `
WITH input AS (
  SELECT t.chain_key, t.id, t.recorded, t.break_glass, t.content,
         sha256(convert_to(t.chain_key, 'UTF8') || '\\x00'::bytea || convert_to(t.content, 'UTF8')) AS digest
    FROM unnest($1, $2, $3, $4, $5) AS t(chain_key, id, recorded, break_glass, content)
), head AS (
  INSERT INTO audit_head AS h (chain_key, seq, hash)
  SELECT chain_key, 1, sha256(decode(repeat('00', 32), 'hex') || int8send(1::bigint) || digest)
    FROM input ORDER BY chain_key
  ON CONFLICT (chain_key) DO UPDATE
    SET seq = h.seq + 1,
        hash = sha256(h.hash || int8send(h.seq + 1) || (SELECT i.digest FROM input i WHERE i.chain_key = h.chain_key))
  RETURNING chain_key, seq, hash
)
INSERT INTO audit_event (chain_key, seq, id, recorded, break_glass, content, hash)
SELECT i.chain_key, h.seq, i.id, i.recorded, i.break_glass, i.content, h.hash
  FROM input i JOIN head h ON h.chain_key = i.chain_key`;

/**
 * The statement inside a function, so each connection plans it once: planned per call, it cost
 * PGlite about as much again as running it.
 */
const APPEND_FUNCTION = `CREATE FUNCTION audit_append(text[], text[], timestamptz[], boolean[], text[]) RETURNS void LANGUAGE plpgsql AS $$ BEGIN ${APPEND_STATEMENT.trim()}; END $$;`;

export const AUDIT_SCHEMA = `
-- The newest link of each chain: advanced (seq + 1) in the same statement that appends an event.
-- Free space on each page keeps those updates HOT (no index change).
CREATE TABLE audit_head (
  chain_key text COLLATE "C" PRIMARY KEY,
  seq bigint NOT NULL,
  hash bytea NOT NULL
) WITH (fillfactor = 70);

-- One row per chain key per recorded request: the FHIR AuditEvent JSON exactly as hashed, and
-- copies of its id, recorded time and break-glass flag for searching (verify checks they agree).
CREATE TABLE audit_event (
  chain_key text COLLATE "C" NOT NULL,
  seq bigint NOT NULL,
  id text NOT NULL,
  recorded timestamptz NOT NULL,
  break_glass boolean NOT NULL,
  content text NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (chain_key, seq)
);
CREATE UNIQUE INDEX audit_event_id ON audit_event (id);
CREATE INDEX audit_event_chain_recorded ON audit_event (chain_key, recorded, id);
CREATE INDEX audit_event_recorded ON audit_event (recorded, id);

-- Append-only: rows never change or disappear, and a head only ever advances by one link.
-- (PGlite and the usual deployment run as the tables' owner, so REVOKE would not bind; triggers do,
-- short of an owner disabling them — which the hash chain then exposes.)
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE FUNCTION audit_head_advance() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.chain_key IS DISTINCT FROM OLD.chain_key OR NEW.seq IS DISTINCT FROM OLD.seq + 1 THEN RAISE EXCEPTION 'an audit chain head may only advance by one link' USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; END $$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_advance BEFORE UPDATE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_advance();

-- recordAccess calls this (see APPEND_STATEMENT).
${APPEND_FUNCTION}
`;

/**
 * The body of audit_append_one, for PL/pgSQL blocks that declare `d bytea := audit_digest(chain,
 * body)`, `s bigint` and `link bytea` and have `chain`, `event_id` and `body` in scope, with the
 * recorded time and break-the-glass flag given as expressions: advances the chain's head and
 * appends the record.
 */
export const appendOneStatements = (at = 'at', glass = 'glass') =>
  `INSERT INTO audit_head AS h (chain_key, seq, hash) VALUES (chain, 1, audit_link(decode(repeat('00', 32), 'hex'), 1, d)) ON CONFLICT (chain_key) DO UPDATE SET seq = h.seq + 1, hash = audit_link(h.hash, h.seq + 1, d) RETURNING h.seq, h.hash INTO s, link; INSERT INTO audit_event (chain_key, seq, id, recorded, break_glass, content, hash) VALUES (chain, s, event_id, ${at}, ${glass}, body, link);`;

/**
 * Migration 51: the hashing rules as two SQL functions (inlined by the planner), `audit_append`
 * rewritten with them, and `audit_append_one` for the usual call — one record — as two plain
 * statements: the CTE over unnest cost twice as much in the database for a single record (~0.2 against
 * ~0.12 ms), and the driver no longer quotes five one-element arrays. Same chain, same hashes.
 */
export const AUDIT_APPEND_ONE_SCHEMA = `
CREATE FUNCTION audit_digest(chain_key text, content text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(convert_to(chain_key, 'UTF8') || '\\x00'::bytea || convert_to(content, 'UTF8')) $$;
CREATE FUNCTION audit_link(previous bytea, seq bigint, digest bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(previous || int8send(seq) || digest) $$;
CREATE OR REPLACE FUNCTION audit_append(text[], text[], timestamptz[], boolean[], text[]) RETURNS void LANGUAGE plpgsql AS $$ BEGIN WITH input AS (SELECT t.chain_key, t.id, t.recorded, t.break_glass, t.content, audit_digest(t.chain_key, t.content) AS digest FROM unnest($1, $2, $3, $4, $5) AS t(chain_key, id, recorded, break_glass, content)), head AS (INSERT INTO audit_head AS h (chain_key, seq, hash) SELECT chain_key, 1, audit_link(decode(repeat('00', 32), 'hex'), 1, digest) FROM input ORDER BY chain_key ON CONFLICT (chain_key) DO UPDATE SET seq = h.seq + 1, hash = audit_link(h.hash, h.seq + 1, (SELECT i.digest FROM input i WHERE i.chain_key = h.chain_key)) RETURNING chain_key, seq, hash) INSERT INTO audit_event (chain_key, seq, id, recorded, break_glass, content, hash) SELECT i.chain_key, h.seq, i.id, i.recorded, i.break_glass, i.content, h.hash FROM input i JOIN head h ON h.chain_key = i.chain_key; END $$;
CREATE FUNCTION audit_append_one(chain text, event_id text, at timestamptz, glass boolean, body text) RETURNS void LANGUAGE plpgsql AS $$ DECLARE d bytea := audit_digest(chain, body); s bigint; link bytea; BEGIN ${appendOneStatements()} END $$;
`;

export const APPEND_EVENTS_SQL = prepared(
  'audit_append',
  'SELECT audit_append($1::text[], $2::text[], $3::timestamptz[], $4::boolean[], $5::text[])',
);

/** Appends one record (audit_append_one): chain key, id, recorded time, break-glass flag, content. */
export const APPEND_ONE_SQL = prepared(
  'audit_append_one',
  'SELECT audit_append_one($1::text, $2::text, $3::timestamptz, $4::boolean, $5::text)',
);
