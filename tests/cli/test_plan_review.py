"""``rossim validate`` says what the plan does that the file does not (CLI bad-input sweep,
finding 9): a plan whose logistics module docked 13 years after the span's end was "valid"; a
visit slipped behind another at its pad had no word; an EVA with no crew aboard passed. Now
(:mod:`rossim.ops.plan_review`, :mod:`rossim.station.slip_causes`): a module docking after the
span's end is an error when an entry needs it and a warning otherwise, both followed back to
the launches that held it; visits slipped past the end are a warning; every slip inside the
span is a ``slip:`` line with its cause; an EVA needs a crew aboard or planned aboard."""

from pathlib import Path

from rossim.cli.main import main

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
TEXT = SHORT.read_text(encoding="utf-8")


def _spam(until: str) -> str:
    """A Progress every day at the core's port: the Baikonur pad's 14-day turnaround slips
    them one behind another, and the core waits at node.forward behind those planned
    before it."""
    return ('\n[[cargo_series]]\nname = "spam"\nvehicle = "progress-ms"\n'
            f'first_launch = 2028-07-05\nevery_days = 1\nuntil = {until}\n'
            'port = "node.forward"\nduration_days = 0.5\n')


def _validate(tmp_path: Path, capsys, text: str) -> tuple[int, str, str]:
    path = tmp_path / "review.toml"
    path.write_text(text, encoding="utf-8")
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return rc, out, err


def _lines(out: str, kind: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith(f"{kind}: ")]


def test_module_docking_after_the_span_is_a_warning_with_its_cause(tmp_path, capsys):
    rc, out, err = _validate(tmp_path, capsys, TEXT + _spam("2028-12-01"))
    assert rc == 0, err
    assert "(after the span's end)" in out.splitlines()[0]
    warnings = _lines(out, "warning")
    core = next(w for w in warnings if w.startswith("warning: assembly[3] core docks "))
    for frag in ("after the span's end, 2029-06-30", "waits for spam #",
                 "(both at node.forward)", "launches of cargo_series[1]",
                 "slipped one behind another", "the simulated station never has it"):
        assert frag in core, (frag, core)
    dropped = next(w for w in warnings if "planned visits slipped past the span's end" in w)
    assert "and not flown" in dropped and "(cargo_series[1])" in dropped


def test_module_docking_after_the_span_that_an_eva_needs_is_refused(tmp_path, capsys):
    eva = '\n[[evas]]\ndate = 2029-01-05\nworksite = "core"\n'
    rc, out, err = _validate(tmp_path, capsys, TEXT + _spam("2028-12-01") + eva)
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 1000
    for frag in ('assembly[3] = "core"', "after the span's end, 2029-06-30",
                 "waits for spam #", "as evas[0] needs (an EVA at it"):
        assert frag in lines[0], (frag, lines[0])


def test_module_not_there_says_when_and_why_it_is_late(tmp_path, capsys):
    # sixteen daily ships: the core slips ~3 months, inside the span
    eva = '\n[[evas]]\ndate = 2029-01-05\nworksite = "core"\n'
    rc, out, err = _validate(tmp_path, capsys, TEXT + _spam("2028-07-20") + eva)
    assert rc == 2
    for frag in ('evas[0].worksite = "core"', "module not there then; it docks 2029-",
                 "waits for spam #16 (both at node.forward)", "cargo_series[1]"):
        assert frag in err, (frag, err)


def test_two_visits_at_one_port_slip_with_a_line(tmp_path, capsys):
    visits = ''.join(f'\n[[cargo_visits]]\nvehicle = "progress-ms"\nport = "node.nadir"\n'
                     f'launch = {d}\nduration_days = 10\n' for d in ("2028-09-01", "2028-09-02"))
    rc, out, err = _validate(tmp_path, capsys, TEXT + visits)
    assert rc == 0, err
    slips = _lines(out, "slip")
    assert len(slips) == 1
    assert slips[0].startswith("slip: progress-ms@2028-09-02 (cargo_visits[1]) lifts off "
                               "2028-09-15")
    assert "pad turnaround (14 d) after progress-ms@2028-09-01" in slips[0]
    # the run's event of that docking says it too (the docking's detail)
    from rossim.config.scenario import load_scenario
    from rossim.station import build_timeline

    tl = build_timeline(load_scenario(tmp_path / "review.toml"))
    dock = next(e for e in tl.events if e.part == "progress-ms@2028-09-02" and e.kind == "dock")
    assert "slipped 13.8 d: Baikonur Site 31/6" in dock.detail


def test_eva_without_crew_refused(tmp_path, capsys):
    eva = '\n[[evas]]\ndate = 2028-10-01\nworksite = "node"\n'
    rc, out, err = _validate(tmp_path, capsys, TEXT + eva)
    assert rc == 2
    for frag in ('evas[0].date = "2028-10-01"', "no crew of 2 aboard then",
                 "the next docks 2028-12-31", "last before it 2028-07-01 08:58 UTC .. "
                 "2028-07-31 03:18 UTC", "next 2028-12-31"):
        assert frag in err, (frag, err)
    late = '\n[[evas]]\ndate = 2029-03-01\nworksite = "node"\n'   # no crew after it
    rc, out, err = _validate(tmp_path, capsys, TEXT + late)
    assert rc == 2 and "nor later in the span" in err


def test_eva_inside_a_crew_stay_is_valid(tmp_path, capsys):
    eva = '\n[[evas]]\ndate = 2028-07-10\nworksite = "node"\n'
    rc, out, err = _validate(tmp_path, capsys, TEXT + eva)
    assert rc == 0, err
    assert not _lines(out, "eva")


def test_reference_plan_lists_its_slips_and_the_eva_wait(capsys):
    assert main(["validate", "ros-51.6"]) == 0
    out = capsys.readouterr().out
    slips = _lines(out, "slip")
    # no cargo ship slips: the cargo planner flies outside the crews' pad blocks (Progress
    # MS #2 slipped behind Soyuz MS crew #4, crews first, before stop 47)
    assert [s.split(" lifts off")[0] for s in slips] == [
        "slip: Orel crew, stage 1 #3 (crew_series[1])",
        "slip: Orel crew, stage 1 #5 (crew_series[1])",
        "slip: Orel crew, stage 2 #1 (crew_series[2])"]
    assert all("pad turnaround (30 d)" in s for s in slips)
    # the EVA of 2031-07-01 waits for the Orel crew planned that day, slipped by the pad
    eva = _lines(out, "eva")
    assert len(eva) == 1 and "evas[0]" in eva[0] and "Orel crew, stage 1 #3" in eva[0]
    assert "Vostochny Site 1A (Angara) pad turnaround (30 d) after logistics" in eva[0]
    assert not _lines(out, "warning")
