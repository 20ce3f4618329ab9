"""Template pages (tools/page_*.py + tools/templates/*.md) are well formed; no model is run.

For every renderer: it names an ``OUTPUT`` under docs/ and a ``TEMPLATE`` that exists; the
template parses as a ``str.format`` string (a stray ``{`` or ``}`` raises here, not in the
middle of ``make docs``); every placeholder has a simple field name that the renderer's source
supplies (as a dict key ``"name":`` or a keyword ``name=``), so ``render()`` can fill it.
"""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools"
PAGES = sorted(TOOLS.glob("page_*.py"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"_test_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)  # renderers import the models only inside render()
    return module


def _fields(text: str) -> list[tuple[str, str]]:
    """(root name, full field) of every placeholder; raises ValueError on a stray brace."""
    out = []
    for _literal, field, spec, _conv in string.Formatter().parse(text):
        if field is None:
            continue
        root = re.match(r"[^.\[]*", field).group(0)
        out.append((root, field))
        if spec:  # nested placeholders in the format spec
            out += _fields(spec)
    return out


def test_there_are_pages():
    assert PAGES, "no tools/page_*.py found"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_template_placeholders_are_fillable(page: Path):
    module = _load(page)
    assert callable(module.render)
    out = Path(module.OUTPUT)
    assert out.parent == ROOT / "docs" and out.suffix == ".md"
    template = Path(module.TEMPLATE)
    assert template.is_file(), template
    text = template.read_text(encoding="utf-8")
    fields = _fields(text)  # ValueError: a single '{' or '}' that is not a placeholder
    assert fields, f"{template.name} has no placeholders: nothing is generated"
    source = page.read_text(encoding="utf-8")
    for root, field in fields:
        assert re.fullmatch(r"[A-Za-z_]\w*", root), (
            f"{template.name}: placeholder {{{field}}} is not a named field (positional or "
            "empty fields, or a stray brace pair)")
        supplied = re.search(rf"""["']{root}["']\s*:|\b{root}\s*=""", source)
        assert supplied, f"{template.name}: {{{field}}} is not supplied by {page.name}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_template_has_no_escaped_braces(page: Path):
    # Literal braces must be written {{ }} in a template; none of the pages needs them, so a
    # doubled brace is most likely a placeholder typed wrongly.
    text = Path(_load(page).TEMPLATE).read_text(encoding="utf-8")
    assert "{{" not in text and "}}" not in text


def test_state_files_page_is_its_template_rendered():
    """docs/state-files.md is made by tools/page_state_files.py from its template (1 s, no
    model run): an edit made to the page alone is lost at the next `make docs` (two paragraphs
    on SGP4 failures were, until 2026-12-02), so the committed page must equal the render."""
    module = _load(TOOLS / "page_state_files.py")
    assert module.render() == (ROOT / "docs" / "state-files.md").read_text(encoding="utf-8"), \
        "docs/state-files.md differs from its template: edit tools/templates/state-files.md " \
        "and run `python tools/make_docs.py state_files`"
