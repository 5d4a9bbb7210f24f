#!/usr/bin/env bash
# The tests, with what they drive installed first on a fresh machine:
# xmllint (the JUnit XML is validated against the JUnit schemas) and node
# with npm (the npm packages are installed and run end to end), and
# chromium (the `logs serve` page is rendered headless). The tests fail,
# never skip, without them. Arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
  command -v google-chrome >/dev/null || missing+=(chromium)
if ((${#missing[@]})); then
  echo "tests/run.sh: installing ${missing[*]}" >&2
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
      echo "tests/run.sh: install ${missing[*]} (Debian packages) and run again" >&2
      exit 2
    }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi
exec cargo test "$@"
