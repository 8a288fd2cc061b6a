// Schema migrations, applied in order on start inside one transaction each (with the data rewrite
// a migration may need).
// Every statement must be valid on both PostgreSQL 15 and PGlite (PostgreSQL 18).
// Never edit a migration that has shipped: add a new one.
import type { Database, Queryable } from './database.ts';
import { MPI_SCHEMA, MPI_SCHEMA_21 } from '../mpi/schema.ts';
import { AUTH_SCHEMA } from '../auth/schema.ts';
import { AUDIT_APPEND_ONE_SCHEMA, AUDIT_SCHEMA } from '../audit/schema.ts';
import { ACCESS_CODES_SCHEMA, ACCESS_NARROWING_SCHEMA, ACCESS_SCHEMA } from '../access/schema.ts';
import { rebuildConsentGrants } from '../access/grant-store.ts';
import {
  AUDIT_APPEND_CHECKED_ONE_SCHEMA,
  AUDIT_CHECKED_SCHEMA,
  AUDIT_COVERED_PLPGSQL_SCHEMA,
} from '../audit/checked-schema.ts';
import {
  TX_DEFINITION_SCHEMA,
  TX_KEY_FREQUENCY_SCHEMA,
  TX_DROP_RANK_INDEX_SCHEMA,
  TX_LONG_KEYS_SCHEMA,
  TX_PARTITION_SCHEMA,
  TX_WORD_KEYS_SCHEMA,
} from '../terminology/schema.ts';

interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Rewrites stored data the new schema reads differently, after `sql`, in the same transaction.
   * It runs today's code, which writes today's schema: when a later migration changes what it
   * writes, the rewrite moves to that migration (65's Consent grant rebuild moved to 66).
   */
  after?: (tx: Queryable) => Promise<void>;
}

const indexTable = (name: string, columns: string, lookup: string) => `
CREATE TABLE ${name} (
  type text NOT NULL,
  id text NOT NULL,
  param text NOT NULL,
  ${columns}
);
CREATE INDEX ${name}_resource ON ${name} (type, id);
CREATE INDEX ${name}_lookup ON ${name} (${lookup});`;

