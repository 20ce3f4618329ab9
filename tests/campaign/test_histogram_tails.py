"""campaign.html's histograms mark the risk tail the console shows for each figure.

Found: the histograms of availability and minimum battery state of charge, where a low value
is the bad outcome, drew a dashed P90 line, while the console and docs/campaigns.md give
their risk tail as P10/P5. Right: each histogram marks P50 and the figure's tail
(rossim.campaign.report.tail_percentiles: P10 dashed and P5 dotted for availability and
state of charge, P90 and P95 for propellant and dose), and no line for a percentile its
runs do not support (rossim.campaign.report.min_runs)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rossim.campaign.report import HEADLINES, min_runs, tail_percentiles
from rossim.report.figures.campaign import histogram_figure

KEYS = ["propellant_kg_per_year", "availability", "min_battery_soc",
        "crew_dose_max_visit_per_person_mSv"]


def _lines(n: int) -> dict[str, dict[str, tuple[float, str]]]:
    rng = np.random.default_rng(3)
    ok = pd.DataFrame({k: rng.uniform(0.5, 1.0, n) for k in KEYS})
    fig = histogram_figure(ok, KEYS, HEADLINES, {k: tail_percentiles(k) for k in KEYS},
                           min_runs)
    out = {}
    for ax, key in zip(fig.axes, KEYS, strict=True):
        out[key] = {ln.get_label(): (float(ln.get_xdata()[0]), ln.get_linestyle())
                    for ln in ax.get_lines()}
        x = ok[key].to_numpy()
        for label, (v, _) in out[key].items():
            assert v == np.percentile(x, int(label[1:]))
    return out


def test_low_is_bad_histograms_mark_p10_and_p5():
    lines = _lines(40)
    for key in ("availability", "min_battery_soc"):
        assert {k: ls for k, (_, ls) in lines[key].items()} == {
            "P50": "-", "P10": "--", "P5": ":"}, lines[key]
    for key in ("propellant_kg_per_year", "crew_dose_max_visit_per_person_mSv"):
        assert {k: ls for k, (_, ls) in lines[key].items()} == {
            "P50": "-", "P90": "--", "P95": ":"}, lines[key]


def test_few_runs_draw_only_supported_lines():
    lines = _lines(12)                       # P10/P90 supported (10), P5/P95 not (20)
    assert set(lines["availability"]) == {"P50", "P10"}
    assert set(lines["propellant_kg_per_year"]) == {"P50", "P90"}
    assert set(_lines(3)["availability"]) == {"P50"}
