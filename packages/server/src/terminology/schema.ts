// Migration 60 of the terminology tables: tx_concept becomes list-partitioned by code system
// version, one partition per version, so an import loads a fresh table without indexes, builds
// them in bulk and attaches it (./bulk-load.ts), and a filter on one code system searches only that
// version's indexes. Existing concepts move into per-version partitions. SQL only; no data rules.
export const TX_PARTITION_SCHEMA = `
ALTER TABLE tx_concept RENAME TO tx_concept_v10;
ALTER INDEX tx_concept_pkey RENAME TO tx_concept_v10_pkey;
ALTER INDEX tx_concept_code_key RENAME TO tx_concept_v10_code_key;
ALTER INDEX tx_concept_search RENAME TO tx_concept_v10_search;
ALTER INDEX tx_concept_ancestors RENAME TO tx_concept_v10_ancestors;
ALTER INDEX tx_concept_ord RENAME TO tx_concept_v10_ord;

-- The same columns as migration 10. Partitions are named tx_concept_<cs>_<load>.
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
) PARTITION BY LIST (cs);
CREATE INDEX tx_concept_code_key ON tx_concept (cs, code_key text_pattern_ops);
CREATE INDEX tx_concept_search ON tx_concept USING gin (search gin_trgm_ops);
CREATE INDEX tx_concept_ancestors ON tx_concept USING gin (ancestors);
CREATE INDEX tx_concept_ord ON tx_concept (cs, ord);
-- Type-ahead order (non-abstract first, most used, shortest display): walked for common words.
CREATE INDEX tx_concept_rank ON tx_concept (cs, abstract, weight DESC, length(display), code);

-- One line: the migration runner splits statements at a semicolon that ends a line.
DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM tx_code_system LOOP EXECUTE format('CREATE TABLE tx_concept_%s_0 PARTITION OF tx_concept FOR VALUES IN (%s)', r.id, r.id); END LOOP; END $$;
INSERT INTO tx_concept SELECT * FROM tx_concept_v10;
DROP TABLE tx_concept_v10;
`;

// Migration 61: type-ahead probes a GIN index of word-prefix keys (int[]: the 2- and 3-letter
// prefixes of each folded word, base-37 numbers as ./keys.ts prefixKey computes them) instead of a
// pg_trgm index of the search text: about a third of the index entries, integer comparisons, and a
// bulk build several times cheaper — the trigram build was the largest part of an import.
export const TX_WORD_KEYS_SCHEMA = `
DROP INDEX tx_concept_search;
ALTER TABLE tx_concept ADD COLUMN word_keys integer[] NOT NULL DEFAULT '{}';
UPDATE tx_concept SET word_keys = ARRAY(
  SELECT DISTINCT (SELECT sum(strpos('abcdefghijklmnopqrstuvwxyz0123456789', substr(w, i, 1)) * 37 ^ (i - 1))::integer
                   FROM generate_series(1, n) i)
  FROM unnest(string_to_array(btrim(search), ' ')) w, generate_series(2, least(3, length(w))) n);
CREATE INDEX tx_concept_word_keys ON tx_concept USING gin (word_keys);
`;

// Migration 62: word-prefix keys also for the first 5 and 7 letters (bigint), so a long filter word
// or a code ("XN00012", "hypertens") probes a selective key rather than its first 3 letters, which
// code-like words of a large catalogue all share.
export const TX_LONG_KEYS_SCHEMA = `
DROP INDEX tx_concept_word_keys;
ALTER TABLE tx_concept DROP COLUMN word_keys;
ALTER TABLE tx_concept ADD COLUMN word_keys bigint[] NOT NULL DEFAULT '{}';
UPDATE tx_concept SET word_keys = ARRAY(
  SELECT DISTINCT (SELECT sum(strpos('abcdefghijklmnopqrstuvwxyz0123456789', substr(w, i, 1)) * 37::float8 ^ (i - 1))::bigint
                   FROM generate_series(1, n) i)
  FROM unnest(string_to_array(btrim(search), ' ')) w, unnest(ARRAY[2, 3, 5, 7]) n WHERE length(w) >= n);
CREATE INDEX tx_concept_word_keys ON tx_concept USING gin (word_keys);
`;

// Migration 63: concepts are stored in type-ahead order (./bulk-load.ts), so the first matches a
// scan meets are the most used ones and no index in that order is needed.
export const TX_DROP_RANK_INDEX_SCHEMA = `
DROP INDEX tx_concept_rank;
`;

// Migration 64: concept definitions (CodeSystem.concept.definition), answered by $lookup.
export const TX_DEFINITION_SCHEMA = `
ALTER TABLE tx_concept ADD COLUMN definition text;
`;

// Migration 67: how common each word-prefix key is in a code system version (the most common
// elements of its word_keys statistics, kept at import; key 0 holds the least listed frequency,
// an upper bound for every key not listed), so type-ahead can tell a common filter, whose first
// matches are among the most used concepts, from a rare one the word-key index finds faster.
export const TX_KEY_FREQUENCY_SCHEMA = `
CREATE TABLE tx_word_key_freq (
  cs integer NOT NULL REFERENCES tx_code_system (id) ON DELETE CASCADE,
  key bigint NOT NULL,
  freq real NOT NULL,
  PRIMARY KEY (cs, key)
);
`;
