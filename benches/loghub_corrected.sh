#!/usr/bin/env bash
# Extracts logparser's corrected labels for the eight Loghub 2k sets in
# ../shared/loghub, for `loghub_accuracy --corrected DEST`.
#
#   benches/loghub_corrected.sh SRC DEST
#
# SRC is a copy of https://github.com/logpai/logparser: a clone (work tree)
# or a bare git directory (for example the snapshot the session `fetch`
# tool brings). The corrected files live in data/loghub_2k_corrected/<Set>/
# <Set>_2k.log_structured_corrected.csv; each is written to DEST as
# <Set>_2k.log_structured.csv. Only these eight sets are extracted: the
# other Loghub sets are the held-out measurement and stay untouched. The
# data never enters this repository.
set -euo pipefail

src="${1:?usage: $0 LOGPARSER_CHECKOUT DEST}"
dest="${2:?usage: $0 LOGPARSER_CHECKOUT DEST}"
mkdir -p "$dest"
for set in Apache BGL HDFS Hadoop HealthApp OpenSSH Spark Zookeeper; do
  path="data/loghub_2k_corrected/$set/${set}_2k.log_structured_corrected.csv"
  out="$dest/${set}_2k.log_structured.csv"
  if [ -f "$src/$path" ]; then
    cp "$src/$path" "$out"
  else
    git --git-dir="$src" show "HEAD:$path" >"$out"
  fi
done
echo "wrote the corrected labels of 8 sets to $dest (from $(git -C "$src" rev-parse HEAD 2>/dev/null || git --git-dir="$src" rev-parse HEAD))"
