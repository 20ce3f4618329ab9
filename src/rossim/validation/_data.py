"""Where the reference data live: the repository's ``tests/data`` (a source checkout), or the
folder named by the environment variable ``ROSSIM_REFERENCE_DATA``."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

_REPO_DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


def reference_data(*parts: str) -> Path:
    """Path of ``tests/data/<parts...>``. Raises ``FileNotFoundError`` naming the folder when
    the reference data are not there (an installed package without the repository)."""
    root = Path(os.environ.get("ROSSIM_REFERENCE_DATA", _REPO_DATA))
    if not root.is_dir():
        raise FileNotFoundError(f"reference data folder {root} not found: run from a source "
                                "checkout or set ROSSIM_REFERENCE_DATA")
    return root.joinpath(*parts)


def read_json(*parts: str) -> Any:
    return json.loads(reference_data(*parts).read_text(encoding="utf-8"))


def read_csv(*parts: str) -> list[dict[str, str]]:
    """Rows of a CSV fixture whose header comment lines start with ``#``."""
    lines = [ln for ln in reference_data(*parts).read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")]
    return list(csv.DictReader(lines))
