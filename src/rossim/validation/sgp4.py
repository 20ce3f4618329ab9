"""SGP4 (:func:`rossim.dynamics.tle.propagate`) against Vallado's 33 verification cases
(``tests/data/sgp4/``: SGP4-VER.TLE and the C++ reference output tcppver.out, from the `sgp4`
2.27 package) and Orekit 13.1's TLEPropagator (``tests/data/orekit/sgp4.json``). Asserted in
``tests/dynamics/test_sgp4_vallado.py`` and ``tests/dynamics/test_tle.py``."""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.validation._data import read_json, reference_data

__all__ = ["CHECKSUM_ERRORS", "EXPECTED_ERRORS", "vallado_cases", "vallado_expected",
           "schedule", "vallado_tle", "vallado_case", "vallado_summary",
           "orekit_sgp4_differences", "element_set_drift_km"]

CHECKSUM_ERRORS = {33333, 33334, 33335}
# Error codes in file order for the seven cases whose output stops early (as asserted by
# python-sgp4's test of the same files).
EXPECTED_ERRORS = [(22312, 1), (28350, 1), (28872, 6), (29141, 6), (33333, 4), (33334, 3),
                   (20413, 6)]


def vallado_cases() -> list[tuple[str, str, int, float, float, float]]:
    """``(line1, line2, line number, start, stop, step minutes)`` of each verification case."""
    lines = reference_data("sgp4", "SGP4-VER.TLE").read_text(encoding="ascii").replace(
        "\r", "").splitlines()
    out = []
    k = 0
    while k < len(lines):
        if lines[k].startswith("1 "):
            l1, l2 = lines[k], lines[k + 1]
            start, stop, step = (float(x) for x in l2[69:].split())
            out.append((l1[:69], l2[:69], k + 1, start, stop, step))
            k += 2
        else:
            k += 1
    return out


def vallado_expected() -> list[tuple[int, np.ndarray]]:
    """``(catalog number, rows)`` of tcppver.out per case; rows (M, 7): minutes, r km, v km/s."""
    text = reference_data("sgp4", "tcppver.out").read_text(encoding="ascii").replace("\r", "")
    blocks: list[tuple[int, list[list[float]]]] = []
    for line in text.splitlines():
        if line.endswith("xx"):
            blocks.append((int(line.split()[0]), []))
        elif line.strip():
            blocks[-1][1].append([float(x) for x in line.split()[:7]])
    return [(n, np.array(rows)) for n, rows in blocks]


def schedule(start: float, stop: float, step: float) -> list[float]:
    """The minutes since epoch the C++ driver prints for a case."""
    times = []
    t = start
    while t <= stop:
        times.append(t)
        t += step
    if t - stop < step - 1e-6 and times[-1] != stop:
        times.append(stop)
    if times[0] != 0.0:
        times.insert(0, 0.0)  # the C++ driver always prints the epoch first
    return times


def vallado_tle(l1: str, l2: str, line_number: int):
    """The case's element set; the three cases with a bad checksum read without the check."""
    from rossim.errors import InputError
    from rossim.files.tle import parse_tle

    try:
        return parse_tle(l1, l2, where="SGP4-VER.TLE", line_number=line_number)
    except InputError as exc:
        if "checksum" not in str(exc):
            raise
        return parse_tle(l1, l2, where="SGP4-VER.TLE", line_number=line_number, checksum=False)


def vallado_case(case: tuple, expected: tuple, backend: str = "sgp4") -> dict[str, Any]:
    """One case through rossim: ``tle``, ``minutes`` (M,), ``state`` (TEME),
    ``expected_code`` (SGP4's error code the case must end with, or None), ``rows`` (the
    reference output). ``backend``: that of :func:`rossim.dynamics.tle.propagate`
    (python-sgp4 by default, the engine these figures are quoted for)."""
    from rossim.dynamics.tle import propagate
    from rossim.time import from_jd_pair

    l1, l2, lineno, start, stop, step = case
    number, rows = expected
    tle = vallado_tle(l1, l2, lineno)
    minutes = np.array(schedule(start, stop, step))
    # tsince counts 86,400 s days from the epoch (sgp4's convention, also across a leap
    # second): rossim.time.from_jd_pair turns that day count into instants.
    t = from_jd_pair(tle.satrec.jdsatepoch, tle.satrec.jdsatepochF + minutes / 1440.0)
    code = dict(EXPECTED_ERRORS).get(number)
    # 20413 appears twice; only its second (3.5-year) run ends in an error.
    if number == 20413 and start < 1e5:
        code = None
    return {"tle": tle, "minutes": minutes,
            "state": propagate(tle, t, frame="TEME", backend=backend),
            "expected_code": code, "rows": rows, "number": number}


