"""`rossim describe A --diff B`: "crew per visit" compared ros-51.6's 2/4 with
ros-2026-plan's 2, though the 2026 plan docks two crews of 2 together: the most crew aboard at
once (4 in both) is a row of its own."""

from pathlib import Path

from rossim.config.scenario import load_scenario
from rossim.station.assembly import build_timeline
from rossim.station.compare import compare_plans

ROOT = Path(__file__).resolve().parents[2]


def _timeline(name: str):
    return build_timeline(load_scenario(ROOT / "scenarios" / f"{name}.toml"))


def test_most_crew_aboard_at_once_compares_the_plans_fairly():
    a, b = _timeline("ros-51.6"), _timeline("ros-2026-plan")
    rows = {r["item"]: r for r in compare_plans(a, b)}
    assert (rows["crew per visit"]["a"], rows["crew per visit"]["b"]) == ("2/4", "2")
    row = rows["most crew aboard at once"]
    assert row["a"] == row["b"] == "4" and row["differs"] is False
    # the 2026 plan reaches 4 with ships of 2 docked together
    assert max(v.crew for f, v in b.scenario.visits if f.startswith("crew")) == 2
    assert max(p.crew_aboard for p in b.properties) == 4
    items = list(rows)
    assert items.index("most crew aboard at once") == items.index("crew per visit") + 1
