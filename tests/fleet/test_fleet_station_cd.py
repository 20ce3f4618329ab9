"""One station drag coefficient: the fleet models read ``operations.cd`` (the value ``run``
uses), and ``free_flyers.station_cd`` is refused (tests/cli/test_bad_input.py)."""

from __future__ import annotations

from rossim.config.scenario import load_scenario


def test_fleet_uses_operations_cd(monkeypatch, tmp_path):
    import rossim.fleet.family as family

    base = load_scenario("ros-51.6").source_path
    text = open(base, encoding="utf-8").read()
    assert "[operations]" not in text  # the default cd (2.2) is replaced below
    path = tmp_path / "cd.toml"
    path.write_text(text + "\n[operations]\ncd = 2.7\n", encoding="utf-8")
    scenario = load_scenario(path)
    seen = []
    real = family._station_cda_over_m

    def spy(timeline, date, cd):
        seen.append(cd)
        return real(timeline, date, cd)

    monkeypatch.setattr(family, "_station_cda_over_m", spy)
    family.plan_family(scenario, check_deployments=False)
    assert seen and set(seen) == {2.7}
