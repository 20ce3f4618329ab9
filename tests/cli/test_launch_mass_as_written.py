"""A launch too heavy for its launcher echoes the mass as written and names what the launch
adds to it (review of the newcomer's messages). Found: with `mass_kg = 9000` on the node of
ros-2026-plan the error read `assembly[1].mass_kg = 13290`, and with no mass_kg line
`assembly[1].mass_kg = 8290`: values in no file, the module plus a 4,290 kg tug. Right:
`mass_kg = 9000 (launch mass 13290 kg = node 9000 kg + tug progress-m-um 4290 kg, ...)`; when
the field is absent it says the catalog's figure is used; and it says what the module may
weigh beside the rest (rossim.station.launch.too_heavy, for modules and visits alike)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from rossim.cli.main import main
from rossim.errors import InputError
from rossim.station.launch import too_heavy

ROOT = Path(__file__).resolve().parents[2]
NODE_MASS = "mass_kg = 3890               # estimate: Prichal's mass; with the 4.29 t tug a Soyuz-2.1b\n"


def _refused(tmp_path, capsys, scenario: str, old: str, new: str) -> str:
    text = (ROOT / "scenarios" / f"{scenario}.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "plan.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_a_mass_written_is_echoed_with_the_tug_named(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-2026-plan", NODE_MASS, "mass_kg = 9000\n")
    assert "assembly[1].mass_kg = 9000 (launch mass 13290 kg = node 9000 kg + tug " \
           "progress-m-um 4290 kg, above the launcher's capability); expected node at most " \
           "3924 kg beside the rest: a launch mass of at most 8214 kg, what Soyuz-2.1b" in err, err


def test_a_mass_not_written_says_the_catalog_figure_is_used(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-2026-plan", NODE_MASS, "")
    assert "assembly[1].mass_kg (not given: node's catalog mass, 4000 kg, is used; launch " \
           "mass 8290 kg = node 4000 kg + tug progress-m-um 4290 kg" in err, err
    assert "= 8290" not in err


def test_a_launch_group_lists_each_module(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "ros-51.6", 'module = "gateway"\n',
                   'module = "gateway"\nmass_kg = 20000\n')
    assert "assembly[2].mass_kg = 20000 (launch mass 29040 kg = node 4000 kg (catalog) + " \
           "gateway 20000 kg + tug tgk-mm 4290 kg + adapter 750 kg" in err, err


@pytest.mark.parametrize("written, shown", [(None, "crew_visits[0].mass_kg (not given: "
                                             "soyuz-ms's catalog mass, 7200 kg, is used; above"),
                                            (7500.5, "crew_visits[0].mass_kg = 7500.5 (above")])
def test_a_visit_mass_is_shown_as_written(written, shown):
    entry = SimpleNamespace(mass_kg=written)
    err = too_heavy("plan.toml", [("crew_visits[0]", entry, SimpleNamespace(id="soyuz-ms"),
                                   written or 7200.0)], [], "at most 7000 kg, what ...", 7000.0)
    assert isinstance(err, InputError) and shown in err.message, err.message
