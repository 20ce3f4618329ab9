"""A station at or below the ships' insertion orbit is refused naming the scenario field the
user wrote (newcomer's report: ros-51.6 with ``altitude_km = 180`` gave "argument: insertion
altitude = 200.0; expected an insertion altitude below the station's 180 km", a value the
user never wrote). Reference: Soyuz/Progress insertion orbit of about 200 km (catalog
launchers.toml, Soyuz-2.1a ``leo_altitude_km``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rossim.cli.main import main
from rossim.station.windows import INSERTION_ALTITUDE_KM

ROS = Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml"


def _write(tmp_path, alt, band):
    text = ROS.read_text()
    text = re.sub(r"(?m)^altitude_km = .*$", f"altitude_km = {alt}", text, count=1)
    text = re.sub(r"(?m)^altitude_band_km = .*$", f"altitude_band_km = {band}", text, count=1)
    p = tmp_path / f"low-{alt}.toml"
    p.write_text(text)
    return p


@pytest.mark.parametrize("alt, band", [(180, "[175, 190]"), (200, "[195, 210]")])
def test_station_not_above_insertion_orbit_names_orbit_altitude(tmp_path, capsys, alt, band):
    p = _write(tmp_path, alt, band)
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert "orbit.altitude_km" in err and f"= {alt:.1f}" in err
    assert f"{INSERTION_ALTITUDE_KM:g} km insertion orbit" in err
    assert "argument" not in err and "Traceback" not in err
