"""Validation page section: the bad-input promise measured by the mutation campaign
(``tools/fuzz.py``, ``make fuzz``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS_PER_FAMILY = 400


def _fuzz():
    spec = importlib.util.spec_from_file_location("fuzz", HERE / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def section() -> str:
    summary = _fuzz().campaign(RUNS_PER_FAMILY)
    total = sum(s["runs"] for s in summary.values())
    kept = sum(s["kept"] for s in summary.values())
    lines = [
        "## Bad input: one line, exit 2, nothing unbounded (mutation campaign)",
        "",
        "`make fuzz` (`tools/fuzz.py`, seed 17) mutates valid inputs the way issue 17's "
        "campaigns did - state files (the OMM, OEM, OPM, TLE and NDM/XML inputs of "
        "`tests/data/cases`: a value replaced by NaN, infinities, huge or empty values, "
        "booleans, dates of year 1 or 9999, quotes; lines deleted, repeated, swapped, cut; "
        "characters replaced, line separators included), the reference scenario "
        "`ros-51.6.toml` (same mutations, `rossim validate`), and one option value of "
        "`propagate`, `eclipse`, `passes`, `dose`, `launch` or `fleet` - and runs the command. "
        "A run keeps the promise when it ends with exit 0 and a valid result (strict JSON for "
        "`--json`) or exit 2 with exactly one line on stderr; anything else (exit 1, a "
        "traceback, several lines, NaN in JSON, no end within 120 s) is counted as broken. "
        "The per-case tests are in `tests/hardening/` (one per case folder), the "
        "property-based ones in `tests/hardening/test_fuzz.py`.",
        "",
        "| family | runs | exit 0 | exit 2 (one line) | broken | kept |",
        "|---|---|---|---|---|---|",
    ]
    for family, s in summary.items():
        lines.append(f"| {family} | {s['runs']} | {s['exit0']} | {s['exit2']} | "
                     f"{len(s['broken'])} | {100.0 * s['kept'] / s['runs']:.1f} % |")
    lines += ["", f"Total: {kept} of {total} runs kept the promise "
              f"({100.0 * kept / total:.1f} %; the target of issue 17 is 99.5 %)."]
    for family, s in summary.items():
        for args, why in s["broken"][:5]:
            lines.append(f"- broken ({family}): `{' '.join(a[:40] for a in args)}`: {why}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(section())
