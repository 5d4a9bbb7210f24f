#!/usr/bin/env bash
# anon-peak.sh: run a command and report the peak of its anonymous memory.
#
# Usage: benches/anon-peak.sh [-i SECONDS] CMD [ARG...]
#
# Peak RSS (`/usr/bin/time -v`) counts the pages of a memory-mapped input
# that the process touched, which are page cache shared with every other
# reader, not memory the scan allocated. What a memory-mapped scan costs is
# its anonymous memory (heap, stacks, buffers): `RssAnon` in
# /proc/PID/status. The kernel keeps no high-water mark for it, so this polls
# /proc/PID/status every SECONDS (default 0.005) while CMD runs and prints,
# on stderr, one line:
#
#   anon-peak: rss_anon_kb=N vm_hwm_kb=N samples=N exit=N
#
# (vm_hwm_kb is the kernel's peak of the whole RSS, file pages included.)
# CMD's stdout is left alone; the exit status is CMD's.
set -euo pipefail

interval=0.005
if [[ ${1:-} == -i ]]; then
    interval=$2
    shift 2
fi
if [[ $# -eq 0 ]]; then
    echo "usage: $0 [-i SECONDS] CMD [ARG...]" >&2
    exit 2
fi

# (A background job's stdin is /dev/null unless given explicitly: keep ours,
# so `cat big.ndjson | anon-peak.sh logs check -` works.)
"$@" <&0 &
pid=$!
peak_anon=0
hwm=0
samples=0
while [[ -r /proc/$pid/status ]]; do
    anon=0
    h=0
    while read -r key value _; do
        case $key in
        RssAnon:) anon=$value ;;
        VmHWM:) h=$value ;;
        esac
    done </proc/$pid/status 2>/dev/null || true
    # A zombie has no memory lines left: the run is over.
    [[ $h -eq 0 && $samples -gt 0 ]] && break
    ((anon > peak_anon)) && peak_anon=$anon
    ((h > hwm)) && hwm=$h
    samples=$((samples + 1))
    sleep "$interval"
done
status=0
wait "$pid" || status=$?
echo "anon-peak: rss_anon_kb=$peak_anon vm_hwm_kb=$hwm samples=$samples exit=$status" >&2
exit "$status"
