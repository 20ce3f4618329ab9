"""A free-flyer deployment is refused from a port a ship or module holds.

Found: in a Simulation, after a Progress docked at nem1.forward, ``deploy-free-flyer`` count 2
at nem1.forward was accepted ("2 x 20 kg released from nem1.forward"); the command checked
only that the port's module was attached (nem1.aft and nem1.nosuch passed too). Right: the
command is refused with the cause, "port nem1.forward occupied by Progress X", as dock and
relocate refuse an occupied port; a free port that is no payload port is refused as
``rossim validate`` and ``rossim fleet`` refuse it (rossim.fleet.deployment.resolve_port);
a payload port is accepted. The validator refuses a planned deployment, in
``[[free_flyers.deployments]]`` or ``[[commands]]``, from a port a ship or module holds at
its date: no ship or module docks at a payload port (rossim.station.ports.FITS), and any
other port type is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rossim.cli.main import main
from rossim.config.scenario import load_scenario
from rossim.ops import commands as C
from rossim.ops.simulation import Simulation

TESTS = Path(__file__).resolve().parents[1]
TINY = TESTS / "data" / "ops" / "ros-tiny.toml"
REL = TESTS / "data" / "cases" / "rel" / "validate-accepts-unknown-deployment-port"


def _deploy(sim, port: str):
    return sim.command(C.DeployFreeFlyer(count=2, mass_kg=20.0, port=port, source="ground"))


def test_deployment_from_a_docked_ships_port_is_refused():
    sim = Simulation(load_scenario(TINY))
    sim.advance_to("2028-01-10T00:00:00")
    assert sim.command(C.Dock(vehicle="progress-ms", port="nem1.forward", duration_days=20,
                              visit_name="Progress X", source="ground")).accepted
    sim.advance_to("2028-01-11T00:00:00")
    assert sim.config.occupancy == {"nem1.forward": "Progress X"}
    before = sim.free_flyers_deployed
    res = _deploy(sim, "nem1.forward")
    assert not res.accepted and res.reason == "port nem1.forward occupied by Progress X"
    assert sim.free_flyers_deployed == before      # nothing released
    for port, why in (("nem1.aft", "port type hybrid-active"),
                      ("nem1.nosuch", "nem1 has no port 'nosuch'")):
        res = _deploy(sim, port)
        assert not res.accepted and why in res.reason and "no payload port" in res.reason


def _scenario(tmp_path: Path, port: str, command: bool) -> Path:
    shutil.copy(REL / "scenario.toml", tmp_path / "scenario.toml")
    text = (tmp_path / "scenario.toml").read_text()
    if command:   # the deployment as a timeline command, not a planned deployment
        text = text.replace('port = "nosuchmodule.airlock"', 'port = "gateway.airlock"')
        text += ('\n[[commands]]\nat = 2028-03-01T12:00:00Z\ncommand = "deploy-free-flyer"\n'
                 f'count = 1\nmass_kg = 20.0\nport = "{port}"\n')
    else:
        text = text.replace('"nosuchmodule.airlock"', f'"{port}"')
    (tmp_path / "scenario.toml").write_text(text)
    return tmp_path / "scenario.toml"


@pytest.mark.parametrize("command", [False, True])
@pytest.mark.parametrize("port", ["node.forward", "nem1.forward"])  # Progress MS #1, node
def test_validate_refuses_a_planned_deployment_from_an_occupied_port(tmp_path, capsys,
                                                                     port, command):
    path = _scenario(tmp_path, port, command)
    rc = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert rc == 2, err
    field = "commands[0].port" if command else "free_flyers.deployments[0].port"
    assert field in err and port in err and "port type hybrid-passive" in err, err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_validate_accepts_the_payload_port(tmp_path, capsys):
    assert main(["validate", str(_scenario(tmp_path, "gateway.airlock", False))]) == 0, \
        capsys.readouterr().err
