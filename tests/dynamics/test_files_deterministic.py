"""State files are deterministic: CREATION_DATE never comes from the wall clock.

Without an explicit ``creation_date`` the writers stamp ``SOURCE_DATE_EPOCH``
(reproducible-builds.org specification) when it is set, otherwise the message's first epoch;
writing the same message twice gives the same bytes.
"""

from __future__ import annotations

import numpy as np
import pytest

from rossim.errors import InputError
from rossim.files.oem import oem_from_states, read_oem, write_oem
from rossim.files.opm import OPM, read_opm, write_opm
from rossim.time import time_grid, to_time


def _opm() -> OPM:
    return OPM(object_name="ROS", object_id="2027-001A", center_name="EARTH", ref_frame="GCRF",
               time_system="UTC", epoch=to_time("2027-01-01T06:30:00"),
               r_m=np.array([6.75e6, 0, 0.0]), v_m_s=np.array([0, 7.68e3, 0.0]))


def _oem():
    t = time_grid("2027-03-01T12:00:00", 600.0, 60.0)
    n = len(t)
    r = np.column_stack([np.full(n, 6.75e6), np.arange(n) * 1e3, np.zeros(n)])
    v = np.tile([0.0, 7.68e3, 0.0], (n, 1))
    return oem_from_states(t, r, v, object_name="ROS", object_id="2027-001A")


def _creation_line(path) -> str:
    return next(ln for ln in path.read_text().splitlines() if ln.startswith("CREATION_DATE"))


def test_writing_twice_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name, make, write in (("a.opm", _opm, write_opm), ("a.oem", _oem, write_oem)):
        first, second = tmp_path / name, tmp_path / f"again-{name}"
        write(first, make())
        write(second, make())
        assert first.read_bytes() == second.read_bytes()
    # Stamped with the data's own first epoch.
    assert _creation_line(tmp_path / "a.opm") == "CREATION_DATE = 2027-01-01T06:30:00.000"
    assert _creation_line(tmp_path / "a.oem") == "CREATION_DATE = 2027-03-01T12:00:00.000"
    assert read_opm(tmp_path / "a.opm").creation_date.isot == "2027-01-01T06:30:00.000"


def test_source_date_epoch_sets_the_stamp(tmp_path, monkeypatch):
    # 1800000000 s after 1970-01-01 UTC (POSIX, no leap seconds) is 2027-01-15T08:00:00 UTC.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    write_opm(tmp_path / "s.opm", _opm())
    write_oem(tmp_path / "s.oem", _oem())
    assert _creation_line(tmp_path / "s.opm") == "CREATION_DATE = 2027-01-15T08:00:00.000"
    assert _creation_line(tmp_path / "s.oem") == "CREATION_DATE = 2027-01-15T08:00:00.000"
    assert read_oem(tmp_path / "s.oem").creation_date.isot == "2027-01-15T08:00:00.000"
    # An explicit creation date wins.
    opm = _opm()
    opm.creation_date = to_time("2026-12-31T23:00:00")
    write_opm(tmp_path / "e.opm", opm)
    assert _creation_line(tmp_path / "e.opm") == "CREATION_DATE = 2026-12-31T23:00:00.000"


def test_bad_source_date_epoch_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH.*yesterday"):
        write_opm(tmp_path / "x.opm", _opm())
    assert not (tmp_path / "x.opm").exists()
