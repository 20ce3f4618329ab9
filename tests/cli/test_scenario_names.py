"""Names a scenario gives, and the schema's list checks (CLI bad-input sweep, findings 3 and
9): two entries naming their ships alike were an internal error (``KeyError``, exit 1) at
``rossim validate``; a NUL, an RLO or an empty name, a cosmonaut named twice, an approach
ellipsoid inside the keep-out sphere passed; an empty ``separations.modules`` gave pydantic's
own sentence. Each is now one line, exit 2, naming the field, the value and what was
expected (:mod:`rossim.config.scenario_names`, :data:`rossim.config._schema.Name`)."""

from pathlib import Path

import pytest

from rossim.cli.main import main

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
TEXT = SHORT.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "names.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(capsys, path: Path, *fragments: str) -> str:
    rc = main(["validate", str(path)])
    err = capsys.readouterr().err
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert rc == 2, err
    assert "Traceback" not in err and "internal error" not in err and len(lines) == 1, err
    for frag in fragments:
        assert frag in lines[0], (frag, lines[0])
    return lines[0]


def _series(name: str | None, vehicle: str = "progress-ms", port: str = "node.nadir",
            group: str = "cargo_series") -> str:
    named = f'name = "{name}"\n' if name is not None else ""
    return (f'\n[[{group}]]\n{named}vehicle = "{vehicle}"\nfirst_launch = 2028-10-01\n'
            f'every_days = 120\nuntil = 2029-03-01\nport = "{port}"\nduration_days = 30\n')


def test_two_series_of_one_name_refused(tmp_path, capsys):
    # both name their ships "Progress MS #1", "#2", ...: the pad plan's KeyError before
    path = _write(tmp_path, TEXT + _series("Progress MS"))
    _refused(capsys, path, 'cargo_series[1].name = "Progress MS"', "the name of cargo_series[0]",
             '"Progress MS #1"')


def test_series_and_demand_without_names_share_the_vehicle_name(tmp_path, capsys):
    text = TEXT.replace('name = "Progress MS"\n', "", 1)
    path = _write(tmp_path, text + _series(None, port="node.nadir", group="cargo_demand")
                  .replace("every_days = 120\n", ""))
    _refused(capsys, path, "cargo_demand[0].name (missing", "after its vehicle progress-ms",
             "cargo_series[0]", '"progress-ms #1"')


def test_crew_series_named_as_a_cargo_series_refused(tmp_path, capsys):
    text = TEXT.replace('name = "Soyuz MS crew"', 'name = "Progress MS"', 1)
    _refused(capsys, _write(tmp_path, text), 'cargo_series[0].name = "Progress MS"',
             "crew_series[0]")


@pytest.mark.parametrize(("visits", "fragments"), [
    # two visits named alike: KeyError ('visit', 'A') before
    ('[[crew_visits]]\nname = "A"\nvehicle = "soyuz-ms"\nport = "auto"\nlaunch = 2028-09-01\n'
     'duration_days = 10\ncrew = 2\n[[crew_visits]]\nname = "A"\nvehicle = "soyuz-ms"\n'
     'port = "auto"\nlaunch = 2029-02-01\nduration_days = 10\ncrew = 2\n',
     ('crew_visits[1] = "A"', "a second visit with the same name", "crew_visits[0]")),
    # a visit named as the series' third ship
    ('[[cargo_visits]]\nname = "Progress MS #3"\nvehicle = "progress-ms"\nport = "auto"\n'
     'launch = 2028-09-01\nduration_days = 10\n',
     ('cargo_visits[0].name = "Progress MS #3"', "a ship of cargo_series[0] has it")),
    # a dock command's visit joins the plan at run time under its visit_name
    ('[[commands]]\nat = 2028-09-01T12:00:00Z\ncommand = "dock"\nvehicle = "soyuz-ms"\n'
     'port = "auto"\nduration_days = 10\ncrew = 2\nvisit_name = "Soyuz MS crew #2"\n',
     ('commands[0].visit_name = "Soyuz MS crew #2"', "a ship of crew_series[0] has it")),
])
def test_visit_names_that_clash_refused(tmp_path, capsys, visits, fragments):
    _refused(capsys, _write(tmp_path, TEXT + "\n" + visits), *fragments)


