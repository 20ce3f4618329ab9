"""Regenerate the generated docs pages from the models (``make docs``).

One mechanism renders every page: ``tools/page_<name>.py`` names its ``OUTPUT`` (docs/) and
``TEMPLATE`` (tools/templates/), and ``render()`` fills the template's ``{fields}`` with
figures computed by running rossim (the comparisons against references come from
:mod:`rossim.validation`, the same functions the tests assert). docs/validation.md is one of
them (``page_validation.py``, one section per ``tools/docs_<area>.py``). Pages are written
atomically, whole; figures in them are therefore always the measured ones. Last, the outputs
of ``examples/*.py`` shown in the pages are refreshed (``example_outputs.py``).

    python tools/make_docs.py                 # every page, then the example outputs
    python tools/make_docs.py dose validation  # only docs/dose.md and docs/validation.md
    python tools/make_docs.py examples         # only the example outputs
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from rossim.fileio import atomic_write_text  # noqa: E402

PAGES = sorted(HERE.glob("page_*.py"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    names = {p.stem.removeprefix("page_"): p for p in PAGES}
    wanted = {w.removeprefix("page_") for w in argv}
    unknown = wanted - set(names) - {"examples"}
    if unknown:
        print(f"make_docs: unknown page {', '.join(sorted(unknown))}: expected one of "
              f"{', '.join(sorted(names))} or examples", file=sys.stderr)
        return 2
    for name, path in names.items():
        if wanted and name not in wanted:
            continue
        module = _load(path)
        t0 = time.perf_counter()
        atomic_write_text(module.OUTPUT, module.render())
        print(f"wrote {module.OUTPUT.relative_to(ROOT)} ({time.perf_counter() - t0:.1f} s)",
              flush=True)
    if not wanted or "examples" in wanted:  # the outputs docs pages show of examples/*.py
        _load(HERE / "example_outputs.py").main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
