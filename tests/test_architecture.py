"""Imports flow one way (docs/architecture.md): a package may import only from its own layer
or the layers below it. This test reads every module's imports with `ast`."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rossim"

# Lowest first. Keep in step with docs/architecture.md.
LAYERS: list[set[str]] = [
    {"__init__", "errors", "data", "constants"},
    {"fileio"},
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
