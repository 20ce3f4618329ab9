"""Every docs page the code, scenarios, tools and docs cite exists, and the shipped files
(package, scenarios, docs, README) cite nothing outside the repository.

Found by a newcomer: the shipped scenarios' comments cited the campaign page without its "s" (it is
docs/campaigns.md) and ``/work/shared/reference/ros-facts.md``, a path on the developers'
machine (the facts are docs/ros-facts.md)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITED = re.compile(r"docs/[A-Za-z0-9_.-]+\.md")


def _files(*tops: str):
    for top in tops:
        p = ROOT / top
        if p.is_file():
            yield p
            continue
        for f in p.rglob("*"):
            if f.suffix in (".py", ".toml", ".md", ".txt", ".html", ".js") and f.is_file():
                yield f


def test_every_cited_docs_page_exists():
    missing = sorted({(str(f.relative_to(ROOT)), m)
                      for f in _files("src", "tools", "scenarios", "tests", "docs", "README.md")
                      for m in CITED.findall(f.read_text(encoding="utf-8", errors="replace"))
                      if not (ROOT / m).exists()})
    assert not missing, missing


def test_shipped_files_cite_no_path_outside_the_repository():
    outside = sorted(str(f.relative_to(ROOT)) for f in _files("src", "scenarios", "docs",
                                                              "README.md")
                     if re.search(r"/work/shared|\.\./shared",
                                  f.read_text(encoding="utf-8", errors="replace")))
    assert not outside, outside
