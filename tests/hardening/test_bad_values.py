"""Kinds 2, 5, 6 and 9 of issue 17: every bad argument or scenario value, file path or start-up
failure is one line and exit 2 (never exit 1 "bug in rossim", never a traceback, never a
silent success), and nothing is unbounded (spans, counts, steps, sample sizes are refused up
front with the limit and why).

Each test replays one case folder (tests/data/cases/rel/<case>/README.md names the origin:
issue 17's mutation campaigns) and asserts the README's expected outcome; the parametrised
variants are cases of the same kind built here.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from _hardening_util import one_line

REF = Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml"


# ------------------------------------------------------------------ scenario values (kind 5)

@pytest.mark.parametrize("name, fragment", [
    ("scenario.toml", "seed = true; expected an integer"),
    ("scenario-random-faults.toml", 'operations.random_faults = "true"; expected true or false'),
])
def test_booleans_are_not_numbers(case, cli, name, fragment):
    """rel/booleans-accepted-as-numbers."""
    case("rel/booleans-accepted-as-numbers")
    rc, out, err = cli("validate", name)
    assert rc == 2
    assert fragment in one_line(err)


@pytest.mark.parametrize("old, new, field", [
    ("raan_deg = 0.0", "raan_deg = true", "orbit.raan_deg"),
    ("seed = 20271215", "seed = 1.5", "seed"),
    ("seed = 20271215", 'seed = "1"', "seed"),
    ("seed = 20271215", "seed = false", "seed"),
    ("altitude_km = 400", "altitude_km = nan", "orbit.altitude_km"),
    ("altitude_km = 400", "altitude_km = inf", "orbit.altitude_km"),
    ("inclination_deg = 51.6", "inclination_deg = -inf", "orbit.inclination_deg"),
])
def test_scenario_value_mutants_refused(tmp_path, cli, old, new, field):
    """Same kind, built here: booleans, strings, fractions where integers are expected, NaN and
    infinities (TOML allows them) in numeric fields."""
    text = REF.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "m.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    rc, out, err = cli("validate", str(path))
    assert rc == 2
    line = one_line(err)
    assert field in line and "expected" in line


@pytest.mark.parametrize("folder, name, fragment", [
    ("visit-mass-inf-overflow", "scenario.toml", "cargo_series[0].mass_kg = inf"),
    ("series-every-days-inf", "scenario.toml", "cargo_series[0].every_days = inf"),
    ("series-every-days-inf", "scenario-1e300.toml", "cargo_series[0].every_days = 1e+300"),
    ("visit-zero-duration-keyerror", "scenario.toml", "crew_visits[0].duration_days"),
    ("duplicate-crew-visit-keyerror", "scenario.toml", "crew_visits[1]"),
    ("span-end-far-future", "scenario-2100.toml",
     'span.end = 2100-12-31; expected a date before 2100-01-01'),
    ("span-end-far-future", "scenario-9999.toml", 'span.end = 9999-12-31'),
    ("unbounded-deployment-values", "scenario-mass-inf.toml",
     "free_flyers.deployments[0].mass_kg = inf"),
    ("unbounded-deployment-values", "scenario-direction-huge.toml",
     "free_flyers.deployments[0].direction"),
    ("fleet-many-satellites-memory", "scenario-10000.toml", "free_flyers.max_satellites"),
    ("fleet-many-satellites-memory", "scenario-disp.toml", "free_flyers.dispersion_samples"),
    ("validate-accepts-unknown-deployment-port", "scenario.toml",
     'free_flyers.deployments[0].port = "nosuchmodule.airlock"'),
])
def test_scenario_refused_with_one_line(case, cli, folder, name, fragment):
    """rel/<folder>: each README expects validate to exit 2 with one line naming the field."""
    case(f"rel/{folder}")
    rc, out, err = cli("validate", name)
    assert rc == 2, err
    line = one_line(err)
    assert fragment in line and name in line


def test_series_until_year_9999_is_a_valid_plan(case, cli):
    """rel/series-until-year-9999: README: exit 2 naming the field, "or accepted: visits after
    span.end are dropped anyway". Expansion now stops at the span end: accepted."""
    case("rel/series-until-year-9999")
    rc, out, err = cli("validate", "scenario.toml")
    assert rc == 0, err


