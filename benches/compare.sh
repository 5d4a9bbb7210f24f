#!/usr/bin/env bash
# compare.sh: time `logs check` against the tools people use today (issue 3).
#
# Usage: benches/compare.sh [--size SIZE] [--big SIZE] [--runs N]
#                           [--data DIR] [--out FILE] [SECTION...]
#
#   --size   the drain NDJSON under test (default 512MB; KB/MB/GB are powers
#            of 1000, KiB/MiB/GiB of 1024, as for `logs generate --size`)
#   --big    the large input of the memory and linearity sections
#            (default 4 x --size, so 2048MB: "4x the input")
#   --runs   rounds, one run of each command per round (default 5, at least
#            5 for RESULTS.md)
#   --data   where generated inputs go (default /work/bench-data, or
#            $LOGS_BENCH_DATA; keep it outside the repository)
#   --out    the machine-readable summary (default benches/results.json);
#            each section rewrites its own entry and leaves the others
#   JQ_SLICE=SIZE (environment) times jq on the first SIZE of the file and
#            scales linearly to the whole file (default 128MB; 0 = whole file)
#   WAIT_QUIET=SECONDS (environment) before each timed section, waits up to
#            that long for the other processes to leave the CPUs idle (the
#            machine may be shared); the busy share seen is recorded
#   RETRIES=N (environment) times a comparison again, up to N times, while
#            other processes took more than MAX_FOREIGN percent (default 5)
#            of the CPUs during its timing (recorded as foreign_cpu_pct_during)
#
# Besides the medians, the summary keeps for each hyperfine invocation the
# mean CPU time (user + system) of every command (`cpu_s.NAME`) and the
# share of time the hypervisor gave our CPUs to other guests while it ran
# (`steal_pct.NAME`): on a shared host, a ratio of CPU times is steadier
# than a ratio of wall times.
#
# Sections (default: all, in this order):
#   setup      install the peers if missing, build `logs` (dist profile)
#   data       generate the inputs (deterministic: seed 1), once; kept
#   ndjson     logs (default -j), logs -j1, rg -c -F, jq pipeline (sparse:
#              about 0.5 % of records carry an anchor); and rg on each half
#              of the file, alone and both at once: the machine's ceiling
#              for the -j scaling target
#   dense      logs, logs -j1, rg -c -F on a denser file (`--hits-per-thousand
#              170`: the share of lines with an anchor is printed)
#   analyses   logs rollback, logs audit, logs templates vs rg -c -F; and
#              logs templates on 1,000,000 text messages (messages/s)
#   gzip       gzip -dc FILE.gz >/dev/null vs logs check FILE.gz
#   dashboard  one-line dashboard JSON vs drain NDJSON of the same size
#   memory     peak RSS: big gzip, big on stdin; anonymous memory: big mmap,
#              and rollback's on --size (per line)
#   linearity  time on --size and --big
#
# Peers: jq, hyperfine, gzip and GNU time from Debian's packages (when one
# is missing and we are root, this runs apt-get install), and current
# ripgrep built with `cargo install ripgrep --locked` into $data/tools:
# Debian's ripgrep 13 is about ten times slower on many fixed strings and is
# never the peer.
#
# Timings are medians over rounds after a warm-up run, files in the page
# cache (each is read once before timing). Commands compared in a section
# run in the same rounds: each round runs each of them once (hyperfine
# --runs 1, the order reversed every other round), so a host that slows
# down for a minute slows all of them alike. A target's value is the
# median of the per-round ratios (`paired`); the ratio of the medians is
# recorded beside it. `logs check` exits 1 when it finds signatures, so
# hyperfine runs with --ignore-failure; every command is run once first
# and its output checked.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

size_arg=512MB
big_arg=
runs=5
data=${LOGS_BENCH_DATA:-/work/bench-data}
out=$here/results.json
sections=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --size) size_arg=$2; shift 2 ;;
    --big) big_arg=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) sections+=("$1"); shift ;;
    esac
done
all_sections=(setup data ndjson dense analyses gzip dashboard memory linearity)
[[ ${#sections[@]} -eq 0 ]] && sections=("${all_sections[@]}")
for s in "${sections[@]}"; do
    [[ " ${all_sections[*]} " == *" $s "* ]] || {
        echo "compare.sh: unknown section $s (one of: ${all_sections[*]})" >&2
        exit 2
    }
done

# Bytes of "512MB", "2GiB", "1000".
bytes_of() {
    local n unit
    [[ $1 =~ ^([0-9]+)([A-Za-z]*)$ ]] || { echo "compare.sh: bad size $1" >&2; exit 2; }
    n=${BASH_REMATCH[1]}
    unit=$(tr '[:upper:]' '[:lower:]' <<<"${BASH_REMATCH[2]}")
    case $unit in
    "" | b) echo "$n" ;;
    k | kb) echo $((n * 1000)) ;;
    m | mb) echo $((n * 1000 * 1000)) ;;
    g | gb) echo $((n * 1000 * 1000 * 1000)) ;;
    kib) echo $((n << 10)) ;;
    mib) echo $((n << 20)) ;;
    gib) echo $((n << 30)) ;;
    *) echo "compare.sh: bad size unit in $1" >&2; exit 2 ;;
    esac
}
size=$(bytes_of "$size_arg")
big=$(bytes_of "${big_arg:-$((size * 4))}")
jq_slice=$(bytes_of "${JQ_SLICE:-128MB}")
label() { echo "$(($1 / 1000000))MB"; }

