"""Kind 1 of issue 17: a physical outcome (re-entry, a sub-orbital state, SGP4 failing
part-way, MSIS outside its F10.7 range) is a result: what is valid is written, the one stderr
line says what happened and when, the exit code is the documented 2 (EXIT_ENDED_EARLY for a
cut result), and ``--json`` stays strict JSON (no NaN).

Cases: tests/data/cases/field/{propagate-reentry, tle-decayed-silent, msis-extreme-f107,
passes-clipped-unflagged, dose-altitude-100-equator} and tests/data/cases/rel/
{sgp4-failure-nan-output, suborbital-state-propagationerror}; expected values from their
READMEs (python-sgp4 2.27, Skyfield 1.55, pymsis 0.13) or from a peer library called here.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from _hardening_util import one_line
from astropy.time import Time


def _strict_json(text: str):
    def refuse(c):
        raise AssertionError(f"non-JSON constant {c}")

    return json.loads(text, parse_constant=refuse)


def _oem_last(path):
    lines = [ln for ln in open(path, encoding="utf-8") if ln[:2].isdigit()]
    parts = lines[-1].split()
    return Time(parts[0], scale="utc"), np.array([float(x) for x in parts[1:7]]) * 1e3


def test_propagate_reentry_writes_oem_up_to_the_crossing(case, cli):
    """field/propagate-reentry: README: the re-entry lies between 12 h and 24 h after the
    2024-05-29T12:00Z epoch; expected "write the OEM up to the crossing of 80 km, print the
    re-entry epoch, exit 0 or 2" (Orekit AltitudeDetector behaviour)."""
    from astropy import units as u
    from astropy.coordinates import GCRS, ITRS, CartesianRepresentation

    case("field/propagate-reentry")
    # The README's 80 km (Orekit's AltitudeDetector setting of the report): the re-entry
    # altitude is the user's (--reentry-altitude; default 120 km, test below).
    rc, out, err = cli("propagate", "--initial", "reentry.tle", "--duration", "1d", "--step",
                       "10min", "--area", "5", "--mass", "500", "--drag", "nrlmsise00",
                       "--reentry-altitude", "80", "-o", "reentry.oem")
    assert rc == 2
    line = one_line(err)
    assert "re-entry" in line and "reentry.oem" in line
    t_end, state = _oem_last("reentry.oem")
    assert Time("2024-05-30T00:00:00") < t_end < Time("2024-05-30T12:00:00")
    assert t_end.isot[:19] in line
    # The last state is the 80 km crossing: checked with astropy's own EME2000 -> ITRS chain
    # and WGS84 (independent of rossim's frames), to 0.2 km (frame-bias and EOP differences
    # are metres; the tolerance covers the 1 ms bisection at ~200 m/s descent).
    bias = __import__("erfa").bp00(2451545.0, 0.0)[0]
    r_gcrf = bias.T @ state[:3]
    gcrs = GCRS(CartesianRepresentation(*(r_gcrf * u.m)), obstime=t_end)
    itrs = gcrs.transform_to(ITRS(obstime=t_end))
    from astropy.coordinates import EarthLocation

    loc = EarthLocation.from_geocentric(*itrs.cartesian.xyz)
    assert abs(loc.to_geodetic("WGS84").height.to_value(u.km) - 80.0) < 0.2


def _geodetic_height_km(t_end, state) -> float:
    """WGS84 height (km) of an OEM state (EME2000, m) with astropy's own frames."""
    from astropy import units as u
    from astropy.coordinates import GCRS, ITRS, CartesianRepresentation, EarthLocation

    bias = __import__("erfa").bp00(2451545.0, 0.0)[0]
    r_gcrf = bias.T @ state[:3]
    gcrs = GCRS(CartesianRepresentation(*(r_gcrf * u.m)), obstime=t_end)
    itrs = gcrs.transform_to(ITRS(obstime=t_end))
    loc = EarthLocation.from_geocentric(*itrs.cartesian.xyz)
    return float(loc.to_geodetic("WGS84").height.to_value(u.km))