def test_scenario_name_with_dollar_plots(case, cli):
    """rel/name-with-dollar-mathtext (the describe part): a `$` pair in the name reached
    matplotlib's mathtext; expected the plot to escape it."""
    folder = case("rel/name-with-dollar-mathtext")
    rc, out, err = cli("describe", "scenario.toml", "--plot", "t.png")
    assert rc == 0, err
    assert (folder / "t.png").stat().st_size > 1000


def test_error_line_quotes_a_short_excerpt(case, cli):
    """rel/error-line-echoes-huge-value: a 1 M-item unknown key gave a 3 MB line; expected one
    line of ordinary length (`[1, 1, 1, ... 1000000 items]`)."""
    folder = case("rel/error-line-echoes-huge-value")
    text = (folder / "scenario.toml").read_text()
    (folder / "big.toml").write_text(text.replace("seed = 1", "seed = 1\nzz = [" + "1," * 1000000
                                                  + "]", 1))
    (folder / "long.toml").write_text(text.replace('name = "', 'name = "' + "x" * 100000, 1))
    rc, out, err = cli("validate", "big.toml")
    assert rc == 2
    assert "1000000 items" in one_line(err)
    rc, out, err = cli("validate", "long.toml")
    assert rc in (0, 2)
    assert len(err) < 400


def test_utf8_bom_accepted(case, cli):
    """rel/utf8-bom-misleading: expected the BOM accepted (many Windows editors write it)."""
    folder = case("rel/utf8-bom-misleading")
    (folder / "bom.toml").write_bytes(b"\xef\xbb\xbf" + (folder / "scenario.toml").read_bytes())
    rc, out, err = cli("validate", "bom.toml")
    assert rc == 0, err


def test_toml_nested_too_deeply(case, cli):
    """rel/toml-deep-nesting: expected `deep.toml: ... (malformed TOML: nested too deeply)`."""
    folder = case("rel/toml-deep-nesting")
    (folder / "deep.toml").write_text("a = " + "[" * 100000 + "]" * 100000 + "\n")
    rc, out, err = cli("validate", "deep.toml")
    assert rc == 2
    line = one_line(err)
    assert "deep.toml" in line and "nested too deeply" in line


# ------------------------------------------------------------------ files and paths (kind 9)

def test_initial_is_a_directory_or_empty(case, cli):
    """rel/initial-is-directory: expected `--initial = "d"; expected a state file, not a
    directory` (the option named, not the path twice)."""
    folder = case("rel/initial-is-directory")
    (folder / "d").mkdir()
    rc, out, err = cli("eclipse", "--initial", "d")
    assert rc == 2
    assert 'argument: --initial = "d"; expected a state file, not a directory' in one_line(err)
    rc, out, err = cli("passes", "--initial", "")
    assert rc == 2
    assert "--initial" in one_line(err)


def test_path_too_long(case, cli):
    """rel/path-too-long: expected exit 2, `expected a path whose components are at most 255
    bytes`, for validate, propagate -o and run --out."""
    case("rel/path-too-long")
    long = "./" + "q" * 300
    for argv in (("validate", "./" + "a" * 300 + ".toml"),
                 ("propagate", "--initial", "opm.txt", "--duration", "1h", "--step", "60s",
                  "-o", long + ".oem")):
        rc, out, err = cli(*argv)
        assert rc == 2
        assert "255" in one_line(err)


def test_scenario_without_read_permission(case, cli, monkeypatch):
    """rel/scenario-no-read-permission: expected exit 2 `... (permission denied); expected a
    readable TOML file`. The test runs as root too, so the refusal is simulated at the OS call."""
    case("rel/scenario-no-read-permission")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    rc, out, err = cli("validate", "scenario.toml")
    assert rc == 2
    line = one_line(err)
    assert "permission denied" in line and "readable TOML file" in line


def test_unreadable_home_at_start_up(cli, monkeypatch):
    """rel/unreadable-home-traceback: an import failing at start-up (astropy's config folder
    unreadable) gave 40 traceback lines; expected one line."""
    import rossim.cli.main as m

    def boom():
        raise PermissionError(13, "Permission denied", "/root/.astropy/config")

    monkeypatch.setattr(m, "build_parser", boom)
    rc, out, err = cli("--version")
    assert rc == 1
    assert "start-up failed" in one_line(err)