logs=${CARGO_TARGET_DIR:-$repo/target}/dist/logs
ndjson=$data/drain-$(label "$size")-seed1.ndjson
gz=$ndjson.gz
dash=$data/dashboard-$(label "$size")-seed1.json
dense=$data/drain-$(label "$size")-dense-seed1.ndjson
bigfile=$data/drain-$(label "$big")-seed1.ndjson
biggz=$bigfile.gz
messages=$data/template-messages-1M.txt

tmp=$(mktemp -d "${TMPDIR:-/tmp}/logs-compare.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

say() { printf '\n== %s\n' "$*"; }
# Current ripgrep (see setup) before any other on PATH.
export PATH=$data/tools/bin:$PATH
q() { printf '%q' "$1"; }

# ---------------------------------------------------------------- summary
[[ -s $out ]] || echo '{}' >"$out"
# record KEY JSON: sets .KEY in the summary (KEY is a jq path like sections.ndjson).
record() {
    local key=$1 value=$2
    jq --argjson v "$value" ".$key = \$v" "$out" >"$tmp/summary" && mv "$tmp/summary" "$out"
}
record machine "$(jq -n \
    --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
    --argjson nproc "$(nproc)" \
    --argjson mem_kb "$(awk '/MemTotal/ {print $2}' /proc/meminfo)" \
    --arg kernel "$(uname -r)" \
    '{cpu: $cpu, nproc: $nproc, mem_kb: $mem_kb, kernel: $kernel}')"

