"""Runs generated SQL in ClickHouse in-process (chdb), for tests/it/sql.rs.

Usage: chdb_run.py SQL_FILE...

Runs every statement of every file, in order, in one fresh session (the
output of `logs sql schema`, then of `logs sql schema --load PATH`, then a
query), and writes what each statement returns (JSONEachRow) to stdout.
Exits 3 when chdb cannot be imported.
"""
import re
import sys
import tempfile

try:
    from chdb import session as chs
except ImportError as e:
    sys.stderr.write(f"chdb_run.py: cannot import chdb ({e}); tests/run.sh installs it\n")
    sys.exit(3)


def statements(text):
    """Statements end with `;` at a line end (literals never hold a raw newline)."""
    parts = re.split(r";[ \t]*\n", text + "\n")
    return [p for p in parts if re.sub(r"--[^\n]*", "", p).strip()]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        s = chs.Session(tmp)
        for name in sys.argv[1:]:
            with open(name, encoding="utf-8") as f:
                for q in statements(f.read()):
                    out = s.query(q, "JSONEachRow")
                    sys.stdout.write(out.bytes().decode("utf-8"))
        s.close()


main()
