"""Pages that describe code structures stay in step with the code."""

from pathlib import Path

from rossim.archive.store import SCHEMA

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_archive_page_lists_every_table_and_column():
    text = (DOCS / "archive.md").read_text(encoding="utf-8")
    for name, cols in SCHEMA.items():
        assert f"## `{name}`" in text, name
        for col, sql_type, _ in cols:
            assert f"| `{col}` | {sql_type} |" in text, (name, col)
