"""The documentation says what the program does: the README's ``rossim validate`` example is
what the command prints (it showed "a free port at 2028-12-20 00:00", not the real time) and
docs/operations.md describes ``.rossim.lock`` as it is (it said "empty"; it holds the PID)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from rossim.cli.main import main
from rossim.fileio import output_set

ROOT = Path(__file__).resolve().parents[2]


def test_readme_validate_example_is_the_real_output(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ sed '(s/[^']*)' scenarios/ros-51\.6\.toml > my\.toml\n"
                      r"\$ rossim validate my\.toml\n(rossim: error: [^\n]*)\n```", readme)
    assert block, "README: the validate example block"
    _, old, new, _ = block.group(1).split("/")
    text = (ROOT / "scenarios" / "ros-51.6.toml").read_text(encoding="utf-8")
    assert old in text
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["validate", "my.toml"]) == 2
    assert capsys.readouterr().err == block.group(2) + "\n"


def test_operations_doc_says_the_lock_holds_the_pid(tmp_path):
    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    item = re.search(r"- `\.rossim\.lock`:(.*?)(?:\n- |\n\n)", doc, re.S).group(1)
    assert "empty" not in item and "PID" in item, item
    with output_set(tmp_path / "out", ["a.txt"]) as out:
        (out / "a.txt").write_text("x")
    assert (tmp_path / "out" / ".rossim.lock").read_text() == str(os.getpid())
