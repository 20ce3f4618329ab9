"""Generated docs pages are what their templates and the models give.

``make docs`` (tools/make_docs.py) renders each ``tools/page_<name>.py``'s template with
figures from fresh runs. Two ways it went wrong unseen: docs/coverage.md was edited by hand
(three paragraphs the template lacked: the next ``make docs`` would have dropped them), and
docs/trade-study.md kept figures of 356 commits before (12.3 m/s of reboost a year for ros-97
where ``rossim trade`` printed 12.1; 10 alarms for ros-51.6 where it printed 11), found by a
newcomer. The static test matches every page against its template with each ``{field}`` any
text; the ``slow`` one renders the trade study (the page whose figures come from the
operations model, the one that changes most) and compares it whole.
"""

from __future__ import annotations

import importlib.util
import re
import string
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "tools").glob("page_*.py"))


def _page(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append("(?s:.*?)")
    return re.compile("".join(parts), re.DOTALL)


def test_the_generated_pages_are_found():
    assert {p.stem for p in PAGES} >= {"page_coverage", "page_trade_study", "page_validation"}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_a_generated_page_is_its_template_filled(path):
    page = _page(path)
    text = page.OUTPUT.read_text(encoding="utf-8")
    template = page.TEMPLATE.read_text(encoding="utf-8")
    assert _pattern(template).fullmatch(text), (
        f"{page.OUTPUT.relative_to(ROOT)} differs from {page.TEMPLATE.relative_to(ROOT)} "
        "outside its fields: edit the template, then `python tools/make_docs.py "
        f"{path.stem.removeprefix('page_')}`")


def test_a_hand_edit_is_seen():
    """The check itself: a sentence added outside the fields does not match."""
    page = _page(ROOT / "tools" / "page_coverage.py")
    text = page.OUTPUT.read_text(encoding="utf-8")
    pattern = _pattern(page.TEMPLATE.read_text(encoding="utf-8"))
    assert pattern.fullmatch(text)
    assert not pattern.fullmatch(text.replace("(grey: never seen).", "(grey: never seen). "
                                              "A sentence added by hand.", 1))


@pytest.mark.slow
def test_the_trade_study_page_has_todays_figures():
    page = _page(ROOT / "tools" / "page_trade_study.py")
    assert page.render() == page.OUTPUT.read_text(encoding="utf-8"), (
        "docs/trade-study.md is stale: `python tools/make_docs.py trade_study`")