# Load average right now: the machine is shared, say when it was busy.
load() { cut -d' ' -f1 /proc/loadavg; }
# Percent of all CPUs busy over the last second (from /proc/stat).
busy_pct() {
    local a b
    a=$(awk '/^cpu / { print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8 }' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / { print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8 }' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
        d = y[2] - x[2]; printf "%.0f", (d > 0 ? 100 * (y[1] - x[1]) / d : 0) }'
}
# With WAIT_QUIET=SECONDS, waits (at most that long) until other processes
# leave the CPUs at most 10% busy, so timings are not shared with them.
wait_quiet() {
    local limit=${WAIT_QUIET:-0} waited=0 busy
    busy=$(busy_pct)
    while [[ $busy -gt 10 && $waited -lt $limit ]]; do
        sleep 4
        waited=$((waited + 5))
        busy=$(busy_pct)
    done
    echo "CPUs ${busy}% busy before timing (waited ${waited}s)"
    last_busy=$busy
}
last_busy=
last_foreign=
busy_ticks() { awk '/^cpu / { print $2+$3+$4+$7+$8 }' /proc/stat; }
# Steal and all ticks: time the hypervisor gave our vCPUs to other guests.
steal_ticks() { awk '/^cpu / { print $9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }

# The median of an array of numbers, for jq programs.
JQ_MEDIAN='def median: sort | if length % 2 == 1 then .[length / 2 | floor]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;'
# bench NAME CMD...: times the commands side by side; medians in
# $tmp/NAME.json. Every command is run once first and must not fail with
# status 2 (logs' error exit) or be killed.
bench() {
    local name=$1
    shift
    local c rc
    for c in "$@"; do
        rc=0
        bash -o pipefail -c "$c" >/dev/null 2>"$tmp/stderr" || rc=$?
        if [[ $rc -ne 0 && $rc -ne 1 ]]; then
            echo "compare.sh: '$c' failed with status $rc:" >&2
            cat "$tmp/stderr" >&2
            exit 1
        fi
    done
    local try=0
    while :; do
        bench_once "$name" "$@"
        awk -v f="$last_foreign" -v m="${MAX_FOREIGN:-5}" 'BEGIN { exit !(f > m) }' || break
        try=$((try + 1))
        [[ $try -le ${RETRIES:-0} ]] || break
        echo "too noisy: timing again ($try of ${RETRIES:-0})" >&2
        wait_quiet >&2
    done
}
bench_once() {
    local name=$1
    shift
    local b0 b1 t0 t1 s0 s1 r c round
    local -a order
    b0=$(busy_ticks)
    s0=$(steal_ticks)
    t0=$(date +%s.%N)
    # Rounds, not one block per command: each round runs every command
    # once, so a host that slows down for a while slows all of them
    # alike, and each round gives one ratio measured side by side. Odd
    # rounds run the commands in reverse order (no command always goes
    # first). One warm-up run of each, in the first round.
    for ((r = 0; r < runs; r++)); do
        order=("$@")
        if ((r % 2 == 1)); then
            order=()
            for ((c = $#; c >= 1; c--)); do order+=("${!c}"); done
        fi
        # Numbered so that the files sort in round order.
        round=$tmp/$name.round$(printf %03d "$r").json
        hyperfine --style none $([[ $r -eq 0 ]] && echo --warmup 1) --runs 1 \
            --ignore-failure --export-json "$round" "${order[@]}" \
            >"$tmp/hyperfine.log" 2>&1 || { cat "$tmp/hyperfine.log" >&2; exit 1; }
        if ((r % 2 == 1)); then
            jq '.results |= reverse' "$round" >"$tmp/round" && mv "$tmp/round" "$round"
        fi
    done
    # One result per command, as hyperfine writes it: the runs' times in
    # round order, their median, mean user and system time.
    jq -s "$JQ_MEDIAN"'
        {results: [range(0; .[0].results | length) as $i
            | [.[].results[$i]] as $runs
            | {command: $runs[0].command, times: [$runs[].times[0]],
               user: ([$runs[].user] | add / length),
               system: ([$runs[].system] | add / length)}
            | .median = (.times | median)]}' \
        "$tmp/$name".round*.json >"$tmp/$name.json"
    rm -f "$tmp/$name".round*.json
    printf '  %s: median of %d rounds\n' "$name" "$runs" >&2
    jq -r '.results[] | "    \(.median * 1000 | round) ms  \(.command | .[:110])"' \
        "$tmp/$name.json" >&2
    t1=$(date +%s.%N)
    b1=$(busy_ticks)
    s1=$(steal_ticks)
    # On a shared host, wall times move with the time the hypervisor takes
    # away (steal); CPU time (user + system) moves much less. Both are kept
    # per command, in the order the commands were given.
    record "cpu_s.$name" "$(jq -c '[.results[] | (.user + .system) * 1000 | round / 1000]' \
        "$tmp/$name.json")"
    record "steal_pct.$name" "$(awk -v a="$s0" -v b="$s1" 'BEGIN { split(a, x, " ");
        split(b, y, " "); d = y[2] - x[2]; printf "%.1f", (d > 0 ? 100 * (y[1] - x[1]) / d : 0) }')"
    # CPU time the machine spent on other processes while we timed, as a
    # share of all CPUs: our own runs' user+system subtracted (warm-up too).
    last_foreign=$(jq -r --argjson busy "$(((b1 - b0)))" --argjson hz "$(getconf CLK_TCK)" \
        --argjson wall "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
        --argjson cpus "$(nproc)" '
        ([.results[] | (.user + .system) * ((.times | length) + 1)] | add) as $ours
        | (100 * ($busy / $hz - $ours) / ($wall * $cpus)) | if . < 0 then 0 else . end
        | . * 10 | round / 10' "$tmp/$name.json")
    echo "other processes used ${last_foreign}% of the CPUs while this was timed" >&2
}
# median NAME INDEX: median seconds of command INDEX of benchmark NAME.
median() { jq ".results[$2].median" "$tmp/$1.json"; }
# paired NAME I J: the median over rounds of command I's time divided by
# command J's in the same round: the side-by-side ratio the targets judge.
paired() {
    jq -r --argjson i "$2" --argjson j "$3" "$JQ_MEDIAN"'
        [.results[$i].times, .results[$j].times] | transpose | map(.[0] / .[1])
        | median | . * 1000 | round / 1000' "$tmp/$1.json"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = (op == "<=") ? v <= t : v >= t; print ok ? "PASS" : "MISS" }'; }
# target KEY DESCRIPTION VALUE OP LIMIT [MEDIANS]: prints and records one
# target. VALUE is the paired ratio (`paired`) where the commands ran in the
# same rounds; MEDIANS, the ratio of their medians, is recorded beside it.
target() {
    local v
    v=$(verdict "$3" "$4" "$5")
    printf '  %-44s %10s  (target %s %s)  %s' "$2" "$3" "$4" "$5" "$v"
    [[ -n ${6:-} ]] && printf '  (ratio of medians %s)' "$6"
    printf '\n'
    record "targets.$1" "$(jq -n --arg d "$2" --argjson v "$3" --arg op "$4" \
        --argjson t "$5" --arg verdict "$v" --argjson m "${6:-null}" \
        '{description: $d, value: $v, op: $op, limit: $t, verdict: $verdict}
         + (if $m == null then {} else {ratio_of_medians: $m} end)')"
}
warm() { cat "$@" >/dev/null; }
check_cmd() { echo "$(q "$logs") check $* --format json >/dev/null"; }

# ------------------------------------------------------------------ setup
section_setup() {
    say "setup: peers and dist build"
    local missing=()
    command -v jq >/dev/null || missing+=(jq)
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v gzip >/dev/null || missing+=(gzip)
    [[ -x /usr/bin/time ]] || missing+=(time)
    if [[ ${#missing[@]} -gt 0 ]]; then
        if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
            apt-get update -qq && apt-get install -y jq hyperfine gzip time
        else
            echo "compare.sh: missing ${missing[*]}; install them with" >&2
            echo "  sudo apt-get install -y jq hyperfine gzip time" >&2
            exit 1
        fi
    fi
    if ! "$data/tools/bin/rg" --version 2>/dev/null | grep -q '^ripgrep 1[5-9]'; then
        cargo install ripgrep --locked --root "$data/tools"
    fi
    (cd "$repo" && cargo build --profile dist --locked --bin logs)
    record versions "$(jq -n --arg logs "$("$logs" --version)" \
        --arg rg "$(rg --version | head -1)" --arg jq "$(jq --version)" \
        --arg hyperfine "$(hyperfine --version)" --arg gzip "$(gzip --version | head -1)" \
        '{logs: $logs, rg: $rg, jq: $jq, hyperfine: $hyperfine, gzip: $gzip}')"
}

# ------------------------------------------------------------------- data
# made FILE WHAT CMD...: runs CMD (which writes FILE) unless a run before
# finished it (FILE.done); WHAT is said while it runs.
made() {
    local file=$1 what=$2
    shift 2
    [[ -s $file && -e $file.done ]] && return
    echo "$what $file"
    rm -f "$file.done"
    "$@"
    touch "$file.done"
}
# gen FILE ARGS...: `logs generate ARGS -o FILE` unless FILE is already there.
gen() {
    local file=$1
    shift
    made "$file" generating "$logs" generate --seed 1 "$@" -o "$file"
}
gzip_of() { made "$2" compressing bash -c 'gzip -6 -c "$1" >"$2"' _ "$1" "$2"; }
section_data() {
    say "data: deterministic inputs in $data"
    mkdir -p "$data"
    gen "$ndjson" --shape drain-ndjson --size "$size"
    gzip_of "$ndjson" "$gz"
    gen "$dash" --shape dashboard-json --size "$size"
    gen "$dense" --shape drain-ndjson --size "$size" --hits-per-thousand 170
    # The template miner's own input: 1,000,000 generated messages, one
    # per line (benches/template_throughput.rs, fixed seed).
    made "$messages" generating cargo bench --manifest-path "$repo/Cargo.toml" --locked \
        --bench template_throughput -- 1000000 --write "$messages"
    # The big input only when a section needs it (or data is all we do).
    local timed=" ${sections[*]} "
    timed=${timed// setup / }
    timed=${timed// data / }
    if [[ $timed == *" memory "* || $timed == *" linearity "* || -z ${timed// /} ]]; then
        gen "$bigfile" --shape drain-ndjson --size "$big"
        gzip_of "$bigfile" "$biggz"
    fi
    ls -l "$ndjson" "$gz" "$dash" "$dense" "$messages" "$bigfile" "$biggz" 2>/dev/null || true
}
need() {
    local f
    for f in "$@"; do
        [[ -s $f ]] || { echo "compare.sh: $f is missing: run the data section" >&2; exit 1; }
    done
}

# The prefilter's literals: every anchor in each encoding it takes in raw
# export bytes (src/signatures/matcher.rs `encodings`): plain, JSON-escaped
# (`"` -> `\"`, `\` -> `\\`), JSON with HTML-safe escapes, CSV (`"` -> `""`).
raw_patterns() {
    "$logs" signatures list --format json | jq -r '
        [.signatures[].anchors[] as $a
         | ($a | gsub("\\\\"; "\\\\") | gsub("\""; "\\\"")) as $json
         | $a, $json,
           ($json | gsub("<"; "\\u003c") | gsub(">"; "\\u003e") | gsub("&"; "\\u0026")),
           ($a | gsub("\""; "\"\""))]
        | unique | .[]'
}
# The regex a user would hand to jq's test(): the plain anchors, escaped.
jq_regex() {
    "$logs" signatures list --format json | jq -r '
        [.signatures[].anchors[] | gsub("(?<c>[.^$*+?()\\[\\]{}|\\\\])"; "\\\(.c)")] | unique | join("|")'
}

# ----------------------------------------------------------------- ndjson
section_ndjson() {
    say "ndjson: $(label "$size") drain NDJSON ($(load) load)"
    need "$ndjson"
    warm "$ndjson"
    wait_quiet
    local rg_cmd="rg -c -F" p
    while IFS= read -r p; do rg_cmd+=" -e $(q "$p")"; done < <(raw_patterns)
    rg_cmd+=" $(q "$ndjson")"
    echo "ripgrep searches $(raw_patterns | wc -l) literals: $(raw_patterns | paste -sd'|')"

    # jq on a slice (whole lines), scaled to the whole file by bytes.
    local slice=$ndjson jq_scale=1
    if [[ $jq_slice -gt 0 && $jq_slice -lt $size ]]; then
        slice=$tmp/slice.ndjson
        head -c "$jq_slice" "$ndjson" | sed '$d' >"$slice"
        jq_scale=$(ratio "$(stat -c %s "$ndjson")" "$(stat -c %s "$slice")")
        echo "jq runs on the first $(stat -c %s "$slice") bytes, scaled x$jq_scale"
    fi
    printf 'select(.message|test("%s"))\n' "$(jq_regex | sed 's/["\\]/\\&/g')" >"$tmp/filter.jq"
    echo "jq filter: $(cat "$tmp/filter.jq")"
    local jq_cmd="jq -c -f $(q "$tmp/filter.jq") $(q "$slice") | wc -l"
    # jq must read it all: an error stops it early and would look fast.
    jq -c -f "$tmp/filter.jq" "$slice" >/dev/null

    echo "matching lines: rg $(bash -c "$rg_cmd" || true), jq (slice) $(bash -c "$jq_cmd")," \
        "logs records with hits: $("$logs" check "$ndjson" --format json |
            jq '[.findings[].count] | add')"
    # jq apart: it takes a minute, and noise there cannot move a 50x ratio,
    # while the -j ratio needs a quiet machine for the few seconds it takes.
    bench ndjson "$(check_cmd "$(q "$ndjson")")" "$(check_cmd -j1 "$(q "$ndjson")")" \
        "$rg_cmd"
    local foreign_main=$last_foreign
    RETRIES=0 bench jq "$jq_cmd"
    local t_logs t_j1 t_rg t_jq
    t_logs=$(median ndjson 0)
    t_j1=$(median ndjson 1)
    t_rg=$(median ndjson 2)
    t_jq=$(awk -v t="$(median jq 0)" -v s="$jq_scale" 'BEGIN { printf "%.4f", t * s }')
    last_foreign=$foreign_main
    printf '\n  %-20s %9s  %s\n' command median "ratio to logs"
    printf '  %-20s %8.4fs  %s\n' "logs check" "$t_logs" 1 \
        "logs check -j1" "$t_j1" "$(ratio "$t_j1" "$t_logs")" \
        "rg -c -F" "$t_rg" "$(ratio "$t_rg" "$t_logs")" \
        "jq | wc -l (scaled)" "$t_jq" "$(ratio "$t_jq" "$t_logs")"
    printf '  throughput: %.0f MB/s (logs), %.0f MB/s (logs -j1), %.0f MB/s (rg)\n' \
        "$(ratio "$size" "$t_logs")e-6" "$(ratio "$size" "$t_j1")e-6" "$(ratio "$size" "$t_rg")e-6"
    record sections.ndjson "$(jq -n --argjson logs "$t_logs" --argjson j1 "$t_j1" \
        --argjson rg "$t_rg" --argjson jq "$t_jq" --argjson scale "$jq_scale" \
        --arg rg_cmd "$rg_cmd" --arg jq_cmd "$jq_cmd" --arg filter "$(cat "$tmp/filter.jq")" \
        --argjson bytes "$size" --argjson threads "$(nproc)" --arg load "$(load)" \
        '{bytes: $bytes, threads: $threads, load_after: $load, median_s: {logs: $logs,
          logs_j1: $j1, rg: $rg, jq_scaled: $jq}, jq_scale: $scale,
          rg_command: $rg_cmd, jq_command: $jq_cmd, jq_filter: $filter}')"
    target logs_vs_rg "logs / rg time (<= 1.0)" "$(paired ndjson 0 2)" "<=" 1.0 \
        "$(ratio "$t_logs" "$t_rg")"
    target j1_vs_rg "logs -j1 / rg time (<= 1.5)" "$(paired ndjson 1 2)" "<=" 1.5 \
        "$(ratio "$t_j1" "$t_rg")"
    target jq_speedup "jq / logs time (>= 50)" "$(ratio "$t_jq" "$t_logs")" ">=" 50
    target parallel_speedup "-j1 / -j$(nproc) time (>= 1.8)" "$(paired ndjson 1 0)" ">=" 1.8 \
        "$(ratio "$t_j1" "$t_logs")"
    ceiling
}

# What two cores give to work that shares nothing, the ceiling for the -j
# scaling target: ripgrep on each half of the file (split between lines)
# alone, then on both at once, in the same rounds. The ceiling is the
# median over rounds of (first alone + second alone) / both at once. The
# halves are compared with themselves, not with the whole file: how a file
# came into the page cache changes what mapping it costs (a freshly written
# copy took 2-20 ms less system time than the file it was cut from, on
# this host), so like is compared with like.
ceiling() {
    split -n l/2 "$ndjson" "$tmp/half."
    warm "$tmp/half.aa" "$tmp/half.ab"
    local a b
    a=$(rg_cmd "$tmp/half.aa")
    b=$(rg_cmd "$tmp/half.ab")
    bench ceiling "$a" "$b" "$a >/dev/null & $b >/dev/null; wait"
    rm -f "$tmp/half.aa" "$tmp/half.ab"
    local v
    v=$(jq -r "$JQ_MEDIAN"'
        [.results[0].times, .results[1].times, .results[2].times] | transpose
        | map((.[0] + .[1]) / .[2]) | median | . * 1000 | round / 1000' "$tmp/ceiling.json")
    printf '  %-44s %10s  (the ceiling for the line above)\n' \
        "rg on two halves: one by one / at once" "$v"
    record sections.ceiling "$(jq -n --argjson v "$v" --arg load "$(load)" \
        --argjson a "$(median ceiling 0)" --argjson b "$(median ceiling 1)" \
        --argjson both "$(median ceiling 2)" \
        '{load_after: $load, median_s: {first_half: $a, second_half: $b, both_at_once: $both},
          parallel_ceiling: $v}')"
}

# rg_cmd FILE: ripgrep counting lines with any prefilter literal of FILE.
rg_cmd() {
    local c="rg -c -F" p
    while IFS= read -r p; do c+=" -e $(q "$p")"; done < <(raw_patterns)
    echo "$c $(q "$1")"
}

# ------------------------------------------------------------------ dense
section_dense() {
    say "dense: $(label "$size") drain NDJSON, generated with 170 hits per thousand requests ($(load) load)"
    need "$dense"
    warm "$dense"
    wait_quiet
    local rg_c
    rg_c=$(rg_cmd "$dense")
    local hit_lines all_lines
    hit_lines=$(bash -c "$rg_c" || true)
    all_lines=$(wc -l <"$dense")
    echo "matching lines: rg $hit_lines of $all_lines ($(awk -v a="$hit_lines" -v b="$all_lines" 'BEGIN { printf "%.1f", 100 * a / b }') %)"
    bench dense "$(check_cmd "$(q "$dense")")" "$(check_cmd -j1 "$(q "$dense")")" "$rg_c"
    local t_logs t_j1 t_rg
    t_logs=$(median dense 0)
    t_j1=$(median dense 1)
    t_rg=$(median dense 2)
    printf '\n  logs check %.4fs, logs check -j1 %.4fs, rg -c -F %.4fs\n' "$t_logs" "$t_j1" "$t_rg"
    record sections.dense "$(jq -n --argjson logs "$t_logs" --argjson j1 "$t_j1" \
        --argjson rg "$t_rg" --argjson bytes "$(stat -c %s "$dense")" --arg load "$(load)" \
        '{bytes: $bytes, load_after: $load, median_s: {logs: $logs, logs_j1: $j1, rg: $rg}}')"
    target dense_logs_vs_rg "dense: logs / rg time (<= 1.0)" "$(paired dense 0 2)" "<=" 1.0 \
        "$(ratio "$t_logs" "$t_rg")"
    target dense_j1_vs_rg "dense: logs -j1 / rg time (<= 1.5)" "$(paired dense 1 2)" "<=" 1.5 \
        "$(ratio "$t_j1" "$t_rg")"
}

# --------------------------------------------------------------- analyses
section_analyses() {
    say "analyses: rollback, audit, templates on $(label "$size") drain NDJSON ($(load) load)"
    need "$ndjson"
    warm "$ndjson"
    wait_quiet
    local dep
    # The canary: the deployment of the first record.
    dep=$(grep -m1 -o '"deploymentId":"[^"]*"' "$ndjson" | cut -d'"' -f4)
    local q_in
    q_in=$(q "$ndjson")
    bench analyses "$(rg_cmd "$ndjson")" \
        "$(q "$logs") rollback $q_in --deployment $(q "$dep") --format json >/dev/null" \
        "$(q "$logs") audit $q_in --format json >/dev/null" \
        "$(q "$logs") templates $q_in --format json >/dev/null"
    local t_rg t_rb t_au t_tp
    t_rg=$(median analyses 0)
    t_rb=$(median analyses 1)
    t_au=$(median analyses 2)
    t_tp=$(median analyses 3)
    printf '\n  rg %.4fs, rollback %.4fs, audit %.4fs, templates %.4fs\n' \
        "$t_rg" "$t_rb" "$t_au" "$t_tp"
    record sections.analyses "$(jq -n --argjson rg "$t_rg" --argjson rb "$t_rb" \
        --argjson au "$t_au" --argjson tp "$t_tp" --arg dep "$dep" --arg load "$(load)" \
        '{canary: $dep, load_after: $load,
          median_s: {rg: $rg, rollback: $rb, audit: $au, templates: $tp}}')"
    target rollback_vs_rg "rollback / rg time (<= 3.0)" "$(paired analyses 1 0)" "<=" 3.0 \
        "$(ratio "$t_rb" "$t_rg")"
    target audit_vs_rg "audit / rg time (<= 3.0)" "$(paired analyses 2 0)" "<=" 3.0 \
        "$(ratio "$t_au" "$t_rg")"

    # Templates through the binary, on the miner's own input (text, one
    # message per line): messages per second, not a ratio.
    need "$messages"
    warm "$messages"
    local n_msgs t_msgs
    n_msgs=$("$logs" templates --input-format text "$messages" --format json | jq .messages)
    bench template_text \
        "$(q "$logs") templates --input-format text $(q "$messages") --format json >/dev/null"
    t_msgs=$(median template_text 0)
    printf '\n  templates: %d messages in %.4fs\n' "$n_msgs" "$t_msgs"
    record sections.templates "$(jq -n --argjson n "$n_msgs" --argjson t "$t_msgs" \
        --argjson bytes "$(stat -c %s "$messages")" --arg load "$(load)" \
        '{messages: $n, bytes: $bytes, load_after: $load, median_s: $t}')"
    target templates_msgs_per_s "templates: M messages/s (>= 2.0)" \
        "$(awk -v n="$n_msgs" -v t="$t_msgs" 'BEGIN { printf "%.3f", n / t / 1e6 }')" ">=" 2.0
}

# ------------------------------------------------------------------- gzip
section_gzip() {
    say "gzip: $(label "$size") drain NDJSON, gzip -6 ($(load) load)"
    need "$gz"
    warm "$gz"
    wait_quiet
    bench gzip "gzip -dc $(q "$gz") >/dev/null" "$(check_cmd "$(q "$gz")")"
    local t_gzip t_logs
    t_gzip=$(median gzip 0)
    t_logs=$(median gzip 1)
    printf '\n  gzip -dc %.4fs, logs check %.4fs\n' "$t_gzip" "$t_logs"
    record sections.gzip "$(jq -n --argjson g "$t_gzip" --argjson l "$t_logs" \
        --argjson bytes "$(stat -c %s "$gz")" --arg load "$(load)" \
        '{compressed_bytes: $bytes, load_after: $load, median_s: {gzip_dc: $g, logs: $l}}')"
    target gzip "logs / gzip -dc time (<= 1.0)" "$(paired gzip 1 0)" "<=" 1.0 \
        "$(ratio "$t_logs" "$t_gzip")"
}

# -------------------------------------------------------------- dashboard
section_dashboard() {
    say "dashboard: one-line JSON vs NDJSON, $(label "$size") ($(load) load)"
    need "$dash" "$ndjson"
    warm "$dash" "$ndjson"
    wait_quiet
    bench dashboard "$(check_cmd "$(q "$ndjson")")" "$(check_cmd "$(q "$dash")")"
    local t_nd t_dash
    t_nd=$(median dashboard 0)
    t_dash=$(median dashboard 1)
    printf '\n  ndjson %.4fs (%s bytes), dashboard %.4fs (%s bytes)\n' \
        "$t_nd" "$(stat -c %s "$ndjson")" "$t_dash" "$(stat -c %s "$dash")"
    record sections.dashboard "$(jq -n --argjson n "$t_nd" --argjson d "$t_dash" \
        --argjson nb "$(stat -c %s "$ndjson")" --argjson db "$(stat -c %s "$dash")" \
        --arg load "$(load)" \
        '{load_after: $load, bytes: {ndjson: $nb, dashboard: $db},
          median_s: {ndjson: $n, dashboard: $d}}')"
    target dashboard "dashboard / ndjson time (<= 1.5)" "$(paired dashboard 1 0)" "<=" 1.5 \
        "$(ratio "$t_dash" "$t_nd")"
}

# ----------------------------------------------------------------- memory
maxrss_kb() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
section_memory() {
    say "memory: $(label "$big") drain NDJSON ($(load) load)"
    need "$bigfile" "$biggz" "$ndjson"
    warm "$bigfile" "$biggz" "$ndjson"
    wait_quiet
    local rc=0 gz_kb stdin_kb anon_kb hwm_kb
    /usr/bin/time -v -o "$tmp/time-gz" "$logs" check "$biggz" --format json >/dev/null || rc=$?
    [[ $rc -le 1 ]] || { echo "compare.sh: logs check $biggz failed ($rc)" >&2; exit 1; }
    gz_kb=$(maxrss_kb "$tmp/time-gz")
    # Most of that is the compressed file, which is memory-mapped: say how much.
    rc=0
    "$here/anon-peak.sh" "$logs" check "$biggz" --format json >/dev/null 2>"$tmp/anon-gz" || rc=$?
    [[ $rc -le 1 ]] || { echo "compare.sh: logs check $biggz failed ($rc)" >&2; exit 1; }
    local gz_anon_kb
    gz_anon_kb=$(sed -n 's/.*rss_anon_kb=\([0-9]*\).*/\1/p' "$tmp/anon-gz")
    rc=0
    cat "$bigfile" | /usr/bin/time -v -o "$tmp/time-stdin" "$logs" check - --format json \
        >/dev/null || rc=$?
    [[ $rc -le 1 ]] || { echo "compare.sh: logs check - failed ($rc)" >&2; exit 1; }
    stdin_kb=$(maxrss_kb "$tmp/time-stdin")
    rc=0
    "$here/anon-peak.sh" "$logs" check "$bigfile" --format json >/dev/null 2>"$tmp/anon" || rc=$?
    [[ $rc -le 1 ]] || { echo "compare.sh: logs check $bigfile failed ($rc)" >&2; exit 1; }
    anon_kb=$(sed -n 's/.*rss_anon_kb=\([0-9]*\).*/\1/p' "$tmp/anon")
    hwm_kb=$(sed -n 's/.*vm_hwm_kb=\([0-9]*\).*/\1/p' "$tmp/anon")
    # rollback keeps one folded record per request (issue 11: state the
    # cost per record): its anonymous peak on the --size file, per line and
    # per request, and beyond what `check` of the same file holds.
    local rb_dep rb_anon_kb rb_lines rb_requests ck_anon_kb
    rb_dep=$(grep -m1 -o '"deploymentId":"[^"]*"' "$ndjson" | cut -d'"' -f4)
    rc=0
    "$here/anon-peak.sh" "$logs" rollback "$ndjson" --deployment "$rb_dep" --format json \
        >/dev/null 2>"$tmp/anon-rb" || rc=$?
    # 0 proceed, 1 rollback, 3 hold; 2 is an error.
    [[ $rc -ne 2 && $rc -le 3 ]] || { echo "compare.sh: logs rollback $ndjson failed ($rc)" >&2; exit 1; }
    rb_anon_kb=$(sed -n 's/.*rss_anon_kb=\([0-9]*\).*/\1/p' "$tmp/anon-rb")
    rc=0
    "$here/anon-peak.sh" "$logs" check "$ndjson" --format json >/dev/null 2>"$tmp/anon-ck" || rc=$?
    [[ $rc -le 1 ]] || { echo "compare.sh: logs check $ndjson failed ($rc)" >&2; exit 1; }
    ck_anon_kb=$(sed -n 's/.*rss_anon_kb=\([0-9]*\).*/\1/p' "$tmp/anon-ck")
    rb_lines=$(wc -l <"$ndjson")
    rb_requests=$(grep -o '"requestId":"[^"]*"' "$ndjson" | sort -u | wc -l)
    printf '\n  rollback on %s (%d lines, %d requests): peak RssAnon %d KB = %d bytes per line;' \
        "$(label "$size")" "$rb_lines" "$rb_requests" "$rb_anon_kb" "$((rb_anon_kb * 1024 / rb_lines))"
    printf ' beyond check'"'"'s %d KB: %d bytes per request' \
        "$ck_anon_kb" "$(((rb_anon_kb - ck_anon_kb) * 1024 / rb_requests))"
    # Beyond --memory, rollback reads a file again, a share of the requests
    # each pass: on the --big file, once (the default 1 GiB) and within
    # 64 MiB, the same report, the peaks and the time.
    local big_dep t0 t_once t_budget once_kb budget_kb passes same
    big_dep=$(grep -m1 -o '"deploymentId":"[^"]*"' "$bigfile" | cut -d'"' -f4)
    for budget in 1GiB 64MiB; do
        rc=0
        t0=$(date +%s.%N)
        "$here/anon-peak.sh" "$logs" rollback "$bigfile" --deployment "$big_dep" --format json \
            --memory "$budget" >"$tmp/rb-$budget.json" 2>"$tmp/anon-rb-$budget" || rc=$?
        [[ $rc -ne 2 && $rc -le 3 ]] || { echo "compare.sh: logs rollback --memory $budget failed ($rc)" >&2; exit 1; }
        awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.3f\n", a - b }' >"$tmp/t-rb-$budget"
    done
    t_once=$(cat "$tmp/t-rb-1GiB")
    t_budget=$(cat "$tmp/t-rb-64MiB")
    once_kb=$(sed -n 's/.*rss_anon_kb=\([0-9]*\).*/\1/p' "$tmp/anon-rb-1GiB")
    budget_kb=$(sed -n 's/.*rss_anon_kb=\([0-9]*\).*/\1/p' "$tmp/anon-rb-64MiB")
    passes=$(sed -n 's/.*read the input \([0-9]*\) times.*/\1/p' "$tmp/anon-rb-64MiB")
    passes=${passes:-1}
    same=false
    cmp -s "$tmp/rb-1GiB.json" "$tmp/rb-64MiB.json" && same=true
    printf '\n  rollback on %s: once %d KB anonymous in %.2fs; --memory 64MiB: %d passes, %d KB in %.2fs; same report: %s' \
        "$(label "$big")" "$once_kb" "$t_once" "$passes" "$budget_kb" "$t_budget" "$same"
    printf '\n  gzip stream: max RSS %d KB (anonymous %d KB, the rest is the mapped %d-byte .gz);' \
        "$gz_kb" "$gz_anon_kb" "$(stat -c %s "$biggz")"
    printf ' stdin: max RSS %d KB;' "$stdin_kb"
    printf ' mmap: peak RssAnon %d KB (whole RSS incl. mapped file pages %d KB)\n' \
        "$anon_kb" "$hwm_kb"
    record sections.memory "$(jq -n --argjson g "$gz_kb" --argjson s "$stdin_kb" \
        --argjson a "$anon_kb" --argjson h "$hwm_kb" --argjson bytes "$big" --arg load "$(load)" \
        --argjson ga "$gz_anon_kb" --argjson gzb "$(stat -c %s "$biggz")" \
        --argjson rba "$rb_anon_kb" --argjson rbl "$rb_lines" \
        --argjson rbr "$rb_requests" --argjson cka "$ck_anon_kb" \
        --argjson rbo "$once_kb" --argjson rbos "$t_once" --argjson rbb "$budget_kb" \
        --argjson rbbs "$t_budget" --argjson rbp "$passes" --argjson rbsame "$same" \
        '{bytes: $bytes, load_after: $load, gzip_max_rss_kb: $g, gzip_rss_anon_peak_kb: $ga,
          gzip_compressed_bytes: $gzb, stdin_max_rss_kb: $s,
          mmap_rss_anon_peak_kb: $a, mmap_vm_hwm_kb: $h,
          rollback_rss_anon_peak_kb: $rba, rollback_lines: $rbl,
          rollback_anon_bytes_per_line: ($rba * 1024 / $rbl | floor),
          rollback_requests: $rbr, check_same_file_rss_anon_peak_kb: $cka,
          rollback_anon_bytes_per_request_beyond_check: (($rba - $cka) * 1024 / $rbr | floor),
          rollback_big_once_rss_anon_peak_kb: $rbo, rollback_big_once_s: $rbos,
          rollback_big_memory_64mib_rss_anon_peak_kb: $rbb, rollback_big_memory_64mib_s: $rbbs,
          rollback_big_memory_64mib_passes: $rbp, rollback_big_same_report: $rbsame}')"
    local limit_mb=256
    target rss_gzip "gzip stream peak RSS, MB (<= 256)" "$(ratio "$gz_kb" 1024)" "<=" "$limit_mb"
    target rss_stdin "stdin peak RSS, MB (<= 256)" "$(ratio "$stdin_kb" 1024)" "<=" "$limit_mb"
    target anon_mmap "mmap peak anonymous memory, MB (<= 256)" "$(ratio "$anon_kb" 1024)" \
        "<=" "$limit_mb"
    # Within the budget: what rollback holds beyond check's own memory.
    target rollback_within_memory "rollback --memory 64MiB, peak anonymous MB beyond check's (<= 128)" \
        "$(ratio "$((budget_kb - anon_kb))" 1024)" "<=" 128
    [[ $same == true ]] || { echo "compare.sh: rollback --memory 64MiB changed the report" >&2; exit 1; }
}

# -------------------------------------------------------------- linearity
section_linearity() {
    say "linearity: $(label "$size") vs $(label "$big") ($(load) load)"
    need "$ndjson" "$bigfile"
    warm "$ndjson" "$bigfile"
    wait_quiet
    bench linearity "$(check_cmd "$(q "$ndjson")")" "$(check_cmd "$(q "$bigfile")")"
    local t_small t_big bytes_ratio
    t_small=$(median linearity 0)
    t_big=$(median linearity 1)
    bytes_ratio=$(ratio "$(stat -c %s "$bigfile")" "$(stat -c %s "$ndjson")")
    printf '\n  %.4fs vs %.4fs for %sx the bytes\n' "$t_small" "$t_big" "$bytes_ratio"
    record sections.linearity "$(jq -n --argjson s "$t_small" --argjson b "$t_big" \
        --argjson r "$bytes_ratio" --arg load "$(load)" \
        '{load_after: $load, bytes_ratio: $r, median_s: {small: $s, big: $b}}')"
    target linearity "time(4N) / time(N) (<= 4.4)" "$(paired linearity 1 0)" "<=" 4.4 \
        "$(ratio "$t_big" "$t_small")"
}

record run "$(jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg args "${sections[*]}" \
    --argjson runs "$runs" --argjson size "$size" --argjson big "$big" --arg load "$(load)" \
    '{date: $date, sections: $args, runs: $runs, size: $size, big: $big, load_at_start: $load}')"
for s in "${sections[@]}"; do
    if [[ $s != setup && ! -x $logs ]]; then
        echo "compare.sh: $logs is missing: run the setup section" >&2
        exit 1
    fi
    "section_$s"
    case $s in
    setup | data) ;;
    *)
        record "sections.$s.date" "\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\""
        record "sections.$s.cpu_busy_before_pct" "${last_busy:-null}"
        record "sections.$s.foreign_cpu_pct_during" "${last_foreign:-null}"
        last_foreign=
        ;;
    esac
done

say "summary ($out)"
jq -r '.targets // {} | to_entries[] |
    "  \(.value.verdict)  \(.value.description): \(.value.value)"' "$out"
