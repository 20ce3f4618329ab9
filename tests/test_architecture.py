"""Imports flow one way (docs/architecture.md): a package may import only from its own layer
or the layers below it. This test reads every module's imports with `ast`."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rossim"

# Lowest first. Keep in step with docs/architecture.md.
LAYERS: list[set[str]] = [
    {"__init__", "errors", "data", "constants", "results"},
    {"fileinput"},
    {"outputcheck"},
    {"fileio"},
    {"jsonio"},
    {"cache"},
    {"time"},
    {"search"},
    {"config"},
    {"frames"},
    {"files"},
    {"environment"},
    {"dynamics"},
    {"station"},
    {"systems"},
    {"archive"},
    {"ops", "fleet"},
    {"analysis"},
    {"validation"},
    {"report", "serve"},
    {"campaign"},
    {"cli"},
]
LEVEL = {name: k for k, names in enumerate(LAYERS) for name in names}


def _top(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imported(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "rossim" and len(parts) > 1:
                out.add(parts[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "rossim" and len(parts) > 1:
                    out.add(parts[1])
    return out


def test_every_package_has_a_layer():
    for path in SRC.iterdir():
        if path.name.startswith((".", "_")) and path.name != "__init__.py":
            continue
        if path.is_dir() and not (path / "__init__.py").exists():
            continue  # data folders (catalog files, scenarios)
        assert path.name.removesuffix(".py") in LEVEL, f"{path.name}: add it to LAYERS"


def test_imports_flow_downwards():
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        top = _top(path)
        if top not in LEVEL:
            continue
        for target in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            if target not in LEVEL:
                bad.append(f"{path.relative_to(SRC)} imports unknown rossim.{target}")
            elif LEVEL[target] > LEVEL[top]:
                bad.append(f"{path.relative_to(SRC)} ({top}) imports rossim.{target} (higher)")
            elif LEVEL[target] == LEVEL[top] and target != top:
                bad.append(f"{path.relative_to(SRC)} ({top}) imports sibling rossim.{target}")
    assert not bad, "\n".join(bad)


# Figures are the presentation layer's (rossim.report, its figures/ package): no other
# package imports matplotlib, so a library user of analysis, fleet or ops never pulls in a
# plotting stack.
PLOTTING = "report"
# Files that still draw a figure while another branch reshapes them; each entry must still
# import matplotlib (test below), so the list empties itself: delete an entry once its figure
# is gone (empty: every figure lives in rossim.report).
PENDING_FIGURES: set[str] = set()


def _imports_matplotlib(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                 else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        if any(n.split(".")[0] == "matplotlib" for n in names):
            return True
    return False


def test_only_report_imports_matplotlib():
    bad, pending = [], set()
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if _top(path) == PLOTTING:
            continue
        if not _imports_matplotlib(ast.parse(path.read_text(encoding="utf-8"))):
            continue
        if rel in PENDING_FIGURES:
            pending.add(rel)
        else:
            bad.append(rel)
    assert not bad, "import matplotlib only in rossim.report (figures/): " + ", ".join(bad)
    assert pending == PENDING_FIGURES, (
        f"no figure left in {sorted(PENDING_FIGURES - pending)}: remove from PENDING_FIGURES")


def test_validation_is_imported_by_no_model():
    """rossim.validation (the comparisons against references) serves the tests and the docs
    tools; nothing in the package imports it, the command line included."""
    bad = [str(path.relative_to(SRC)) for path in sorted(SRC.rglob("*.py"))
           if _top(path) != "validation"
           and "validation" in _imported(ast.parse(path.read_text(encoding="utf-8")))]
    assert not bad, "imports rossim.validation: " + ", ".join(bad)


#: issue #18 ("a codebase to live in"): no source file over this many lines
MAX_LINES = 500
#: the mission-control page's own JavaScript (ES modules, no bundler; docs/mission-control.md)
WEB_PLUGIN = SRC.parents[1] / "web" / "rossim-plugin"


def _source_files() -> list[Path]:
    """rossim's Python modules and the page plugin's JavaScript files."""
    return sorted(SRC.rglob("*.py")) + sorted(WEB_PLUGIN.glob("*.js"))


def test_no_source_file_over_500_lines():
    """A newcomer reads one concern per module: split a module along its concerns (re-export
    moved names from the old module) before it grows past :data:`MAX_LINES` lines."""
    long = {}
    for path in _source_files():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            long[str(path.relative_to(SRC.parents[1]))] = n
    assert not long, f"files over {MAX_LINES} lines (split them along their concerns): {long}"


def test_the_line_cap_sees_the_page_plugin():
    """The cap covers web/rossim-plugin/*.js: the glob finds the plugin's files (a moved
    folder would otherwise leave the JavaScript unchecked)."""
    names = {p.name for p in _source_files() if p.suffix == ".js"}
    assert {"plugin.js", "objects.js", "telemetry.js"} <= names, names
