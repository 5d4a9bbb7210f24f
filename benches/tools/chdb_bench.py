"""Times the generated SQL of `logs sql` in chdb (ClickHouse in-process),
for benches/sql_vs_scan.sh.

Usage: chdb_bench.py STORE_DIR RUNS SCHEMA_SQL LOAD_SQL QUERY_SQL...

Creates the table in a fresh STORE_DIR, times the load (the statements of
LOAD_SQL), then runs each QUERY_SQL RUNS times, and prints one JSON object:
rows, bytes on disk, load seconds, and per query its wall times and rows.
"""
import json
import re
import shutil
import sys
import time

from chdb import session as chs


def statements(path):
    with open(path, encoding="utf-8") as f:
        parts = re.split(r";[ \t]*\n", f.read() + "\n")
    return [p for p in parts if re.sub(r"--[^\n]*", "", p).strip()]


def main():
    store, runs, schema, load, *queries = sys.argv[1:]
    shutil.rmtree(store, ignore_errors=True)
    s = chs.Session(store)
    for q in statements(schema):
        s.query(q)
    start = time.perf_counter()
    for q in statements(load):
        s.query(q)
    load_s = time.perf_counter() - start
    table = re.search(r"INSERT INTO (\S+)", statements(load)[0]).group(1)
    info = json.loads(
        s.query(
            f"SELECT sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts "
            f"WHERE active AND (database || '.' || table = '{table}' OR table = '{table}')",
            "JSONEachRow",
        ).bytes()
    )
    out = {"rows": int(info["rows"]), "bytes_on_disk": int(info["bytes"]), "load_s": load_s, "queries": {}}
    for path in queries:
        times, rows = [], 0
        for _ in range(int(runs)):
            start = time.perf_counter()
            for q in statements(path):
                rows = len(s.query(q, "JSONEachRow").bytes().splitlines())
            times.append(time.perf_counter() - start)
        out["queries"][path.rsplit("/", 1)[-1]] = {"wall_s": times, "rows": rows}
    s.close()
    print(json.dumps(out, indent=1))


main()
