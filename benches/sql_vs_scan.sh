#!/usr/bin/env bash
# The Rust scan vs the generated SQL in ClickHouse (chdb, in-process) on the
# same drain NDJSON (issue 15); numbers go to benches/RESULTS-sql.md.
#
# Usage: benches/sql_vs_scan.sh [SIZE]        (default 1GB)
# Env:   LOGS_BENCH_DATA  where the data lives (default /work/bench-data;
#                         never inside the repository)
#        LOGS_BIN         the logs binary (default target/dist/logs:
#                         cargo build --profile dist)
#        LOGS_SQL_BIN     the binary writing the SQL (default LOGS_BIN)
#        LOGS_TEST_PYTHON a Python with chdb (tests/run.sh makes one)
#        RUNS             runs per command (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1GB}
data=${LOGS_BENCH_DATA:-/work/bench-data}
bin=${LOGS_BIN:-target/dist/logs}
# The binary that writes the SQL (not timed): LOGS_BIN unless it predates `logs sql`.
sql_bin=${LOGS_SQL_BIN:-$bin}
python=${LOGS_TEST_PYTHON:-${XDG_CACHE_HOME:-$HOME/.cache}/logs-tests/chdb-4.4.0/bin/python}
runs=${RUNS:-3}
file="$data/drain-$size-seed1.ndjson"
mkdir -p "$data"
if [ ! -f "$file" ]; then
  "$bin" generate --size "$size" --seed 1 -o "$file.part" && mv "$file.part" "$file"
fi
work=$(mktemp -d "$data/sql-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The canary: the deployment of the file's last record.
dep=$(tail -c 20000 "$file" | grep -o '"deploymentId":"[^"]*"' | tail -1 | cut -d'"' -f4)
"$sql_bin" sql schema > "$work/schema.sql"
"$sql_bin" sql schema --load "$(realpath "$file")" > "$work/load.sql"
"$sql_bin" sql check > "$work/check.sql"
"$sql_bin" sql rollback --deployment "$dep" > "$work/rollback.sql"
echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo; free -g | head -2
echo "== data: $file ($(du -h "$file" | cut -f1)), canary $dep"
echo "== Rust scan (hyperfine, $runs runs, page cache warm)"
hyperfine --warmup 1 --runs "$runs" -i --export-json "$work/hyperfine.json" \
  "$bin check $file --format json" \
  "$bin rollback $file --deployment $dep --format json"
echo "== SQL in chdb: load once, then each query $runs times"
"$python" benches/tools/chdb_bench.py "$work/store" "$runs" "$work/schema.sql" "$work/load.sql" \
  "$work/check.sql" "$work/rollback.sql"
