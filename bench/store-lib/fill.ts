// `--fill copy`: grows the store to its target size inside the database, by copying every resource
// ingested over HTTP (current row, history row, index rows) under new ids `<id>.c<k>`, k = 1…copies.
// Compartments and reference index targets get the same suffix, so each copy is a separate set of
// patients with the same shape as the original ones (the JSON's own references are not rewritten).
// A stand-in for an HTTP fill when the machine is too busy for one: same row sizes, same index rows.
const INDEX_COLUMNS: Record<string, string> = {
  idx_string: 'exact, folded',
  idx_token: 'system, code, text, type_system, type_code',
  idx_date: 'lo, hi',
  idx_number: 'value',
  idx_quantity: 'value, system, code, unit',
  idx_reference: "target_type, target_id || '{s}', url",
  idx_uri: 'value',
  idx_composite: 'components',
};

/** Original rows are the ones whose id has no '.' (the generator's ids are UUIDs and codes). */
const ORIGINAL = "strpos(id, '.') = 0";

/** Statements writing copy `k` (run them in one transaction). */
export function copyStatements(k: number): string[] {
  const s = `.c${k}`;
  const rows = `type, id || '${s}', version, nextval('resource_seq'), last_updated, deleted`;
  const content = `replace(content, '"id":"' || id || '"', '"id":"' || id || '${s}"')`;
  const compartment = `ARRAY(SELECT c || '${s}' FROM unnest(compartment) c)`;
  return [
    `INSERT INTO resource (type, id, version, seq, last_updated, deleted, content, compartment, organization, category)
     SELECT ${rows}, ${content}, ${compartment}, organization, category FROM resource WHERE ${ORIGINAL}`,
    `INSERT INTO resource_history (type, id, version, seq, last_updated, deleted, method, content, compartment, organization, category)
     SELECT ${rows}, method, ${content}, ${compartment}, organization, category FROM resource_history WHERE ${ORIGINAL}`,
    ...Object.entries(INDEX_COLUMNS).map(
      ([table, columns]) =>
        `INSERT INTO ${table} SELECT type, id || '${s}', param, ${columns.replace('{s}', s)} FROM ${table} WHERE ${ORIGINAL}`,
    ),
  ];
}

export const COUNT_UNSUITABLE_IDS = `SELECT count(*)::int AS n FROM resource WHERE NOT (${ORIGINAL})`;
