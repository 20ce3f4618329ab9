"""Validation section for the environment models (docs/validation.md), computed by running them.

``section()`` returns Markdown; ``python tools/docs_environment.py`` prints it. Every figure is
measured against the external references committed under ``tests/data`` (NRL's MSIS
reference outputs, Orekit's DE440 Sun/Moon and eclipse events, pymsis's index builder,
Skyfield's topocentric geometry) by :mod:`rossim.validation.environment` and
:mod:`rossim.validation.eclipse`, the functions the tests assert with; nothing is typed in.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def _msis_rows() -> list[str]:
    from rossim.validation.environment import nrl_cases

    rows = []
    for model, nsp in (("msis2.0", 9), ("msis2.1", 10)):
        c = nrl_cases(model, nsp)
        ours, ref = c["ours"], c["ref"]
        ok = ref > 1e-30
        rel = np.abs(ours[ok] / ref[ok] - 1.0)
        rho_rel = np.abs(ours[:, 5] / ref[:, 5] - 1.0)
        dt = np.abs(c["temperature_k"] - c["ref_temperature_k"])
        rows.append(f"| NRLMSIS {model[4:]} | NRL `{model}_test_ref_dp.txt` ({len(ref)} cases, "
                    f"{ok.sum()} values) | {rho_rel.max():.1e} | {rel.max():.1e} | "
                    f"{dt.max():.3f} K | 6e-4 rel., 0.01 K |")
    return rows


def _msis00_row() -> str:
    from rossim.validation.environment import ccmc_profile

    p = ccmc_profile()
    a, atm, anom = p["table"], p["atm"], p["anomalous_o"]
    n = len(a)
    rho = p["rho_gtd7"] * 1e-3
    ours = np.column_stack([atm.o, atm.n2, atm.o2, atm.he, atm.ar, atm.h, atm.n, anom]) * 1e-6
    ref = a[:, [1, 2, 3, 7, 8, 9, 10, 11]]
    ok = ref > 0
    rel = np.abs(ours[ok] / ref[ok] - 1.0)
    rho_rel = np.abs(rho / a[:, 4] - 1.0)
    dt = np.abs(atm.temperature - a[:, 5])
    return (f"| NRLMSISE-00 | NASA CCMC on-line run, 0-1000 km profile ({n} heights, "
            f"{ok.sum() + n} values) | {rho_rel.max():.1e} | {max(rel.max(), rho_rel.max()):.1e}"
            f" | {dt.max():.3f} K | 6e-4 rel., 0.06 K |")


def _jb2008_row() -> str:
    from rossim.validation.environment import jb2008_fortran

    r = jb2008_fortran()
    rel = np.abs(r["rho"] / r["rho_ref"] - 1.0)
    dt = np.abs(r["tinf"] - r["tinf_ref"])
    return (f"| JB2008 (pyatmos) | SET's Fortran driver output, 2017-07-15 ({rel.size} points, "
            f"120-970 km; JuliaSpace test file) | {rel.max():.1e} | - | {dt.max():.2f} K "
            "(exospheric) | 1.5e-2 rel., 0.3 K |")


def _ephemeris_rows() -> list[str]:
    from rossim.validation.environment import sun_moon_vs_orekit

    d = sun_moon_vs_orekit()
    ds, dm, ep = d["sun_m"], d["moon_m"], d["epochs"]
    span = f"{ep[0][:10]} to {ep[-1][:10]}"
    return [
        f"| Sun, geocentric GCRF | Orekit 13.1 DE-440, {len(ep)} epochs {span} | "
        f"{ds.mean():.0f} m | {ds.max():.0f} m | 1000 m |",
        f"| Moon, geocentric GCRF | same | {dm.mean():.1f} m | {dm.max():.1f} m | 20 m |",
    ]


def _eclipse_rows() -> list[str]:
    from rossim.validation.eclipse import eclipse_differences_vs_orekit

    diffs = eclipse_differences_vs_orekit()
    rows = []
    for shadow in ("umbra", "penumbra"):
        d = np.concatenate([diffs[shadow]["entry_s"], diffs[shadow]["exit_s"]])
        rows.append(f"| {shadow} entry/exit, 1 day ISS two-body | Orekit 13.1 EclipseDetector "
                    f"({len(d)} events) | {d.mean():.4f} s | {d.max():.4f} s | 0.05 s |")
    return rows


def _visibility_rows() -> list[str]:
    import skyfield

    from rossim.validation.environment import skyfield_look_angles

    la = skyfield_look_angles()
    d = np.abs(la["el"] - la["el_ref"])
    return [f"| elevation from Shchyolkovo, ISS TLE, 1 day at 20 s | Skyfield {skyfield.__version__} "
            f"`(sat - wgs84.latlon()).altaz()` | {d.mean():.5f} deg | {d.max():.5f} deg | "
            f"0.01 deg |"]


def _weather_rows() -> list[str]:
    from rossim.validation.environment import pymsis_indices

    w = pymsis_indices()
    dates, (f, fa, ap), (g, ga, gp) = w["dates"], w["pymsis"], w["rossim"]
    d = max(np.abs(f - g).max(), np.abs(fa - ga).max(), np.abs(ap - gp).max())
    return [f"| F10.7 (previous day), F10.7a, 7-element Ap, 2000 ({len(dates)} epochs) | "
            f"pymsis 0.13 `get_f107_ap` on CelesTrak's CSV | {d:.1e} | {d:.1e} | 1e-9 |"]


def _forecast_table() -> list[str]:
    from rossim.environment.spaceweather import SOURCE_NAMES, default_weather

    sw = default_weather()
    lines = ["| year | mean F10.7a (sfu) | min | max | source |", "|---|---|---|---|---|"]
    for year in range(2025, 2037):
        days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
        f = sw.f107a(days)
        src = sorted({SOURCE_NAMES[c] for c in sw.source_code(days)})
        lines.append(f"| {year} | {f.mean():.0f} | {f.min():.0f} | {f.max():.0f} | "
                     f"{', '.join(src)} |")
    lines.append("")
    lines.append(f"Ap where the file has none: {sw.forecast_ap:.1f} (mean daily Ap, "
                 f"1996-08-01 to {sw.last_observed_day}). Last observed day in the file: "
                 f"{sw.last_observed_day}.")
    return lines


def section() -> str:
    """The environment section of docs/validation.md (Markdown)."""
    with warnings.catch_warnings():
        # ERFA's "dubious year" notes for epochs past the leap-second table are expected.
        warnings.simplefilter("ignore")
        return _section()


def _section() -> str:
    out = ["## Environment: atmosphere, space weather, Sun and Moon, eclipses, visibility", "",
           "Regenerated by `tools/docs_environment.py` (the same comparisons are asserted in "
           "`tests/environment/`).", "",
           "### NRLMSIS through rossim's wrapper (SI out, converted to the file's cgs)", "",
           "| model | reference | max rel. error, mass density | max rel. error, all species"
           " | max temperature error | test tolerance |",
           "|---|---|---|---|---|---|"]
    out += _msis_rows() + [_msis00_row()]
    # JB2008 row where the optional extra is installed
    from rossim.environment import jb2008

    out += [_jb2008_row()] if jb2008.available() else []
    out += ["", "The references print four significant digits, so 5e-4 relative is the "
            "rounding floor. For NRLMSISE-00 the mass density is compared without anomalous "
            "oxygen (CCMC prints GTD7's; rossim returns GTD7D's drag density, which adds it). "
            "NRL's own 17-case NRLMSISE-00 driver output is not used: its local solar time is "
            "not consistent with its UT and longitude, which pymsis derives itself.", "",
            "### Geometry against Orekit and Skyfield", "",
            "| quantity | reference | mean difference | max difference | test tolerance |",
            "|---|---|---|---|---|"]
    out += _ephemeris_rows() + _eclipse_rows() + _visibility_rows() + _weather_rows()
    out += ["", "Sun/Moon: rossim uses DE421 (skyfield-data), Orekit DE-440: the Sun difference "
            "is the ephemeris difference of the Earth-Moon barycentre orbit.", "",
            "### Solar activity used for 2025-2036 (F10.7a, 81-day centred mean)", ""]
    out += _forecast_table()
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(section())
