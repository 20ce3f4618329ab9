"""Render docs/dose.md from tools/templates/dose.md with fresh dose runs (``make docs``).

Every result on the page comes from this run: the validation summary (the measurements of
``tests/data/dose/measured_doses.csv`` read by ``rossim.validation.dose``), the periodic-versus-
continuous study (what ``rossim dose --altitude 400 --inclination 51.6|97 --date 2028-01-01``
prints) and the reference scenarios (what ``rossim dose ros-51.6|ros-97`` prints; ros-2026-plan
for the limits' worst case with two crews docked together).
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "docs" / "dose.md"
TEMPLATE = HERE / "templates" / "dose.md"
PSTAR = HERE.parent / "tests" / "data" / "dose" / "pstar_water_csda.csv"

# The study of the page (inputs): what `rossim dose --altitude 400 --inclination ...` runs.
ALT_KM, DATE, DAYS, CREW, VISITS, VISIT_DAYS = 400.0, "2028-01-01", 30.0, 2, 2, 30.0
EXPEDITION_DAYS = 182.5  # periodic_vs_continuous default


def _mid(row: dict) -> float:
    from rossim.validation.dose import measured_mid

    return measured_mid(row)


def _validation(shield: float) -> dict:
    """Model/measured ratios for the measurement fixture (same runs as docs_dose.section), the
    shielding calibration, and the model variants behind the choices of docs/dose.md."""
    import math

    from rossim.analysis.dose import (
        TRAPPED_PROTON_SCALE,
        circular_orbit_dose,
        fit_trapped_proton_scale,
    )
    from rossim.validation.dose import MEASURED_DAYS, measured_doses

    rows = measured_doses()
    cache: dict = {}

    def summary(r: dict, s: float, **kw) -> dict:
        key = (r["altitude_km"], r["inclination_deg"], r["date"], s, tuple(sorted(kw.items())))
        if key not in cache:
            cache[key] = circular_orbit_dose(float(r["altitude_km"]), float(r["inclination_deg"]),
                                             date=r["date"], days=MEASURED_DAYS,
                                             shielding_g_cm2=s, **kw).summary()
        return cache[key]

    inside = [r for r in rows if r["location"] == "inside" and r["quantity"] == "absorbed"]
    by_id = {r["id"]: r for r in rows}
    meas_ratio = _mid(by_id["iml2"]) / _mid(by_id["sts79"])
    ratios = []
    for r in rows:
        if r["location"] == "inside" and r["quantity"] == "absorbed":
            s = summary(r, shield)
            ratios.append(f"{r['where']}: {s['absorbed_mGy_per_day'] / _mid(r):.2f} "
                          f"(belts lowered {s['belt_lowering_km']:.0f} km)")
        elif r["quantity"] == "gcr":
            s = summary(r, 1.0)
            ratio = s["by_source"]["gcr"]["absorbed_mGy_per_day"] / _mid(r)
            ratios.append(f"{r['where']}: {ratio:.2f} (behind 1 g/cm^2)")

    cases = [{"altitude_km": r["altitude_km"], "inclination_deg": r["inclination_deg"],
              "date": r["date"], "measured_mGy_per_day": _mid(r)} for r in inside]
    ids = [r["id"] for r in inside]

    def variant(**kw) -> dict:
        fit = fit_trapped_proton_scale(cases, days=MEASURED_DAYS, **kw)
        got = dict(zip(ids, fit["ratios"], strict=True))
        shape = got["iml2"] / got["sts79"]  # model ratio / measured ratio
        return {"scale": fit["scale"], "scatter": 100 * (math.exp(fit["rms_log"]) - 1),
                "lo": min(got.values()), "hi": max(got.values()), "shape": shape,
                "ok": 1 / 1.5 < shape < 1.5}

    variants = [
        ("AP-8 epoch field, SAA drift only", {"secular_lowering": False}),
        ("IGRF of the date (radbelt's `get_flux` convention)", {"field": "date"}),
        ("**epoch field, SAA drift and secular lowering (default)**", {}),
    ]
    vt = ["| trapped-belt coordinates | fitted trapped-proton scale | IML-2/STS-79, model/"
          "measured ratio | within 1.5 | scatter of the 7 rows | model/measured range |",
          "|---|---|---|---|---|---|"]
    fits = {}
    for label, kw in variants:
        v = fits[label] = variant(**kw)
        vt.append(f"| {label} | {v['scale']:.2f} | {v['shape']:.2f} | "
                  f"{'yes' if v['ok'] else 'no'} | {v['scatter']:.0f} % | "
                  f"{v['lo']:.2f}-{v['hi']:.2f} |")
    default = fits[variants[-1][0]]
    iml2 = summary(by_id["iml2"], shield)["absorbed_mGy_per_day"] / _mid(by_id["iml2"])
    model_ratio = (summary(by_id["iml2"], shield)["absorbed_mGy_per_day"]
                   / summary(by_id["sts79"], shield)["absorbed_mGy_per_day"])
    shape = model_ratio / meas_ratio
    if 1 / 1.5 < shape < 1.5:
        sentence = (f"Shuttle IML-2 (28.5 deg, 300 km) comes out at {iml2:.2f} x measured; the "
                    f"model's IML-2/STS-79 ratio is {model_ratio:.2f} against the measured "
                    f"{meas_ratio:.2f} ({shape:.2f} of it), within the factor 1.5 the "
                    "issue asks for.")
    else:
        sentence = (f"**Known shortfall:** the model's IML-2/STS-79 ratio is {model_ratio:.2f} "
                    f"against the measured {meas_ratio:.2f}: outside the factor 1.5 the issue "
                    "asks for (tests/analysis/test_dose.py fails).")
    from rossim.environment.geomagnetic import belt_lowering_km, dipole_b0_nt

    years = sorted(int(r["date"][:4]) for r in inside)
    return {
        "dip_pct": 100 * (1 - dipole_b0_nt(1994.5) / dipole_b0_nt(1964.0)),
        "low_1994": float(belt_lowering_km(300.0, 1994.5, 1964.0)),
        "low_2016": float(belt_lowering_km(410.0, 2016.5, 1964.0)),
        "low_2030": float(belt_lowering_km(400.0, 2030.0, 1964.0)),
        "span_years": years[-1] - years[0],
        "val_days": MEASURED_DAYS, "val_list": "\n".join(f"- {x}" for x in ratios),
        "iml2_sentence": sentence, "meas_ratio": meas_ratio, "variants_table": "\n".join(vt),
        "fit": default["scale"], "inv_fit": 1.0 / default["scale"], "fit_scatter_pct": default["scatter"],
        "fit_lo": default["lo"], "fit_hi": default["hi"], "n_inside": len(inside),
        "date_scale": fits[variants[1][0]]["scale"], "scale_const": TRAPPED_PROTON_SCALE,
    }


def _orbit_study(inclination: float, shield: float) -> tuple[dict, list[dict]]:
    from rossim.analysis.dose import circular_orbit_dose, periodic_vs_continuous

    s = circular_orbit_dose(ALT_KM, inclination, date=DATE, days=DAYS,
                            shielding_g_cm2=shield).summary()
    study = periodic_vs_continuous(s["dose_equivalent_mSv_per_day"], s["absorbed_mGy_per_day"],
                                   CREW, visits_per_year=VISITS, visit_days=VISIT_DAYS,
                                   expedition_days=EXPEDITION_DAYS)
    per, cont = study
    by = s["by_source"]
    fig = {
        "msv": s["dose_equivalent_mSv_per_day"], "mgy": s["absorbed_mGy_per_day"],
        "gcr": by["gcr"]["absorbed_mGy_per_day"], "tp": by["trapped_protons"]["absorbed_mGy_per_day"],
        "tp_msv": by["trapped_protons"]["dose_equivalent_mSv_per_day"],
        "expedition": cont["per_person_mSv_per_visit"],
        "years600_cont": cont["years_to_career_limit_600mSv"],
        "years1000_cont": cont["years_to_career_limit_1000mSv"],
        "years600_per": per["years_to_career_limit_600mSv"],
        "years1000_per": per["years_to_career_limit_1000mSv"],
        "cont_factor": cont["collective_person_mSv_per_year"] / per["collective_person_mSv_per_year"],
    }
    return fig, study


def _scenario(name: str) -> tuple[dict, dict]:
    from rossim.analysis.dose import scenario_dose
    from rossim.config.scenario import load_scenario

    res = scenario_dose(load_scenario(name))
    visits = res["visits"]
    hi = max(visits, key=lambda v: v["mSv_per_day"])
    lim = {(r["agency"], r["period"]): r for r in res["limits"]}
    years = sorted({v["launch"][:4] for v in visits})
    fig = {
        "rate_lo": min(v["mSv_per_day"] for v in visits), "rate_hi": hi["mSv_per_day"],
        "rate_hi_when": f"{hi['visit']}, launched {hi['launch'][:7]}",
        "lim30": 100 * lim[("NASA", "30-day")]["fraction"],
        "lim365": 100 * max(r["fraction"] for r in res["limits"] if r["period"] == "annual"),
        "career": lim[("NASA", "career")]["model_mSv"],
        "career_pct": 100 * lim[("NASA", "career")]["fraction"],
        "years": f"{years[0]}-{years[-1]}" if len(years) > 1 else years[0],
    }
    fig.update(_worst_case(res))
    return fig, {r["year"]: r for r in res["periodic_vs_continuous"]}


def _worst_case(res: dict) -> dict:
    """The limits' worst case (one person on the most-dosed sequence of visits that do not
    overlap) against one person counted on every visit, career and worst year."""
    from rossim.analysis.crew_dose import most_dosed_sequence

    visits = res["visits"]
    lim = {(r["agency"], r["period"]): r for r in res["limits"]}
    career, seq = most_dosed_sequence(visits)
    by_year: dict[str, list[dict]] = {}
    for v in visits:
        by_year.setdefault(v["launch"][:4], []).append(v)
    annual = {y: most_dosed_sequence(rs)[0] for y, rs in by_year.items()}
    year = max(annual, key=annual.get)
    return {"n": len(visits), "seq_n": len(seq), "every": sum(v["per_person_mSv"] for v in visits),
            "career": lim[("NASA", "career")]["model_mSv"], "annual_year": year,
            "annual": lim[("NASA", "annual")]["model_mSv"],
            "every_annual": max(sum(v["per_person_mSv"] for v in rs) for rs in by_year.values()),
            "crew": max(v["crew"] for v in visits)}


def render() -> str:
    from rossim.analysis.dose import PRESSURISED_MODULE_G_CM2
    from rossim.environment.radiation.gcr import GCR_QUALITY_FACTOR
    from rossim.environment.radiation.shielding import proton_range_g_cm2

    shield = PRESSURISED_MODULE_G_CM2
    with open(PSTAR, encoding="utf-8") as fh:
        pstar = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    pstar_pct = 100 * max(abs(float(proton_range_g_cm2(float(r["energy_mev"]), "water"))
                              / float(r["csda_range_g_cm2"]) - 1.0) for r in pstar)

    a, study_a = _orbit_study(51.6, shield)
    b, study_b = _orbit_study(97.0, shield)
    lines = ["| orbit | mSv/day (mGy/day) | mode | crew-days/yr | collective person-mSv/yr "
             "| per person mSv/yr | share of 500 mSv/yr |", "|---|---|---|---|---|---|---|"]
    for label, fig, study in (("51.6 deg", a, study_a), ("97 deg", b, study_b)):
        for i, r in enumerate(study):
            rate = f"{fig['msv']:.3f} ({fig['mgy']:.3f})" if i == 0 else ""
            mode = (f"periodic, {VISITS} x {VISIT_DAYS:g} days" if r["mode"] == "periodic"
                    else r["mode"])
            lines.append(f"| {label} | {rate} | {mode} | "
                         f"{r['crew_days_per_year']:.0f} | "
                         f"{r['collective_person_mSv_per_year']:.1f} | "
                         f"{r['per_person_mSv_per_year']:.1f} | "
                         f"{100 * r['fraction_of_annual_limit_500mSv']:.0f} % |")

    from rossim.analysis.dose import circular_orbit_dose

    minmax = {c: circular_orbit_dose(ALT_KM, 51.6, date=DATE, days=DAYS, shielding_g_cm2=shield,
                                     solar=c).summary()["dose_equivalent_mSv_per_day"]
              for c in ("min", "max")}
    minmax["step_pct"] = 100 * abs(minmax["max"] / minmax["min"] - 1)
    s516, y516 = _scenario("ros-51.6")
    s97, y97 = _scenario("ros-97")
    s26, _ = _scenario("ros-2026-plan")
    rows = ["| year | 51.6 deg: crew aboard x visits | mSv/day | periodic person-mSv | continuous "
            "person-mSv | 97 deg: crew aboard x visits | mSv/day | periodic person-mSv | continuous "
            "person-mSv |", "|---|---|---|---|---|---|---|---|---|"]
    for year in sorted(set(y516) | set(y97)):
        cells = []
        for y in (y516, y97):
            r = y.get(year)
            cells += (["-"] * 4 if r is None else [
                f"{r['crew_aboard']} x {r['visits']}", f"{r['mSv_per_day']:.2f}",
                f"{r['periodic_collective_person_mSv']:.0f}",
                f"{r['continuous_collective_person_mSv']:.0f}"])
        rows.append(f"| {year} | " + " | ".join(cells) + " |")

    fields = {
        "shield": shield, "pstar_pct": pstar_pct, "alt": ALT_KM, "date": DATE, "days": DAYS,
        "crew": {1: "One", 2: "Two", 3: "Three", 4: "Four"}.get(CREW, str(CREW)),
        "visits": {1: "one", 2: "two", 3: "three", 4: "four"}.get(VISITS, str(VISITS)),
        "visit_days": VISIT_DAYS, "expedition_days": EXPEDITION_DAYS,
        "a": a, "b": b, "study_table": "\n".join(lines), "scenario_table": "\n".join(rows),
        "s516": s516, "s97": s97, "s26": s26, "minmax": minmax,
        "gcr_factor": b["gcr"] / a["gcr"],
        "tp_word": "lower" if b["tp"] < a["tp"] else "higher",
        "absorbed_diff_pct": 100 * abs(b["mgy"] / a["mgy"] - 1),
        "equiv_pct": 100 * (b["msv"] / a["msv"] - 1),
        "q_gcr": GCR_QUALITY_FACTOR, "q_tp": a["tp_msv"] / a["tp"],
        "cont_factor": a["cont_factor"],
    }
    fields.update(_validation(shield))
    return TEMPLATE.read_text(encoding="utf-8").format(**fields)


if __name__ == "__main__":
    print(render())
