"""The Earth-orientation table rebuilt from rossim's cache is astropy's own table: same class,
columns, dtypes, units, masks, values (bit for bit) and meta (rossim.frames.eop_cache).
Reference: astropy's ``iers.IERS_Auto.read()`` of the files shipped in astropy-iers-data."""

import numpy as np
import pytest
from astropy.time import Time
from astropy.utils import iers

from rossim.frames import eop_cache
from rossim.frames.earth import earth_orientation_parameters


def _assert_same_table(a, b):
    assert type(a) is type(b)
    assert a.colnames == b.colnames
    for name in a.colnames:
        ca, cb = a[name], b[name]
        assert type(ca) is type(cb), name
        assert ca.dtype == cb.dtype, name
        assert getattr(ca, "unit", None) == getattr(cb, "unit", None), name
        va = np.asarray(getattr(ca, "value", ca))
        vb = np.asarray(getattr(cb, "value", cb))
        assert va.tobytes() == vb.tobytes(), name
        if hasattr(ca, "mask"):
            assert np.array_equal(np.asarray(ca.mask), np.asarray(cb.mask)), name
    assert dict(a.meta) == dict(b.meta)
    assert {k: type(v) for k, v in a.meta.items()} == {k: type(v) for k, v in b.meta.items()}


@pytest.fixture
def fresh_table(monkeypatch, tmp_path):
    """No table loaded in this process, an empty cache folder; restored afterwards."""
    monkeypatch.setattr(iers.IERS_Auto, "iers_table", None)
    monkeypatch.setenv("ROSSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_round_trip_is_astropys_table():
    table = iers.IERS_Auto.read()
    _assert_same_table(table, eop_cache.table_from_arrays(eop_cache.table_arrays(table)))


def test_second_process_reads_the_cache(fresh_table, monkeypatch):
    eop_cache.install()                     # first process: astropy parses, cache written
    parsed = iers.IERS_Auto.iers_table
    assert list(fresh_table.glob("iers-auto-*.npz"))
    monkeypatch.setattr(iers.IERS_Auto, "iers_table", None)   # a new process
    eop_cache.install()
    cached = iers.IERS_Auto.iers_table
    assert cached is not parsed
    _assert_same_table(parsed, cached)
    t = Time(["2027-03-01T00:00:00", "2031-07-15T12:00:00", "1999-01-01T00:00:00"],
             scale="utc")
    got = earth_orientation_parameters(t)
    monkeypatch.setattr(iers.IERS_Auto, "iers_table", parsed)
    want = earth_orientation_parameters(t)
    for g, w in zip(got, want, strict=True):
        assert g.tobytes() == w.tobytes()


def test_cache_off_leaves_astropy_alone(fresh_table, monkeypatch):
    monkeypatch.setenv("ROSSIM_CACHE_DIR", "off")
    eop_cache.install()
    assert iers.IERS_Auto.iers_table is None
