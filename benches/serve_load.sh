#!/usr/bin/env bash
# Load test of `logs serve` on loopback (numbers in benches/RESULTS-serve.md):
# a release build serves a fresh directory; benches/tools/serve_load.rs
# sends CONNS × BATCHES signed NDJSON batches of MB megabytes over
# keep-alive connections, prints sustained records/s and ack latency
# percentiles, and checks the stored files byte for byte. Then SIGTERM.
#
#   benches/serve_load.sh [CONNS] [BATCHES] [MB] [PROFILE]
#
# Defaults: 4 connections × 25 batches of 2 MB, release build.
set -euo pipefail
conns="${1:-4}"
batches="${2:-25}"
mb="${3:-2}"
profile="${4:-release}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$root"
flag=(--release)
[ "$profile" = debug ] && flag=()
cargo build --quiet "${flag[@]}" --bin logs --example serve_load
bin="${CARGO_TARGET_DIR:-$root/target}/$profile"
export LOGS_DRAIN_SECRET=load-test-secret
"$bin/logs" --no-config serve --listen 127.0.0.1:0 --dir "$work/drain" \
  --canary auto 2>"$work/serve.log" &
pid=$!
addr=
for _ in $(seq 100); do
  addr="$(sed -n 's/.*listening on http:\/\/\([^,]*\),.*/\1/p' "$work/serve.log")"
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { cat "$work/serve.log" >&2; exit 1; }
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -sr)"
"$bin/examples/serve_load" "$addr" "$work/drain" "$conns" "$batches" "$mb"
t0=$(date +%s.%N)
curl -s -o /dev/null "http://$addr/status" 2>/dev/null || true
echo "GET /status after the load: $(echo "$(date +%s.%N) - $t0" | bc) s"
echo "server memory: $(grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | tr -s ' \t' ' ' | paste -sd, -)"
kill -TERM "$pid"
wait "$pid" || true
pid=
grep -c "ERROR" "$work/serve.log" | sed 's/^/server ERROR lines: /' || true