def test_iss_without_reboosts_ends_with_a_reentry_result(case, cli):
    """own/iss-no-reboost (issue 19: "fails at day 525 with 'drag density iteration did not
    converge' instead of a re-entry"): README: exit 2 with the re-entry as a result, the OEM
    up to the 120 km crossing (default), on 2023-06-26 within an hour of the uninterrupted
    propagation's 13:18:56Z."""
    case("own/iss-no-reboost")
    rc, out, err = cli("propagate", "--initial", "iss_2023-06-14.opm", "--duration", "30d",
                       "--step", "1h", "--drag", "nrlmsise00", "--f107", "150", "--ap", "15",
                       "-o", "iss.oem", "--json")
    assert rc == 2
    line = one_line(err)
    assert "re-entry (altitude 120 km)" in line and "iss.oem" in line
    assert "converge" not in err
    data = _strict_json(out)
    assert data["ended_early"]["reason"] == "reentry"
    t_end, state = _oem_last("iss.oem")
    assert abs((t_end - Time("2023-06-26T13:18:56")).to_value("h")) < 1.0
    assert abs(_geodetic_height_km(t_end, state) - 120.0) < 0.2


def test_reentry_altitude_flag_moves_the_end_and_is_checked(case, cli):
    """field/propagate-reentry with --reentry-altitude 150: the OEM ends at the 150 km
    crossing (astropy's frames, 0.2 km), before the default 120 km one; out-of-range values
    are refused naming the option (exit 2)."""
    case("field/propagate-reentry")
    argv = ("propagate", "--initial", "reentry.tle", "--duration", "1d", "--step", "10min",
            "--area", "5", "--mass", "500", "--drag", "nrlmsise00")
    rc, _, _ = cli(*argv, "-o", "d.oem")
    assert rc == 2
    t_default, state = _oem_last("d.oem")
    assert abs(_geodetic_height_km(t_default, state) - 120.0) < 0.2
    rc, _, err = cli(*argv, "--reentry-altitude", "150", "-o", "h.oem")
    assert rc == 2 and "re-entry (altitude 150 km)" in one_line(err)
    t_high, state = _oem_last("h.oem")
    assert abs(_geodetic_height_km(t_high, state) - 150.0) < 0.2
    assert t_high < t_default
    for bad in ("60", "1000", "nan"):
        rc, _, err = cli(*argv, "--reentry-altitude", bad, "-o", "x.oem")
        assert rc == 2 and "--reentry-altitude" in one_line(err)


def test_propagate_reentry_json_is_strict_and_says_when(case, cli):
    case("field/propagate-reentry")
    rc, out, err = cli("propagate", "--initial", "reentry.tle", "--duration", "1d", "--step",
                       "1h", "--area", "5", "--mass", "500", "--drag", "nrlmsise00",
                       "-o", "r.oem", "--json")
    assert rc == 2
    data = _strict_json(out)
    assert data["ended_early"]["reason"] == "reentry"
    assert data["ended_early"]["epoch"].startswith("2024-05-30T")


def _sgp4_first_failure_min(line1: str, line2: str) -> float:
    """Peer reference: python-sgp4's own error code, scanned every 0.1 min then bisected."""
    from sgp4.api import WGS72, Satrec

    sat = Satrec.twoline2rv(line1, line2, WGS72)
    t = 0.0
    while sat.sgp4_tsince(t)[0] == 0:
        t += 0.1
    lo, hi = t - 0.1, t
    while hi - lo > 1e-6:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if sat.sgp4_tsince(mid)[0] == 0 else (lo, mid)
    return hi


@pytest.mark.parametrize("command", ["eclipse", "passes"])
def test_decayed_elements_end_the_results_with_a_notice(case, cli, command):
    """field/tle-decayed-silent: python-sgp4 2.27 returns error 1 from 611.33 min after the
    epoch = 2015-08-11T17:23:20Z; the command must say so and the JSON must not carry NaN."""
    folder = case("field/tle-decayed-silent")
    rc, out, err = cli(command, "--initial", "decay.tle", "--duration", "1d", "--json")
    assert rc == 2
    line = one_line(err)
    assert "SGP4 error 1" in line
    data = _strict_json(out)
    cut = Time(data["ended_early"]["epoch"].rstrip("Z"))
    epoch = Time("2015-08-11T07:12:00")
    # README figure (0.01 min resolution) ...
    assert abs((cut - epoch).to_value("min") - 611.33) < 0.01
    # ... and python-sgp4 itself, to 1 ms.
    l1, l2 = [ln.rstrip() for ln in (folder / "decay.tle").read_text().splitlines()
              if ln[:2] in ("1 ", "2 ")]
    ref_min = _sgp4_first_failure_min(l1, l2)
    assert abs((cut - epoch).to_value("s") - ref_min * 60.0) < 1e-3
    # the results end at the last instant SGP4 works, within 1 ms before the failure named
    end = Time(data["end"].rstrip("Z"))
    assert 0.0 <= (cut - end).to_value("s") <= 1e-3
    from sgp4.api import WGS72, Satrec
    sat = Satrec.twoline2rv(l1, l2, WGS72)
    assert sat.sgp4_tsince((end - epoch).to_value("min"))[0] == 0
    items = data["eclipses"] if command == "eclipse" else data["passes"]
    key = "exit" if command == "eclipse" else "los"
    assert all(Time(x[key].rstrip("Z")) <= end for x in items)
    # an interval still open at the end is clipped by it, not closed by the failure
    clipped = "exit_clipped" if command == "eclipse" else "los_clipped"
    assert all(x[clipped] for x in items if Time(x[key].rstrip("Z")) == end)