def vallado_summary(backend: str = "sgp4") -> dict[str, Any]:
    """All cases: ``n_cases``, ``worst_km`` (largest position difference before any error),
    ``n_error_cases`` and ``codes_ok`` (every early end with the expected error code)."""
    worst_km, codes_ok, n_err = 0.0, True, 0
    cases = vallado_cases()
    for case, expected in zip(cases, vallado_expected(), strict=True):
        c = vallado_case(case, expected, backend)
        st, code, rows = c["state"], c["expected_code"], c["rows"]
        err = st.error[0]
        n_ok = len(c["minutes"])
        if code is not None:
            n_err += 1
            first = int(np.flatnonzero(err != 0)[0]) if np.any(err != 0) else None
            codes_ok &= first is not None and int(err[first]) == code
            n_ok = first or 0
        if n_ok:
            worst_km = max(worst_km, float(np.abs(st.r_m[0, :n_ok] / 1e3
                                                  - rows[:n_ok, 1:4]).max()))
    return {"n_cases": len(cases), "worst_km": worst_km, "n_error_cases": n_err,
            "codes_ok": codes_ok}


def orekit_sgp4_differences() -> list[dict[str, float]]:
    """Per element set of ``tests/data/orekit/sgp4.json``: ``epoch_s`` (element-set epoch
    difference), largest ``teme_m``, ``teme_m_s``, ``gcrf_m``, ``gcrf_m_s`` differences to
    Orekit's TLEPropagator states."""
    from rossim.dynamics.tle import propagate
    from rossim.files.tle import parse_tle
    from rossim.time import to_time

    out = []
    for rec in read_json("orekit", "sgp4.json")["tles"]:
        tle = parse_tle(rec["line1"], rec["line2"])
        t = to_time([s["epoch_utc"] for s in rec["states"]])
        teme = propagate(tle, t, frame="TEME")
        gcrf = propagate(tle, t, frame="GCRF")

        def worst(got, key, states=rec["states"]):
            return float(np.max(np.linalg.norm(got - np.array([s[key] for s in states]),
                                               axis=1)))

        out.append({"epoch_s": abs(float((tle.epoch - to_time(rec["tle_epoch_utc"]))
                                         .to_value("s"))),
                    "teme_m": worst(teme.r_m[0], "r_teme_m"),
                    "teme_m_s": worst(teme.v_m_s[0], "v_teme_m_s"),
                    "gcrf_m": worst(gcrf.r_m[0], "r_gcrf_m"),
                    "gcrf_m_s": worst(gcrf.v_m_s[0], "v_gcrf_m_s")})
    return out


def element_set_drift_km(path: Any = None, horizons_days: tuple[float, ...] = (1, 3, 7, 14, 30),
                         match_days: float = 0.25) -> dict[float, dict[str, float]]:
    """How far SGP4 from one element set is from the set published ``d`` days later: for each
    set ``i`` and horizon ``d``, the set ``j`` whose epoch is nearest ``epoch_i + d`` (within
    ``match_days``), ``|r_i(epoch_j) - r_j(epoch_j)|`` (km, TEME: the later set's own state at
    its epoch, the best estimate there is). ``path``: a TLE history (default the ISS's of
    2023 January-April, ``tests/data/iss``: Space-Track via a public repository, 609 sets, 7
    reboosts, which no earlier set foresees). Returns ``{d: {"pairs", "median_km",
    "p90_km"}}``. Used by docs/validation.md and tests/dynamics/test_tle.py; the figure behind
    eclipse/passes' note on results far past the element epoch."""
    from rossim.dynamics import tle as tle_mod
    from rossim.files.tle import read_tles

    tles = read_tles(reference_data("iss", "iss-tle-2023-01-to-04.txt") if path is None
                     else path)
    from astropy.time import Time

    epochs = Time([t.epoch for t in tles])
    days = (epochs.tt.jd1 - epochs.tt.jd1[0]) + (epochs.tt.jd2 - epochs.tt.jd2[0])
    # every set at every epoch (n x n, one vectorised call): row i is set i's prediction
    r = np.asarray(tle_mod.propagate(tles, epochs, frame="TEME").r_m) / 1e3
    own = r[np.arange(len(tles)), np.arange(len(tles))]
    out = {}
    for d in horizons_days:
        target = days + float(d)
        j = np.clip(np.searchsorted(days, target), 1, len(days) - 1)
        j = np.where(np.abs(days[j - 1] - target) < np.abs(days[j] - target), j - 1, j)
        ok = np.abs(days[j] - target) <= match_days
        i = np.flatnonzero(ok)
        err = np.linalg.norm(r[i, j[ok]] - own[j[ok]], axis=1)
        err = err[np.isfinite(err)]
        out[float(d)] = {"pairs": int(err.size),
                         "median_km": float(np.median(err)) if err.size else float("nan"),
                         "p90_km": float(np.quantile(err, 0.9)) if err.size else float("nan")}
    return out
