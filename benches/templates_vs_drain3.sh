#!/usr/bin/env bash
# Throughput of `logs templates --input-format text` through the release
# binary, against Drain3 (PyPI) on the same file, in the same run.
#
#   benches/templates_vs_drain3.sh [LINES] [RUNS]
#
# Writes LINES (default 1,000,000) lines of generated web-app messages
# (benches/template_throughput.rs --write) to a temporary file, times the
# `logs` binary RUNS times (default 3; best run reported) with table and
# JSON output, then Drain3 once without and once with masking (python3
# benches/drain3_driver.py; needs `pip install drain3`). Prints the
# machine, the input and msgs/s of each.
set -euo pipefail

lines="${1:-1000000}"
runs="${2:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

cargo build --quiet --release --bin logs
cargo bench --quiet --bench template_throughput -- "$lines" --write "$work/messages.txt" >/dev/null
bin="$target/release/logs"

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "input:   $lines lines, $(du -h "$work/messages.txt" | cut -f1)"

best() { sort -n | head -1; }
declare -A rate
for format in table json; do
  times=()
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$bin" templates --input-format text "$work/messages.txt" --format "$format" >"$work/out.$format"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  secs=$(printf '%s\n' "${times[@]}" | best)
  templates=$(head -1 "$work/out.table" | awk '{print $1}')
  rate[$format]=$(echo "$lines / $secs" | bc)
  printf 'logs templates --format %-5s: %.3f s best of %s, %s msgs/s, %s templates\n' \
    "$format" "$secs" "$runs" "${rate[$format]}" "$templates"
done
for mask in "" --mask; do
  out=$(python3 "$root/benches/drain3_driver.py" "$work/messages.txt" $mask)
  echo "$out"
  drain=$(echo "$out" | sed -E 's/.* ([0-9,]+) msgs\/s$/\1/' | tr -d ,)
  printf '  logs (table) / drain3%s: %.1fx\n' "${mask:+ $mask}" "$(echo "${rate[table]} / $drain" | bc -l)"
done
