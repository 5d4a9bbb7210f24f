#!/usr/bin/env bash
# The tests, with what they drive installed first on a fresh machine:
# xmllint (the JUnit XML is validated against the JUnit schemas), node
# with npm (the npm packages are installed and run end to end), chromium
# (the `logs serve` page is rendered headless), and chdb (ClickHouse
# in-process, from PyPI: the generated SQL of `logs sql` runs in it), in a
# virtualenv cached under ${XDG_CACHE_HOME:-~/.cache}/logs-tests and named
# to the tests by LOGS_TEST_PYTHON. The tests fail, never skip, without
# them. Arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
  command -v google-chrome >/dev/null || missing+=(chromium)
command -v python3 >/dev/null || missing+=(python3)
command -v openssl >/dev/null || missing+=(openssl)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
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
# chdb, pinned; the virtualenv is reused while it imports that version (a
# LOGS_TEST_PYTHON already set to such a Python is used as it is).
chdb_version=4.4.0
has_chdb() { "$1" -c "import chdb, sys; sys.exit(chdb.__version__ != '$chdb_version')" 2>/dev/null; }
if [ -z "${LOGS_TEST_PYTHON:-}" ] || ! has_chdb "$LOGS_TEST_PYTHON"; then
  venv="${XDG_CACHE_HOME:-$HOME/.cache}/logs-tests/chdb-$chdb_version"
  if ! has_chdb "$venv/bin/python"; then
    echo "tests/run.sh: installing chdb $chdb_version in $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "chdb==$chdb_version"
  fi
  export LOGS_TEST_PYTHON="$venv/bin/python"
fi
exec cargo test "$@"
