"""The assembly chart draws every ship at the port it docked at: a crew series planned to
``port = "auto"`` (ros-2026-plan) is drawn at the port the plan gave it, as in the
plan-as-run figure, never on a row called "port auto" (the reference report showed 14 Soyuz
visits on such a row beside the same ships on port rows in the other chart)."""

from __future__ import annotations

from rossim.config.scenario import load_scenario
from rossim.report.plots import assembly_timeline_figure
from rossim.station.assembly import build_timeline


def test_auto_ports_are_drawn_at_the_given_port():
    tl = build_timeline(load_scenario("ros-2026-plan"))
    assert any(e.port == "auto" for e in tl.events if e.part_kind == "vehicle")
    fig = assembly_timeline_figure(tl)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels and not any("auto" in x for x in labels), labels
    given = {who for ph in tl.phases for who in ph.occupancy.values()}
    auto = {e.part for e in tl.events if e.part_kind == "vehicle" and e.port == "auto"}
    assert auto <= given   # every auto ship has a port in the plan
    port_rows = [x for x in labels if x.startswith("port ")]
    assert "port core.forward" in port_rows
    import matplotlib.pyplot as plt

    plt.close(fig)
