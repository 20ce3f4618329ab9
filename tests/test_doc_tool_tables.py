"""Tables in hand-written docs pages that a developer tool prints (not a ``rossim`` command,
so not in tools/doc_figures.toml) are what the tool prints today.

Found by a newcomer: docs/operations.md's forecast-against-run table (attitude 2,317 / 2,334,
phasing 326 / 329) no longer matched ``tools/propellant_forecast_check.py`` (2,319 / 2,336,
325 / 327) while docs/validation.md already had the run's current figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (tool argv after the interpreter, page, first line of the table on the page)
TABLES = [
    (["tools/propellant_forecast_check.py"], "docs/operations.md",
     "| cause | forecast kg | run kg | forecast / run |"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("argv", "page", "head"), TABLES)
def test_the_page_shows_the_table_the_tool_prints(argv, page, head):
    out = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    start = out.index(head)
    printed = [ln for ln in out[start:] if ln.startswith("|")]
    text = (ROOT / page).read_text(encoding="utf-8").splitlines()
    at = text.index(head)
    shown = []
    for ln in text[at:]:
        if not ln.startswith("|"):
            break
        shown.append(ln)
    assert shown == printed
