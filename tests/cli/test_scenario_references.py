"""Every module, port, ship or vehicle a scenario's ``[[evas]]`` and ``[[commands]]`` name is
checked against the catalog and the plan at ``rossim validate`` (and ``rossim run``): exit 2,
one line naming the field, the value and the names the scenario knows (newcomer 40: an EVA at
"logistix" validated and was flown, a robot task at "kore" was only refused mid-run). A
``[[cargo_demand]]`` flight the plan cannot dock is named by the entry the user wrote."""

from pathlib import Path

import pytest

from rossim.cli.main import main

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
MODULES = "nem1, node, gateway, core"


def _scenario(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "refs.toml"
    path.write_text(SHORT.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return path


def _refused(capsys, path: Path, *fragments: str, command: str = "validate") -> str:
    argv = [command, str(path)] + (["--out", str(path.parent / "out")]
                                   if command == "run" else [])
    rc = main(argv)
    err = capsys.readouterr().err
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert rc == 2, err
    assert "Traceback" not in err and len(lines) == 1, err
    for frag in fragments:
        assert frag in lines[0], (frag, lines[0])
    return lines[0]


def _cmd(at: str, command: str, **fields) -> str:
    body = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in fields.items())
    return f'[[commands]]\nat = {at}\ncommand = "{command}"\n{body}'


def test_eva_at_unknown_module_refused_by_validate_and_run(tmp_path, capsys):
    path = _scenario(tmp_path, '[[evas]]\ndate = 2028-07-05\nworksite = "logistix"\n')
    for command in ("validate", "run"):
        _refused(capsys, path, "refs.toml: evas[0].worksite", '"logistix"', MODULES,
                 command=command)
    assert not (tmp_path / "out").exists()


def test_eva_before_its_module_docks_refused(tmp_path, capsys):
    # the core docks on 2028-12-23: an EVA there in July is at a module not yet there
    path = _scenario(tmp_path, '[[evas]]\ndate = 2028-07-05\nworksite = "core"\n')
    _refused(capsys, path, "evas[0].worksite", '"core"', "attached on 2028-07-05",
             "nem1, node, gateway")
    path = _scenario(tmp_path, '[[evas]]\ndate = 2029-01-05\nworksite = "core"\n')
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(("entry", "fragments"), [
    (_cmd("2028-09-01T12:00:00Z", "robot-task", kind="inspection", worksite="kore",
          duration_h=2.0), ("commands[0].worksite", '"kore"', MODULES)),
    (_cmd("2028-09-01T12:00:00Z", "robot-task", kind="inspection", worksite="core",
          duration_h=2.0), ("commands[0].worksite", '"core"', "not there then")),
    (_cmd("2028-09-01T12:00:00Z", "inject-fault", component="coolant-pump", module="kore"),
     ("commands[0].module", '"kore"', MODULES)),
    (_cmd("2028-09-01T12:00:00Z", "undock", vehicle="enterprise"),
     ("commands[0].vehicle", '"enterprise"', "Progress MS #1", "Soyuz MS crew #1")),
    (_cmd("2028-07-10T12:00:00Z", "undock", vehicle="Progress MS #1"),
     ("commands[0].vehicle", '"Progress MS #1"', "docked on 2028-07-10 12:00 UTC",
      "Soyuz MS crew #1")),
    (_cmd("2028-09-01T12:00:00Z", "relocate", vehicle="Progress MS #1", port="kore.aft"),
     ("commands[0].port", '"kore.aft"', "no such module in the plan", "node.nadir")),
    (_cmd("2028-09-01T12:00:00Z", "relocate", vehicle="Progress MS #1", port="node.roof"),
     ("commands[0].port", '"node.roof"', "node has no port 'roof'")),
    (_cmd("2028-09-01T12:00:00Z", "deploy-free-flyer", count=2, mass_kg=20.0,
          port="kore.airlock"), ("commands[0].port", '"kore.airlock"', "gateway.airlock")),
    (_cmd("2028-09-01T12:00:00Z", "deploy-free-flyer", count=2, mass_kg=20.0,
          port="node.forward"), ("commands[0].port", "port type hybrid-passive",
                                 "gateway.airlock")),
    (_cmd("2028-09-01T12:00:00Z", "dock", vehicle="buran", port="auto"),
     ("commands[0].vehicle", '"buran"', "unknown vehicle", "soyuz-ms")),
    (_cmd("2028-09-01T12:00:00Z", "dock", vehicle="soyuz-ms", port="core.forward"),
     ("commands[0].port", '"core.forward"', "not there then")),
])
def test_command_names_checked(tmp_path, capsys, entry, fragments):
    _refused(capsys, _scenario(tmp_path, entry), *fragments)


def test_commands_naming_what_exists_then_pass(tmp_path, capsys):
    """A ship an earlier command docks (by its visit_name) may be undocked; names of the plan
    at their time pass; a later command sees the plan an earlier one edited."""
    entries = "\n".join([
        _cmd("2028-09-01T12:00:00Z", "robot-task", kind="inspection", worksite="node",
             duration_h=2.0),
        _cmd("2028-09-02T12:00:00Z", "inject-fault", component="coolant-pump", module="node"),
        _cmd("2028-09-03T12:00:00Z", "deploy-free-flyer", count=1, mass_kg=20.0,
             port="gateway.airlock"),
        _cmd("2028-09-04T12:00:00Z", "dock", vehicle="soyuz-ms", port="gateway.forward",
             duration_days=20.0, crew=2, visit_name="Extra"),
        _cmd("2028-09-10T12:00:00Z", "undock", vehicle="Extra"),
        _cmd("2028-10-01T12:00:00Z", "relocate", vehicle="Progress MS #1", port="node.nadir"),
        _cmd("2028-10-05T12:00:00Z", "undock", vehicle="Progress MS #1 @node.nadir"),
        '[[evas]]\ndate = 2028-07-05\nworksite = "gateway"\n',
    ])
    path = _scenario(tmp_path, entries)
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_cargo_demand_error_names_the_entry_written(tmp_path, capsys):
    """The planner turns [[cargo_demand]] into cargo visits: an error of its flight names the
    demand entry and the planned flight, never a cargo_visits[N] the file does not have."""
    path = _scenario(tmp_path, '[[cargo_demand]]\nname = "x"\nvehicle = "progress-ms"\n'
                     'first_launch = 2028-08-15\nuntil = 2029-03-01\nport = "node.starboard"\n'
                     'duration_days = 180\n')
    line = _refused(capsys, path, 'cargo_demand[0].port = "node.starboard"',
                    "already occupied by Progress MS #1", "planned flight x #1, launch 2028-08-15")
    assert "cargo_visits" not in line


def test_a_live_server_refuses_the_same_names(tmp_path):
    """`rossim serve SCENARIO` runs the scenario live: the same check before it starts."""
    from rossim.cli.serve import make_source
    from rossim.errors import InputError

    path = _scenario(tmp_path, '[[evas]]\ndate = 2028-07-05\nworksite = "logistix"\n')
    with pytest.raises(InputError) as err:
        make_source(str(path))
    assert "evas[0].worksite" in str(err.value) and "logistix" in str(err.value)
