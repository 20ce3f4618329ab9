"""Re-run the DuckDB queries a document quotes and check or rewrite their printed tables.

    .venv/bin/python tools/doc_queries.py docs/campaigns.md --root . [--write]

A quoted query is a line ``-- duckdb PATH`` (or ``-- duckdb: comment``, then the SQL attaches
what it reads) inside a fenced code block, its SQL on the following lines, then the table
DuckDB printed for it (the lines beginning with a box-drawing character; a query shown with
no table is an example and is skipped). Each query runs in
``--root`` (relative paths such as ``campaign/campaign.duckdb`` are read from there, read
only); statements separated by ``;`` run in order and the last one's table is the one
printed. Without ``--write``: lists the tables that differ and exits 1 if any does (a
missing database: exit 2, naming it). With ``--write``: the document is rewritten with the
new tables (atomically), so that every figure in those tables comes from this command.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import duckdb

BOX = ("┌", "│", "├", "└")


def _blocks(lines: list[str]) -> list[tuple[int, int, int]]:
    """``(header, sql_end, table_end)`` line indices of each quoted query: its ``-- duckdb``
    line, the first line after its SQL and the first line after its printed table."""
    out = []
    fenced = False
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("```"):
            fenced = not fenced
            i += 1
            continue
        if fenced and ln.startswith("-- duckdb"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith(BOX) \
                    and not lines[j].startswith(("-- duckdb", "```")):
                j += 1
            k = j
            while k < len(lines) and lines[k].startswith(BOX):
                k += 1
            out.append((i, j, k))
            i = k
            continue
        i += 1
    return out


def run_query(header: str, sql: str, root: Path) -> str:
    """The table DuckDB prints for ``sql`` (statements in order, the last one's result)."""
    head = header[len("-- duckdb"):].strip()
    path = None if head.startswith(":") or not head else head.split()[0]
    if path is not None and not (root / path).exists():
        raise FileNotFoundError(f"{root / path}")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        con = duckdb.connect(path or ":memory:", read_only=path is not None)
        stmts = [s.strip() for s in sql.split(";") if s.strip()]
        for s in stmts[:-1]:
            con.execute(s)
        text = str(con.sql(stmts[-1]))
        con.close()
    finally:
        os.chdir(cwd)
    # the table only: DuckDB adds a "N rows  M columns" footer under longer tables
    return "\n".join(ln for ln in text.rstrip("\n").split("\n") if ln.startswith(BOX))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("document", type=Path)
    ap.add_argument("--root", type=Path, default=Path("."),
                    help="folder the queries' relative paths are read from")
    ap.add_argument("--write", action="store_true", help="rewrite the printed tables")
    a = ap.parse_args(argv)
    if not a.document.is_file():
        print(f"doc_queries: document {a.document} not found", file=sys.stderr)
        return 2
    lines = a.document.read_text().split("\n")
    new: list[str] = []
    last = 0
    differ = 0
    for head, sql_end, table_end in _blocks(lines):
        if table_end == sql_end:
            continue   # a query shown without its table (an example): nothing to check
        sql = "\n".join(lines[head + 1:sql_end])
        try:
            table = run_query(lines[head], sql, a.root.resolve())
        except FileNotFoundError as e:
            print(f"doc_queries: line {head + 1}: database {e} not found (--root "
                  f"{a.root}: expected the campaign folder the document names)", file=sys.stderr)
            return 2
        except duckdb.Error as e:
            print(f"doc_queries: line {head + 1}: query failed: {e}", file=sys.stderr)
            return 2
        old = "\n".join(lines[sql_end:table_end])
        if old != table:
            differ += 1
            print(f"line {head + 1}: table differs\n{table}")
        new.extend(lines[last:sql_end])
        new.extend(table.split("\n"))
        last = table_end
    new.extend(lines[last:])
    if a.write and differ:
        fd, tmp = tempfile.mkstemp(dir=a.document.parent, prefix=".doc_queries.")
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(new))
        os.replace(tmp, a.document)
        print(f"{a.document}: {differ} table(s) rewritten")
        return 0
    print(f"{a.document}: {differ} table(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