@pytest.mark.parametrize("argv", [
    ("eclipse", "--initial", "bstar.tle", "--duration", "6h"),
    ("eclipse", "--initial", "ecc0999.omm", "--duration", "6h"),
    ("passes", "--initial", "ecc0999.omm", "--duration", "6h"),
])
def test_sgp4_failure_is_named_not_nan(case, cli, argv):
    """rel/sgp4-failure-nan-output: expected exit 2 naming the SGP4 error and the time, no
    ``nan`` in the output and no invented eclipse/pass counts (README: 26 eclipses and 102
    passes in 6 h were printed for e = 0.999)."""
    case("rel/sgp4-failure-nan-output")
    rc, out, err = cli(*argv)
    assert rc == 2
    line = one_line(err)
    assert "SGP4 error" in line and "from 2023-04-25T" in line
    assert "nan" not in out.lower()
    if argv[:3] == ("eclipse", "--initial", "ecc0999.omm"):
        # the eclipse the re-entry cuts 3.7 ms after its entry is in seconds, not "0.00 min"
        assert "0.00 min" not in out and "│ 0.00373 s │" in out
    rc, out, err = cli(*argv, "--json")
    data = _strict_json(out)
    items = data.get("eclipses", data.get("passes"))
    assert len(items) <= 1
    # ecc0999.omm stops SGP4 with error 6 (inside the Earth): it re-entered at its last
    # descent through 120 km, which the report says along with the SGP4 error
    if "ecc0999.omm" in argv:
        assert data["ended_early"]["reason"] == "reentry"
        assert "until SGP4 fails" in data["ended_early"]["detail"]
        assert "SGP4 error 6" in data["ended_early"]["detail"]
    # bstar.tle fails within a millisecond of its epoch: the valid span is empty and so are
    # the results (an 0.5 ms "eclipse" closed by the failure was printed before)
    if "bstar.tle" in argv:
        assert data["end"] == data["start"] and items == []
    # an interval reaching the end of the valid span is clipped there
    end_key, clip = (("exit", "exit_clipped") if "eclipses" in data else ("los", "los_clipped"))
    assert all(x[clip] for x in items if x[end_key] == data["end"])


@pytest.mark.parametrize("days, noted", [("2d", False), ("30d", True)])
def test_results_far_past_the_element_epoch_are_noted(case, cli, days, noted):
    """One element set's SGP4 results past 3 days from its epoch carry a note that they are
    indicative (a year of passes was printed as predictions; the ISS's sets drift by a
    median 24 km in 3 days: rossim.validation.sgp4.element_set_drift_km)."""
    case("field/tle-squeezed-whitespace")
    rc, out, err = cli("passes", "--initial", "original.tle", "--duration", days, "--json")
    assert rc == 0
    note = [ln for ln in err.splitlines() if ln.startswith("rossim: note:")]
    if noted:
        assert len(note) == 1 and "30.0 days after the element set's epoch" in note[0]
        assert "indicative" in note[0]
    else:
        assert note == []


def test_suborbital_state_is_a_reentry_result(case, cli):
    """rel/suborbital-state-propagationerror: a state with 0.17 km/s falls back at once:
    expected exit 2 with one line saying it re-enters, not an internal error."""
    case("rel/suborbital-state-propagationerror")
    rc, out, err = cli("eclipse", "--initial", "suborbital.opm", "--duration", "6h", "--json")
    assert rc == 2
    # the file named, as an element set's outcome is (a newcomer's re-run of the rel-cases)
    assert one_line(err).startswith("rossim: ended early: suborbital.opm: re-entry (altitude "
                                    "120 km) from 2022-01-17T12:")
    data = _strict_json(out)
    assert data["ended_early"]["reason"] == "reentry"
    # Free fall from ~6,800 km radius with 0.17 km/s: it reaches 80 km within an hour.
    assert (Time(data["end"].rstrip("Z")) - Time("2022-01-17T12:00:00")).to_value("h") < 1.0


