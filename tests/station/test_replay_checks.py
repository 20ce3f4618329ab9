"""The plan's replay refuses what it cannot fly as written (CLI bad-input sweep, findings 3 and
9): a module separated with a ship still docked to it (the ship's undocking then found nothing:
``KeyError``, exit 1), a module carried away unsaid by a separation, two modules of one launch
group with different dates or pads (merged into one launch without a word), a crew ship flown
as cargo by demand, a ship named as a module (the replay keys both by name). Each is one :class:`InputError` naming the field, the value and what was
expected (:mod:`rossim.station.docking`, :func:`rossim.station.build_timeline`)."""

from pathlib import Path

import pytest

from rossim.config.scenario import load_scenario
from rossim.errors import InputError
from rossim.station import build_timeline

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
TEXT = SHORT.read_text(encoding="utf-8")


def _timeline(tmp_path: Path, text: str):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return build_timeline(load_scenario(path))


def _refused(tmp_path: Path, text: str, *fragments: str) -> str:
    with pytest.raises(InputError) as err:
        _timeline(tmp_path, text)
    line = str(err.value)
    for frag in fragments:
        assert frag in line, (frag, line)
    return line


def _separation(date: str, *modules: str) -> str:
    listed = ", ".join(f'"{m}"' for m in modules)
    return f"\n[[separations]]\ndate = {date}\nmodules = [{listed}]\n"


def test_separation_with_a_ship_docked_refused(tmp_path):
    # Soyuz MS crew #1 is at gateway.forward from 2028-07-01 for 30 days
    _refused(tmp_path, TEXT + _separation("2028-07-10", "gateway"),
             'separations[0].modules[0] = "gateway"', "Soyuz MS crew #1 docked at "
             "gateway.forward until 2028-07-31", "no ship docked to it",
             "after Soyuz MS crew #1 leaves")


def test_separation_carrying_an_unlisted_module_refused(tmp_path):
    # no ship is docked on 2029-05-01; gateway and core are docked through node
    _refused(tmp_path, TEXT + _separation("2029-05-01", "node"),
             'separations[0].modules[0] = "node"', "is docked through it",
             "lists every module leaving with it")


@pytest.mark.parametrize("order", [("node", "gateway", "core"), ("core", "gateway", "node")])
def test_separation_listing_every_module_leaves_together(tmp_path, order):
    tl = _timeline(tmp_path, TEXT + _separation("2029-05-01", *order))
    seps = [e for e in tl.events if e.kind == "separation"]
    assert sorted(e.part for e in seps) == ["core", "gateway", "node"]   # one event each
    assert tl.at("2029-05-02").modules == ("nem1",)


def test_launch_group_with_two_dates_refused(tmp_path):
    text = TEXT.replace('module = "gateway"\nlaunch = 2028-06-15',
                        'module = "gateway"\nlaunch = 2028-06-20', 1)
    assert text != TEXT
    _refused(tmp_path, text, 'assembly[2].launch = "2028-06-20"', "a second date for one "
             "launch", "launch group 'node+gateway' (assembly[1].launch = 2028-06-15)")


def test_launch_group_with_two_pads_refused(tmp_path):
    text = TEXT.replace('port = "node.zenith"\n', 'port = "node.zenith"\nsite = "plesetsk-35"\n',
                        1)
    assert text != TEXT
    _refused(tmp_path, text, 'assembly[2].site = "plesetsk-35"', "a second pad for one launch",
             "(vostochny-1a, assembly[1])")


def test_crew_ship_as_cargo_by_demand_refused(tmp_path):
    demand = ('\n[[cargo_demand]]\nvehicle = "orel"\nfirst_launch = 2028-08-15\n'
              'until = 2029-03-01\nport = "node.nadir"\nduration_days = 180\n')
    _refused(tmp_path, TEXT + demand, 'cargo_demand[0].vehicle = "orel"', "is a crew vehicle",
             "a cargo vehicle id: progress-ms")


def test_visit_named_as_a_module_refused(tmp_path):
    visit = ('\n[[cargo_visits]]\nname = "core"\nvehicle = "progress-ms"\nport = "auto"\n'
             'launch = 2028-09-01\nduration_days = 10\n')
    _refused(tmp_path, TEXT + visit, 'cargo_visits[0].name = "core"', "a module's id",
             "no module id")
