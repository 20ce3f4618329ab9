"""Render docs/validation.md from tools/templates/validation.md (``make docs``).

Each section is ``section()`` of one ``tools/docs_<area>.py`` (Markdown), computed by running
rossim against its external references; the comparisons themselves are in
:mod:`rossim.validation`, the same functions the tests assert with their tolerances.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "docs" / "validation.md"
TEMPLATE = HERE / "templates" / "validation.md"


def _section(area: str) -> str:
    """``tools/docs_<area>.py``'s ``section()``, trailing white space removed."""
    path = HERE / f"docs_{area}.py"
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    t0 = time.perf_counter()
    print(f"== {path.stem}", flush=True)
    text = module.section().rstrip()
    print(f"   {time.perf_counter() - t0:.1f} s", flush=True)
    return text


def render() -> str:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    fields = {
        "dose": _section("dose"),
        "environment": _section("environment"),
        "fleet": _section("fleet"),
        "iss_decay": _section("iss_decay"),
        "drag_table": _section("drag_table"),
        "launch_coverage": _section("launch_coverage"),
        "operations": _section("operations"),
        "propagation": _section("propagation"),
        "robustness": _section("robustness"),
        "station": _section("station"),
    }
    return TEMPLATE.read_text(encoding="utf-8").format(**fields)


if __name__ == "__main__":
    print(render())