@pytest.mark.parametrize("extra, fragment", [
    (("--duration", "1e-9s", "--step", "1e-9s"), "--duration"),
    (("--duration", "1h", "--step", "60s", "--drag", "nrlmsise00", "--space-weather",
      "constant", "--f107", "0"), "--f107"),
    (("--duration", "1h", "--step", "60s", "--burn", "2022-01-17T12:30:00 lvlh 1e300 0 0"),
     "--burn"),
])
def test_suborbital_case_bad_arguments_named(case, cli, extra, fragment):
    """rel/suborbital-state-propagationerror, the three argument mutants: expected exit 2
    naming the option (``--duration ... expected at least``, ``--f107 = 0; expected > 0``,
    ``--burn ... expected a finite, plausible delta-v``)."""
    case("rel/suborbital-state-propagationerror")
    rc, out, err = cli("propagate", "--initial", "opm.txt", *extra, "-o", "x.oem")
    assert rc == 2
    line = one_line(err)
    assert fragment in line and "expected" in line


@pytest.mark.parametrize("f107", ["450", "600", "700", "1000"])
def test_msis_f107_outside_the_model_range_refused(case, cli, f107):
    """field/msis-extreme-f107: MSIS leaves its fit above ~400 sfu (pymsis' burst threshold,
    SWxTREC/pymsis PR #46; pymsis 0.13 gives NaN from 750 sfu): expected exit 2, one line."""
    import os

    case("field/msis-extreme-f107")
    rc, out, err = cli("propagate", "--initial", "ros.opm", "--duration", "1h", "--step", "1h",
                       "--drag", "msis2.1", "--f107", f107, "--gravity", "j2", "-o", "f.oem")
    assert rc == 2
    assert "--f107" in one_line(err) and "400" in one_line(err)
    assert not os.path.exists("f.oem")


def test_msis_f107_range_is_the_model_range_in_the_api():
    """Same kind through the API: the constant-weather object refuses what MSIS cannot use,
    and pymsis itself shows why (NaN at 1000 sfu at 400 km)."""
    import pymsis

    from rossim.environment.spaceweather import ConstantWeather
    from rossim.errors import InputError

    ConstantWeather(400.0, 400.0, 15.0)
    for bad in (400.5, 1000.0, 49.0, float("nan"), True):
        with pytest.raises(InputError):
            ConstantWeather(bad, 150.0, 15.0)
    rho = pymsis.calculate(np.datetime64("2027-03-01T00:00"), 0.0, 0.0, 400.0, 1000.0, 1000.0,
                           np.full((1, 7), 15.0), version=2.1)
    assert np.isnan(np.asarray(rho)[..., 0]).all()


def test_passes_cut_by_the_span_are_marked(case, cli):
    """field/passes-clipped-unflagged: Skyfield 1.55 (1 s scan, 10 deg mask) gives five
    windows, the first starting at the span start and the last ending at the span end, with
    maxima 69.138, 24.494, 69.155, 24.487 deg; expected aos_clipped/los_clipped in JSON and
    a (span start)/(span end) mark in the table."""
    case("field/passes-clipped-unflagged")
    argv = ("passes", "--initial", "heo.tle", "--duration", "2d", "--station", "shchyolkovo",
            "--min-elevation", "10")
    rc, out, err = cli(*argv, "--json")
    assert rc == 0
    passes = _strict_json(out)["passes"]
    ref = [("2026-04-30T06:00:00", "2026-04-30T16:38:26"),
           ("2026-04-30T19:50:05", "2026-05-01T02:42:26"),
           ("2026-05-01T05:52:02", "2026-05-01T16:34:09"),
           ("2026-05-01T19:45:45", "2026-05-02T02:38:05"),
           ("2026-05-02T05:47:42", "2026-05-02T06:00:00")]
    assert len(passes) == 5
    for p, (aos, los) in zip(passes, ref, strict=True):
        assert abs((Time(p["aos"].rstrip("Z")) - Time(aos)).to_value("s")) < 1.5
        assert abs((Time(p["los"].rstrip("Z")) - Time(los)).to_value("s")) < 1.5
    for p, el in zip(passes[:4], (69.138, 24.494, 69.155, 24.487), strict=True):
        assert abs(p["max_elevation_deg"] - el) < 0.01
    assert [p["aos_clipped"] for p in passes] == [True, False, False, False, False]
    assert [p["los_clipped"] for p in passes] == [False, False, False, False, True]
    rc, out, err = cli(*argv)
    assert rc == 0
    assert out.count("(span start)") == 1 and out.count("(span end)") == 1


