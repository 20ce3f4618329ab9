"""The ``rossim dose`` command: JSON contract, map output, scenario mode, bad input."""

import json

import pytest

from rossim.cli.main import main


def test_orbit_json_has_the_contract_keys(capsys, tmp_path):
    png = tmp_path / "map.png"
    rc = main(["dose", "--altitude", "400", "--inclination", "51.6", "--days", "1",
               "--step", "120", "--date", "2028-01-01", "--json", "--map", str(png)])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["absorbed_mGy_per_day"] > 0
    assert data["dose_equivalent_mSv_per_day"] > data["absorbed_mGy_per_day"]
    for source in ("trapped_protons", "trapped_electrons", "gcr"):
        assert set(data["by_source"][source]) >= {"absorbed_mGy_per_day",
                                                  "dose_equivalent_mSv_per_day"}
    total = sum(v["absorbed_mGy_per_day"] for v in data["by_source"].values())
    assert total == pytest.approx(data["absorbed_mGy_per_day"], rel=1e-9)
    assert [r["mode"] for r in data["periodic_vs_continuous"]] == ["periodic", "continuous"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("argv", [
    ["--altitude", "50", "--inclination", "51.6"],
    ["--altitude", "2500", "--inclination", "51.6"],
    ["--altitude", "400", "--inclination", "181"],
    ["--altitude", "400", "--inclination", "-1"],
    ["--altitude", "400", "--inclination", "51.6", "--shielding", "-2"],
    ["--altitude", "400", "--inclination", "51.6", "--days", "-1"],
    ["--altitude", "400"],
])
def test_bad_input_exit_2(argv, capsys):
    assert main(["dose", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rossim: error:") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_scenario_mode_json(capsys):
    rc = main(["dose", "ros-51.6", "--step", "900", "--json"])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["visits"] and all(v["per_person_mSv"] > 0 for v in data["visits"])
    assert data["periodic_vs_continuous"][0]["continuous_collective_person_mSv"] > \
        data["periodic_vs_continuous"][0]["periodic_collective_person_mSv"]
    assert {lim["agency"] for lim in data["limits"]} == {"NASA", "Roscosmos"}


def test_spe_adds_a_source(capsys):
    rc = main(["dose", "--altitude", "400", "--inclination", "97", "--days", "3", "--step",
               "120", "--date", "2028-01-01", "--spe", "2028-01-02", "--json"])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_source"]["spe"]["absorbed_mGy_per_day"] > \
        data["by_source"]["gcr"]["absorbed_mGy_per_day"]


def test_scenario_solar_particle_event_raises_visit_dose(tmp_path):
    """An SPE listed in the scenario file (King 1972 spectrum) adds dose to the visit it hits."""
    from pathlib import Path

    from rossim.analysis.dose import crew_visit_doses
    from rossim.config.scenario import load_scenario

    short = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
    base = crew_visit_doses(load_scenario(short), step_s=300.0)
    text = short.read_text() + "\n[[solar_particle_events]]\nstart = 2028-07-05\nscale = 1.0\n"
    path = tmp_path / "spe.toml"
    path.write_text(text)
    with_spe = crew_visit_doses(load_scenario(path), step_s=300.0)
    assert with_spe[0]["per_person_mSv"] > base[0]["per_person_mSv"]
    assert with_spe[1]["per_person_mSv"] == base[1]["per_person_mSv"]  # later visit untouched


def test_orbit_default_date_is_fixed_not_today(capsys):
    """Issue 18: ``rossim dose`` without ``--date`` must not follow the calendar. The default
    is ``DEFAULT_DATE`` (2028-01-01, stated in --help and docs/dose.md), so the output equals
    that of ``--date 2028-01-01`` on any day."""
    from rossim.analysis.dose import DEFAULT_DATE

    assert DEFAULT_DATE == "2028-01-01"
    argv = ["dose", "--altitude", "400", "--inclination", "51.6", "--days", "1", "--step",
            "600", "--json"]
    assert main(argv) == 0
    default = json.loads(capsys.readouterr().out)
    assert main([*argv, "--date", DEFAULT_DATE]) == 0
    explicit = json.loads(capsys.readouterr().out)
    assert default == explicit
    with pytest.raises(SystemExit):
        main(["dose", "--help"])
    assert "default: 2028-01-01" in " ".join(capsys.readouterr().out.split())
