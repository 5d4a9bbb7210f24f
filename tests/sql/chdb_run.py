"""Runs generated SQL in ClickHouse in-process (chdb), for tests/it/sql.rs.

Usage: chdb_run.py SCHEMA_SQL QUERY_SQL DATA_FILE...

Creates the table of SCHEMA_SQL (the output of `logs sql schema`) in a fresh
session, loads every DATA_FILE through it as the schema's recipe says
(`INSERT INTO t (raw) SELECT * FROM file(path, 'JSONAsString')`; gzip is
detected from the name), runs each statement of QUERY_SQL and writes its
rows (JSONEachRow) to stdout. Exits 3 when chdb cannot be imported.
"""
import os
import re
import sys
import tempfile

try:
    import chdb  # noqa: F401
    from chdb import session as chs
except ImportError as e:
    sys.stderr.write(f"chdb_run.py: cannot import chdb ({e}); tests/run.sh installs it\n")
    sys.exit(3)


def statements(text):
    """Statements end with `;` at a line end (literals never hold a raw newline)."""
    parts = re.split(r";[ \t]*\n", text + "\n")
    return [p for p in parts if re.sub(r"--[^\n]*", "", p).strip()]


def main():
    schema, query, *data = sys.argv[1:]
    with open(schema, encoding="utf-8") as f:
        ddl = statements(f.read())
    with open(query, encoding="utf-8") as f:
        queries = statements(f.read())
    table = re.search(r"CREATE TABLE IF NOT EXISTS (\S+)", ddl[0]).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        s = chs.Session(tmp)
        for d in ddl:
            s.query(d)
        for path in data:
            path = os.path.abspath(path).replace("\\", "\\\\").replace("'", "\\'")
            s.query(f"INSERT INTO {table} (raw) SELECT * FROM file('{path}', 'JSONAsString')")
        for q in queries:
            out = s.query(q, "JSONEachRow")
            sys.stdout.write(out.bytes().decode("utf-8"))
        s.close()


main()