const migrations: Migration[] = [
  {
    version: 1,
    name: 'resources, history, search indexes, outbox',
    sql: `
CREATE SEQUENCE resource_seq;

-- Current version of every resource (deleted ones keep a row with deleted = true).
CREATE TABLE resource (
  type text NOT NULL,
  id text NOT NULL,
  version integer NOT NULL,
  seq bigint NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  content text,
  compartment text[] NOT NULL DEFAULT '{}',
  organization text,
  category text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (type, id)
);
CREATE INDEX resource_compartment ON resource USING gin (compartment);
CREATE INDEX resource_type_updated ON resource (type, last_updated, id);

-- Every version, including the current one and deletions.
CREATE TABLE resource_history (
  type text NOT NULL,
  id text NOT NULL,
  version integer NOT NULL,
  seq bigint NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  method text NOT NULL,
  content text,
  compartment text[] NOT NULL DEFAULT '{}',
  organization text,
  category text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (type, id, version)
);
CREATE INDEX resource_history_seq ON resource_history (seq);
CREATE INDEX resource_history_type_seq ON resource_history (type, seq);

${indexTable('idx_string', 'exact text NOT NULL, folded text NOT NULL', 'type, param, folded text_pattern_ops')}
${indexTable(
  'idx_token',
  'system text, code text, text text, type_system text, type_code text',
  'type, param, code, system',
)}
${indexTable('idx_date', 'lo timestamptz NOT NULL, hi timestamptz NOT NULL', 'type, param, lo, hi')}
${indexTable('idx_number', 'value numeric NOT NULL', 'type, param, value')}
${indexTable(
  'idx_quantity',
  'value numeric NOT NULL, system text, code text, unit text',
  'type, param, code, value',
)}
${indexTable('idx_reference', 'target_type text, target_id text, url text', 'target_id, type, param')}
CREATE INDEX idx_reference_url ON idx_reference (url) WHERE url IS NOT NULL;
${indexTable('idx_uri', 'value text NOT NULL', 'type, param, value')}
${indexTable('idx_composite', 'components text NOT NULL', 'type, param')}

-- Committed writes, appended in the same transaction, for subscriptions, sync and audit.
CREATE TABLE outbox (
  seq bigint PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  action text NOT NULL,
  type text NOT NULL,
  id text NOT NULL,
  version integer NOT NULL,
  compartment text[] NOT NULL DEFAULT '{}'
);
`,
  },
  {
    version: 2,
    name: 'search: trigram index for :contains, id-ordered token index, extended statistics',
    sql: `
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- string :contains and _content (LIKE '%…%') on the folded text.
CREATE INDEX idx_string_folded_trgm ON idx_string USING gin (folded gin_trgm_ops);

-- Token matches come out ordered by id, so a page (ORDER BY id LIMIT n) merge-joins the first n
-- matches instead of sorting all of them; system is a covered filter. Replaces idx_token_lookup.
CREATE INDEX idx_token_code_id ON idx_token (type, param, code, id) INCLUDE (system);
DROP INDEX idx_token_lookup;

-- type, param and value are strongly correlated: without these the planner multiplies their
-- selectivities, underestimates common codes by orders of magnitude and picks hash plans.
CREATE STATISTICS idx_token_stats (mcv) ON type, param, code, system FROM idx_token;
CREATE STATISTICS idx_reference_stats (mcv) ON type, param, target_type FROM idx_reference;
CREATE STATISTICS idx_string_stats (mcv) ON type, param FROM idx_string;
CREATE STATISTICS idx_date_stats (mcv) ON type, param FROM idx_date;
`,
  },
  {
    version: 10,
    name: 'terminology: code systems, concepts, value sets, concept maps',
    sql: `
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per (url, version) of a code system; its concepts live in tx_concept, not in resource.
CREATE TABLE tx_code_system (
  id serial PRIMARY KEY,
  url text NOT NULL,
  version text NOT NULL DEFAULT '',
  content text NOT NULL DEFAULT 'complete',
  case_sensitive boolean NOT NULL DEFAULT true,
  resource text NOT NULL,
  concept_count integer NOT NULL DEFAULT 0,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (url, version)
);

-- search: ' ' || folded code, displays and designations, word-separated (type-ahead by trigram).
CREATE TABLE tx_concept (
  cs integer NOT NULL REFERENCES tx_code_system (id) ON DELETE CASCADE,
  code text NOT NULL,
  code_key text NOT NULL,
  display text,
  designation text,
  search text NOT NULL,
  parents text[] NOT NULL DEFAULT '{}',
  ancestors text[] NOT NULL DEFAULT '{}',
  ord integer NOT NULL DEFAULT 0,
  weight integer NOT NULL DEFAULT 0,
  abstract boolean NOT NULL DEFAULT false,
  inactive boolean NOT NULL DEFAULT false,
  properties text,
  PRIMARY KEY (cs, code)
);
CREATE INDEX tx_concept_code_key ON tx_concept (cs, code_key text_pattern_ops);
CREATE INDEX tx_concept_search ON tx_concept USING gin (search gin_trgm_ops);
CREATE INDEX tx_concept_ancestors ON tx_concept USING gin (ancestors);
CREATE INDEX tx_concept_ord ON tx_concept (cs, ord);

CREATE TABLE tx_value_set (
  id serial PRIMARY KEY,
  url text NOT NULL,
  version text NOT NULL DEFAULT '',
  resource text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (url, version)
);

CREATE TABLE tx_concept_map (
  id serial PRIMARY KEY,
  url text NOT NULL,
  version text NOT NULL DEFAULT '',
  source text,
  target text,
  resource text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (url, version)
);

CREATE TABLE tx_map_element (
  map integer NOT NULL REFERENCES tx_concept_map (id) ON DELETE CASCADE,
  source_system text,
  source_code text NOT NULL,
  target_system text,
  target_code text,
  target_display text,
  equivalence text NOT NULL,
  comment text
);
CREATE INDEX tx_map_element_source ON tx_map_element (source_code, map);
CREATE INDEX tx_map_element_target ON tx_map_element (target_code, map);
`,
  },
  {
    version: 20,
    name: 'patient index: records, blocking keys, people, link history, review queue, audit',
    sql: MPI_SCHEMA,
  },
  { version: 21, name: 'patient index: record removal history, re-estimated parameters', sql: MPI_SCHEMA_21 },
  { version: 30, name: 'authorization server: accounts, clients, keys, codes, grants', sql: AUTH_SCHEMA },
  { version: 40, name: 'access policy: consent, referral and emergency grants', sql: ACCESS_SCHEMA },
  { version: 50, name: 'audit trail: per-patient hash-chained AuditEvents', sql: AUDIT_SCHEMA },
  { version: 51, name: 'audit trail: hashing functions, one-record append', sql: AUDIT_APPEND_ONE_SCHEMA },
  {
    version: 52,
    name: 'audit trail: appends that confirm the token, a read by id in one statement',
    sql: AUDIT_CHECKED_SCHEMA,
  },
  {
    version: 53,
    name: 'audit trail: break-the-glass coverage planned once per connection',
    sql: AUDIT_COVERED_PLPGSQL_SCHEMA,
  },
  {
    version: 54,
    name: 'audit trail: one checked record appended inline',
    sql: AUDIT_APPEND_CHECKED_ONE_SCHEMA,
  },
  {
    version: 60,
    name: 'terminology: one concept partition per code system version',
    sql: TX_PARTITION_SCHEMA,
  },
  { version: 61, name: 'terminology: word-prefix keys for type-ahead', sql: TX_WORD_KEYS_SCHEMA },
  { version: 62, name: 'terminology: 5- and 7-letter word-prefix keys', sql: TX_LONG_KEYS_SCHEMA },
  { version: 63, name: 'terminology: no type-ahead order index', sql: TX_DROP_RANK_INDEX_SCHEMA },
  { version: 64, name: 'terminology: concept definitions', sql: TX_DEFINITION_SCHEMA },
  {
    version: 65,
    name: 'access policy: grants narrowed by resource type, resource and purpose of use',
    sql: ACCESS_NARROWING_SCHEMA,
  },
  {
    version: 66,
    name: 'access policy: grants narrowed by code',
    sql: ACCESS_CODES_SCHEMA,
    after: rebuildConsentGrants,
  },
  { version: 67, name: 'terminology: word-prefix key frequencies', sql: TX_KEY_FREQUENCY_SCHEMA },
];

export const latestSchemaVersion = migrations.at(-1)!.version;

/** Applies every migration newer than the database's schema version; returns how many ran. */
export async function migrate(db: Database): Promise<number> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS hoso_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const rows = await db.query<{ version: number }>('SELECT version FROM hoso_migrations');
  const applied = new Set(rows.map((r) => r.version));
  let count = 0;
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await m.after?.(tx);
      await tx.query('INSERT INTO hoso_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    count++;
  }
  return count;
}

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