def test_dose_accepts_its_documented_lower_altitude(cli):
    """field/dose-altitude-100-equator: ``--altitude`` is documented as 100-2000 km inclusive;
    expected: 100 km at 0 deg inclination runs (exit 0)."""
    rc, out, err = cli("dose", "--altitude", "100", "--inclination", "0", "--days", "1",
                       "--json")
    assert rc == 0, err
    _strict_json(out)


@pytest.mark.parametrize("step, inclination", [("1", "0"), ("7", "0"), ("1", "180")])
def test_dose_at_100_km_whatever_the_step(cli, step, inclination):
    """The kind of field/dose-altitude-100-equator: the 60 s track missed the one sample where
    the ellipsoid's geodetic altitude of a 100 km circular orbit reads 99.99999999999834 km in
    float64; at 1, 2 or 7 s it was refused. The floor takes 1 mm of rounding; 99.9 km stays a
    one-line error naming --altitude."""
    rc, out, err = cli("dose", "--altitude", "100", "--inclination", inclination, "--days",
                       "1", "--step", step, "--json")
    assert rc == 0, err
    _strict_json(out)
    rc, out, err = cli("dose", "--altitude", "99.9", "--inclination", "0", "--days", "1")
    assert rc == 2 and "--altitude = 99.9" in err and "Traceback" not in err


# Own element sets (a newcomer's variants of field/propagate-reentry, 2026-12-02): SGP4 gives
# positions without an error code far below the re-entry altitude.
_VLOW_TLE = ("T\n1 22222U 24001A   24150.50000000  .00000000  00000-0  00000-0 0  9994\n"
             "2 22222  51.6300 200.0000 0004000  90.0000 270.0000 16.80000000 10007\n")
_LOW_TLE = ("T\n1 22222U 24001A   24150.50000000  .02500000  12345-4  45000-3 0  9992\n"
            "2 22222  51.6300 200.0000 0004000  90.0000 270.0000 16.45000000 10008\n")


@pytest.mark.parametrize("command", ["eclipse", "passes"])
def test_sgp4_below_reentry_altitude_is_reported(tmp_path, monkeypatch, cli, command):
    """eclipse and passes ran an element set at 16.8 rev/day (62 km: `propagate` refuses it)
    and one that SGP4 decays through 120 km, exit 0 and nothing said. Expected: the first is
    a one-line error naming its altitude (as `propagate`); the second ends early where it goes
    under the WGS84 ellipsoid + 120 km for good (a whole revolution), which python-sgp4 itself
    (TEME) puts within 1 ms of the reported instant. (A perigee dipping under it on an orbit
    that climbs again stays SGP4's to end: field case tle-decayed-silent, above.)"""
    from astropy.time import TimeDelta
    from sgp4.api import Satrec

    monkeypatch.chdir(tmp_path)
    (tmp_path / "vlow.tle").write_text(_VLOW_TLE)
    (tmp_path / "low.tle").write_text(_LOW_TLE)
    rc, out, err = cli(command, "--initial", "vlow.tle", "--duration", "3h")
    line = one_line(err)
    assert rc == 2 and 'vlow.tle: altitude = "62.3 km"' in line and "re-entry" in line
    rc, out, err = cli(command, "--initial", "low.tle", "--duration", "1d", "--json")
    assert rc == 2 and "re-entry" in one_line(err)
    data = _strict_json(out)
    assert data["ended_early"]["reason"] == "reentry"
    cut = Time(data["ended_early"]["epoch"].rstrip("Z"), scale="utc")
    lines = _LOW_TLE.splitlines()
    sat = Satrec.twoline2rv(lines[1], lines[2])
    a2, b2 = (6378137.0 + 120e3) ** 2, (6356752.314245 + 120e3) ** 2   # WGS84 + 120 km

    def inside(t):
        e, r, _ = sat.sgp4(float(t.utc.jd1), float(t.utc.jd2))
        x, y, z = (1e3 * c for c in r)
        assert e == 0
        return (x * x + y * y) / a2 + z * z / b2 < 1.0

    ms = TimeDelta(1e-3, format="sec")
    assert inside(cut + ms) and not inside(cut - ms)
    # ... and stays inside for the next revolution (86.9 min at 16.45 rev/day, 1 min samples)
    assert all(inside(cut + TimeDelta(60.0 * k, format="sec")) for k in range(1, 88))
    assert 0.3 < (cut - Time("2024-05-29T12:00:00", scale="utc")).to_value("d") < 1.0
