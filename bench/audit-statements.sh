#!/usr/bin/env bash
# What an audited read costs in the database, statement by statement (issue 5 item 8): pgbench on
# one connection over the search benchmark's database (hoso_bench_search, made by
# `npm run bench:search -- --keep`, migrated by `npm run bench:access`), alternating in one run
#   select  the bare read by id of one Observation
#   one     audit_append_one of a 1.2 kB record (what a read appended in its own statement)
#   read    the read by id with audit_read (the grant check and the record in the same statement)
#   three   the three statements it replaced: revocation lookup, read, audit_append_one
#   checked audit_append_checked of one record (what a search appends)
# Prints the average latency of each, per round. By default with synchronous_commit off, to take
# the disk's flush (the same for all) out of the comparison; --durable keeps it. Only 127.0.0.1.
#
#   bash bench/audit-statements.sh [--rounds N] [--transactions N] [--durable]
set -euo pipefail

rounds=3
transactions=2000
options='-c synchronous_commit=off'
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --transactions) transactions="$2"; shift 2 ;;
    --durable) options=''; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

db=hoso_bench_search
psql_q() { psql -h 127.0.0.1 -U postgres -d "$db" -Atc "$1"; }
grant=$(psql_q "SELECT id FROM auth_grant WHERE revoked_at IS NULL LIMIT 1")
[ -n "$grant" ] || { echo "no grant in $db: run npm run bench:access first" >&2; exit 1; }
obs=$(psql_q "SELECT id FROM resource WHERE type = 'Observation' AND cardinality(compartment) = 1 LIMIT 1 OFFSET 1000")
patient=$(psql_q "SELECT compartment[1] FROM resource WHERE type = 'Observation' AND id = '$obs'")
head="{\"resourceType\":\"AuditEvent\",\"text\":\"$(printf 'a%.0s' $(seq 1200))\",\"entity\":[{\"what\":{\"reference\":\"Patient/"
row="SELECT r.type, r.id, r.version, r.last_updated, r.deleted, 'current' AS method, r.content, r.compartment FROM resource r WHERE r.type = 'Observation' AND r.id = '$obs'"
event="'bench-' || :r || '-' || :client_id"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%s;\n' "$row" > "$dir/select.sql"
printf '\\set r random(1, 2000000000)\nSELECT audit_append_one(%s, %s, now(), false, %s);\n' \
  "'Patient/$patient'" "$event" "'$head$patient\"}]}'" > "$dir/one.sql"
printf '\\set r random(1, 2000000000)\nSELECT r.*, audit_read(%s, %s, r.compartment, NULL::text, %s, %s, now(), %s, %s, %s, NULL::text, NULL::text) FROM (SELECT false AS person) p LEFT JOIN LATERAL (%s) r ON NOT p.person;\n' \
  "'$grant'" "'{}'::text[]" "'Client/bench/0'" "$event" "'{}'" "'$head'" "'\"}]}'" "$row" > "$dir/read.sql"
{
  printf '\\set r random(1, 2000000000)\n'
  printf "SELECT revoked_at IS NOT NULL FROM auth_grant WHERE id = '%s';\n" "$grant"
  printf '%s;\n' "$row"
  printf 'SELECT audit_append_one(%s, %s, now(), false, %s);\n' "'Patient/$patient'" "$event" "'$head$patient\"}]}'"
} > "$dir/three.sql"
printf '\\set r random(1, 2000000000)\nSELECT audit_append_checked(%s, %s, ARRAY[%s], ARRAY[%s], ARRAY[now()], ARRAY[%s], NULL::text[]);\n' \
  "'$grant'" "'{}'::text[]" "'Patient/$patient'" "$event" "'$head$patient\"}]}'" > "$dir/checked.sql"

echo "$(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg); ${options:-durable commits}; $transactions transactions per script"
for round in $(seq "$rounds"); do
  line="round $round:"
  for script in select one read three checked; do
    ms=$(PGOPTIONS="$options" pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 1 -t "$transactions" \
      -f "$dir/$script.sql" "$db" 2>/dev/null | sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p')
    line="$line $script $ms ms,"
  done
  echo "${line%,}"
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
