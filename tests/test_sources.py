"""Sources that resolve (issue 18): every ``source`` field of the catalog TOMLs and of the
shipped scenarios starts with keys of docs/sources.md (``key [+ key ...] [locator][: detail]``),
and the bibliography's in-repository addresses exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES_MD = ROOT / "docs" / "sources.md"
FILES = sorted((ROOT / "src" / "rossim" / "config" / "catalog").glob("*.toml")) + sorted(
    (ROOT / "scenarios").glob("*.toml"))
KEYS = re.compile(r"^(?P<keys>[a-z0-9][a-z0-9.-]*(?: \+ [a-z0-9][a-z0-9.-]*)*)(?=$|[: ])")


def bibliography() -> set[str]:
    text = SOURCES_MD.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z0-9][a-z0-9.-]*)` \|", text, flags=re.M))


def sources(x, where: str):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "source" and isinstance(v, str):
                yield where, v
            else:
                yield from sources(v, f"{where}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from sources(v, f"{where}[{i}]")


def test_every_source_names_a_key_of_the_bibliography():
    keys = bibliography()
    assert {"estimate", "derived", "ros-facts", "nasa-std-3001"} <= keys
    bad, n = [], 0
    for path in FILES:
        for where, text in sources(tomllib.loads(path.read_text(encoding="utf-8")), path.name):
            n += 1
            m = KEYS.match(text)
            unknown = [k for k in m.group("keys").split(" + ") if k not in keys] if m else [text]
            if unknown:
                bad.append(f"{where}: {text[:60]!r} (unknown: {', '.join(unknown)[:40]})")
    assert n > 300  # the catalog and the scenarios were read
    assert not bad, f"{len(bad)} sources without a key of docs/sources.md: " + "; ".join(bad[:20])


def test_no_source_points_at_a_file_outside_the_repository():
    for path in FILES:
        for where, text in sources(tomllib.loads(path.read_text(encoding="utf-8")), path.name):
            assert "ros-facts.md" not in text and "../shared" not in text, (where, text)


def test_in_repository_addresses_exist():
    text = SOURCES_MD.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", text)
    assert links
    for link in links:
        assert (SOURCES_MD.parent / link).resolve().exists(), link
