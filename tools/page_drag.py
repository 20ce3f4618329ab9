"""Render docs/drag.md (``make docs``): the ISS decay over five periods of the solar cycle
with three atmosphere models, and the fitted ballistic coefficient out of sample. The page is
the one ``rossim decay --table -o docs/drag.md`` writes
(:func:`rossim.analysis.drag_validation.drag_page` generates the whole text; the template
is that one field)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "docs" / "drag.md"
TEMPLATE = HERE / "templates" / "drag.md"
DATA = HERE.parent / "tests" / "data" / "iss"


def render() -> str:
    from rossim.analysis import drag_validation as dv

    page = dv.drag_page(dv.drag_table(DATA, step_s=120.0, fit_days=42.0))
    return TEMPLATE.read_text(encoding="utf-8").format(page=page)