def test_sigint_at_start_up(cli, monkeypatch):
    """rel/sigint-at-startup-traceback: Ctrl-C while the sub-commands are imported; expected
    `rossim: interrupted`, exit 130."""
    import rossim.cli.main as m

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(m, "build_parser", interrupted)
    rc, out, err = cli("validate", "x.toml")
    assert rc == 130
    assert one_line(err) == "rossim: interrupted"


def test_sigint_that_pydantic_turned_into_a_schema_error(cli, monkeypatch):
    """A SIGINT while pydantic builds a model's validators (a module imported at start-up)
    comes back as pydantic's SchemaError naming the KeyboardInterrupt (seen in the real
    process test below): still one line, 130; any other error still goes up."""
    import rossim.cli.main as m

    class SchemaError(Exception):   # pydantic_core's, by name
        pass

    def interrupted(only=None):
        raise SchemaError('Error building "literal" validator:\n  KeyboardInterrupt: ')

    monkeypatch.setattr(m, "build_parser", interrupted)
    rc, out, err = cli("validate", "x.toml")
    assert rc == 130 and one_line(err) == "rossim: interrupted"
    assert not m._interrupted(SchemaError("Error building validator: TypeError"))


def test_sigint_at_start_up_real_process(tmp_path):
    """Same case with a real process and a real SIGINT while the sub-commands are imported
    (after the interpreter itself has started, which no program can guard): one line, 130."""
    import signal
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    # The child says when main() starts (the console script's first statement after its
    # import); the signal then falls into the sub-command imports (about a second).
    entry = ("import sys; from rossim.cli.main import main; sys.stderr.write('ready\\n'); "
             "sys.stderr.flush(); raise SystemExit(main())")
    for extra in (0.02, 0.2):
        # SIGINT as a terminal's foreground job has it (a background job of a non-interactive
        # shell inherits it ignored, and the signal would then test nothing)
        p = subprocess.Popen([sys.executable, "-c", entry, "validate", "ros-51.6"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             cwd=tmp_path,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        assert p.stderr.readline() == b"ready\n"
        time.sleep(extra)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        if p.returncode == 0:  # finished before the signal: nothing to check
            continue
        assert p.returncode == 130, err
        assert b"Traceback" not in err
        assert err.decode().strip().splitlines()[-1] == "rossim: interrupted"


# ------------------------------------------------------------------ arguments (kinds 5, 6)

@pytest.mark.parametrize("argv, fragment", [
    (("eclipse", "--initial", "mario.tle", "--duration", "1e300"), "--duration"),
    (("passes", "--initial", "mario.tle", "--duration", "1e300"), "--duration"),
    (("dose", "--altitude", "400", "--inclination", "51.6", "--days", "1e300"), "--days"),
])
def test_duration_1e300(case, cli, argv, fragment):
    """rel/duration-1e300-internal-error: expected `--duration = "1e300"; expected at most`."""
    case("rel/duration-1e300-internal-error")
    rc, out, err = cli(*argv)
    assert rc == 2
    line = one_line(err)
    assert fragment in line and "at most" in line


@pytest.mark.parametrize("argv, fragment", [
    (("eclipse", "--initial", "mario.tle", "--duration", "99999d"), "--duration"),
    (("passes", "--initial", "mario.tle", "--duration", "99999d"), "--duration"),
    (("dose", "--altitude", "400", "--inclination", "51.6", "--days", "99999"), "--days"),
    (("fleet", "ros-51.6", "--days", "0.5", "--step", "1e-9"), "--step"),
])
def test_huge_spans_refused_at_once(case, cli, argv, fragment):
    """rel/huge-duration-memory: expected exit 2 at once, as coverage and launch do."""
    case("rel/huge-duration-memory")
    rc, out, err = cli(*argv)
    assert rc == 2
    assert fragment in one_line(err)


def test_propagate_long_span_capped(case, cli):
    """rel/propagate-long-span-no-cap: 274 years of numerical propagation; expected a cap."""
    case("rel/propagate-long-span-no-cap")
    rc, out, err = cli("propagate", "--initial", "opm.txt", "--duration", "99999d", "--step",
                       "1d", "-o", "x.oem", "--no-progress")
    assert rc == 2
    line = one_line(err)
    assert "--duration" in line and "3660 d" in line


@pytest.mark.parametrize("option", ["--cd", "--mass", "--area", "--cr", "--srp-area"])
def test_nan_option_is_refused_not_replaced(case, cli, option):
    """rel/nan-option-silently-replaced: expected `--cd = nan; expected a finite number`."""
    case("rel/nan-option-silently-replaced")
    rc, out, err = cli("propagate", "--initial", "opm.txt", "--duration", "1h", "--step", "60s",
                       "--drag", "nrlmsise00", "--space-weather", "constant", "--srp",
                       option, "nan", "-o", "a.oem")
    assert rc == 2
    line = one_line(err)
    assert f"{option} = nan; expected a finite number" in line
    assert not os.path.exists("a.oem")


def test_option_values_not_ignored(case, cli):
    """rel/option-value-ignored: `--gravity abc` with a TLE, `launch --from 0001-01-01`, and
    empty strings taken as 'not given'."""
    case("rel/option-value-ignored")
    rc, out, err = cli("eclipse", "--initial", "mario.tle", "--duration", "6h", "--gravity",
                       "abc")
    assert rc == 2 and '--gravity = "abc"' in one_line(err)
    rc, out, err = cli("launch", "ros-51.6", "--from", "0001-01-01", "--days", "1", "--json")
    assert rc == 2 and '--from = "0001-01-01"' in one_line(err)
    for argv in (("describe", "ros-51.6", "--plot", ""), ("dose", "--date", "", "--altitude",
                 "400", "--inclination", "51.6"), ("fleet", "ros-51.6", "--start", "")):
        rc, out, err = cli(*argv)
        assert rc == 2 and "empty string" in one_line(err)


def test_opm_value_blamed_on_the_file(case, cli):
    """rel/propagate-opm-value-blamed-on-option: expected `mass0.opm:16: MASS = 0.0; expected
    a mass > 0 kg`, not `argument: --mass`."""
    case("rel/propagate-opm-value-blamed-on-option")
    rc, out, err = cli("propagate", "--initial", "mass0.opm", "--duration", "1h", "--step",
                       "60s", "-o", "x.oem")
    assert rc == 2
    line = one_line(err)
    assert "mass0.opm:16: MASS = 0.0; expected" in line and "--mass =" not in line


@pytest.mark.parametrize("spe", ["1950-01-01", "2200-01-01", "0001-01-01", "9999-12-31",
                                 "2027-12-01T00:00:00+14:00"])
def test_dose_spe_outside_the_window(cli, spe):
    """rel/dose-spe-date-typeerror: expected `--spe = "1950-01-01"; expected a date inside the
    averaging window`."""
    rc, out, err = cli("dose", "--altitude", "400", "--inclination", "51.6", "--days", "1",
                       "--date", "2027-01-01", "--spe", spe)
    assert rc == 2
    assert f'--spe = "{spe}"; expected a date inside the averaging window' in one_line(err)


def test_dose_spe_inside_the_window_counts(cli):
    """Same kind, the valid side: an SPE inside the window adds an SPE dose; the summary's
    trapped-proton scale stays a number (it was overwritten by the SPE loop's array)."""
    import json

    rc, out, err = cli("dose", "--altitude", "400", "--inclination", "51.6", "--days", "1",
                       "--date", "2027-01-01", "--spe", "2027-01-01T06:00:00", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["by_source"]["spe"]["absorbed_mGy_per_day"] > 0
    assert isinstance(data["trapped_proton_scale"], float)


def test_dose_crew_bounded(cli):
    """rel/dose-unbounded-crew: expected `--crew = 99999999999999999999; expected 1 to 8`."""
    rc, out, err = cli("dose", "--altitude", "400", "--inclination", "51.6", "--days", "1",
                       "--crew", "99999999999999999999", "--json")
    assert rc == 2
    assert "--crew = 99999999999999999999; expected 1 to 8" in one_line(err)


@pytest.mark.parametrize("argv", [
    ("coverage", "ros-51.6", "--days", "1", "--grid-deg", "1", "--swath-km", "1e-9"),
    ("coverage", "ros-51.6", "--days", "1", "--grid-deg", "1", "--fov-deg", "1e-9"),
    ("trade", "--days", "1", "--no-reboost", "--swath-km", "1e-9"),
])
def test_tiny_swath_refused(cli, argv):
    """rel/tiny-swath-hang: expected exit 2 at once: `--swath-km = 1e-09; expected at least
    <grid-resolving width> km`."""
    rc, out, err = cli(*argv)
    assert rc == 2
    line = one_line(err)
    assert ("--swath-km" in line or "--fov-deg" in line) and "grid cell" in line
