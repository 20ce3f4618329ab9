"""Run every example whose output a docs page shows and write that output into the page.

    .venv/bin/python tools/example_outputs.py

A page marks the block with ``<!-- example:NAME -->`` and ``<!-- /example -->`` around a fenced
block; NAME is ``examples/NAME.py``. tests/ops/test_examples.py checks the pages are current.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- example:(?P<name>[\w-]+) -->\n```\n)(?P<body>.*?)(```\n<!-- /example -->)",
                   re.S)


def run_example(name: str) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py")],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout


def blocks(text: str):
    return [(m.group("name"), m.group("body")) for m in BLOCK.finditer(text)]


def main() -> None:
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        if "<!-- example:" not in text:
            continue
        new = BLOCK.sub(lambda m: m.group(1) + run_example(m.group("name")) + m.group(4), text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"updated {page.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