def test_launch_group_named_as_an_ungrouped_launch_refused(tmp_path, capsys):
    text = TEXT.replace('launch_group = "node+gateway"', 'launch_group = "assembly[3]"')
    _refused(capsys, _write(tmp_path, text), 'assembly[1].launch_group = "assembly[3]"',
             "other than assembly[<n>]")


@pytest.mark.parametrize(("name", "fragments"), [
    ("", ("names.toml: name = ''", "not empty")),
    ("   ", ("name = '   '", "not empty")),
    ("ros\\u0000x", ("name = 'ros\\x00x'", "U+0000 (NUL")),
    ("ros\\u202ex", ("name = 'ros\\u202ex'", "U+202E (RIGHT-TO-LEFT OVERRIDE")),
    ("ros\\u200bx", ("U+200B (ZERO WIDTH SPACE",)),
    ("ros\\u2028x", ("U+2028 (LINE SEPARATOR",)),
    (" ros", ("name = ' ros'", "without blanks at its start or end")),
])
def test_scenario_name_refused(tmp_path, capsys, name, fragments):
    text = TEXT.replace('name = "ros-short"', f'name = "{name}"', 1)
    _refused(capsys, _write(tmp_path, text), *fragments)


@pytest.mark.parametrize(("field", "old", "new"), [
    ("crew_series[0].name", 'name = "Soyuz MS crew"', 'name = ""'),
    ("cargo_series[0].name", 'name = "Progress MS"', 'name = "Progress\\u0000MS"'),
    ("assembly[1].launch_group", 'launch_group = "node+gateway"', 'launch_group = "\\u202e"'),
])
def test_entry_names_refused(tmp_path, capsys, field, old, new):
    assert old in TEXT
    _refused(capsys, _write(tmp_path, TEXT.replace(old, new, 1)), f"{field} = ", "expected a name")


@pytest.mark.parametrize(("names", "fragments"), [
    ('["A", "B", "A"]', ('crew_roster.names[2] = "A"', "names[0] is the same")),
    ('["", "B"]', ("crew_roster.names[0] = ''", "not empty")),
    ('["A\\u0000"]', ("crew_roster.names[0]", "U+0000 (NUL")),
])
def test_crew_roster_names_refused(tmp_path, capsys, names, fragments):
    _refused(capsys, _write(tmp_path, TEXT + f"\n[crew_roster]\nnames = {names}\n"), *fragments)


def test_unicode_names_accepted(tmp_path, capsys):
    text = TEXT.replace('name = "ros-short"', 'name = "РОС, станция"', 1)
    text += '\n[crew_roster]\nnames = ["Олег Кононенко", "Елена Кондакова"]\n'
    assert main(["validate", str(_write(tmp_path, text))]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(("ellipsoid", "ok"), [("[100, 100, 100]", False),
                                                ("[2000, 1000, 200]", False),
                                                ("[2000, 1000, 201]", True)])
def test_approach_ellipsoid_surrounds_the_keep_out_sphere(tmp_path, capsys, ellipsoid, ok):
    text = TEXT + f"\n[free_flyers]\nkeep_out_radius_m = 200\napproach_ellipsoid_m = {ellipsoid}\n"
    path = _write(tmp_path, text)
    if ok:
        assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    else:
        _refused(capsys, path, "free_flyers.approach_ellipsoid_m = [", "inside the keep-out "
                 "sphere", "each longer than keep_out_radius_m (200 m)")


def test_empty_separation_in_the_projects_words(tmp_path, capsys):
    line = _refused(capsys, _write(tmp_path, TEXT + "\n[[separations]]\ndate = 2029-05-01\n"
                                   "modules = []\n"),
                    "separations[0].modules = [] (0 given)", "at least one module id")
    assert "List should have" not in line


def test_module_listed_twice_in_a_separation_refused(tmp_path, capsys):
    _refused(capsys, _write(tmp_path, TEXT + '\n[[separations]]\ndate = 2029-05-01\n'
                            'modules = ["core", "core"]\n'),
             'separations[0].modules[1] = "core"', "listed once")
