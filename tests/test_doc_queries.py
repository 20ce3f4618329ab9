"""tools/doc_queries.py: the DuckDB queries a document quotes are re-run and their printed
tables checked or rewritten (docs/campaigns.md's worked example)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

TOOL = Path(__file__).resolve().parents[1] / "tools" / "doc_queries.py"


def _tool():
    spec = importlib.util.spec_from_file_location("doc_queries", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _doc(tmp_path: Path) -> Path:
    con = duckdb.connect(str(tmp_path / "c.duckdb"))
    con.execute("create table runs as select * from (values (1, 2.5), (2, 3.5)) t(run, x)")
    con.close()
    doc = tmp_path / "doc.md"
    doc.write_text("text\n\n```\n-- duckdb c.duckdb\nselect sum(x) as total from runs;\n"
                   "┌───────┐\n│ stale │\n└───────┘\n"
                   "-- duckdb: two attached\nattach 'c.duckdb' as a (read_only);\n"
                   "select count(*) as n from a.runs;\n┌───┐\n│ 0 │\n└───┘\n"
                   "-- duckdb c.duckdb\nselect 1;\n```\nafter\n")   # an example: no table
    return doc


def test_a_stale_table_is_found_and_rewritten(tmp_path, capsys):
    tool, doc = _tool(), _doc(tmp_path)
    assert tool.main([str(doc), "--root", str(tmp_path)]) == 1
    assert "2 table(s) differ" in capsys.readouterr().out
    assert tool.main([str(doc), "--root", str(tmp_path), "--write"]) == 0
    text = doc.read_text()
    assert "stale" not in text and "6.0" in text and text.endswith("select 1;\n```\nafter\n")
    assert "│     2 │" in text                      # the attached query's count
    assert tool.main([str(doc), "--root", str(tmp_path)]) == 0   # now up to date


def test_a_missing_database_is_a_clear_error(tmp_path, capsys):
    tool, doc = _tool(), _doc(tmp_path)
    (tmp_path / "c.duckdb").unlink()
    before = doc.read_text()
    assert tool.main([str(doc), "--root", str(tmp_path), "--write"]) == 2
    err = capsys.readouterr().err
    assert "line 4: database" in err and "c.duckdb not found" in err
    assert doc.read_text() == before
