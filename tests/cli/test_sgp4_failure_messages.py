"""SGP4 failing on an element set from a file: the one line names the file, the object, the
element epoch, the instant and SGP4's error with its meaning; a decayed object is a physical
outcome (``rossim: ended early``), exit 2 either way, never a traceback or an internal error.

References: python-sgp4 itself (``Satrec.sgp4`` error codes and ``sgp4.api.SGP4_ERRORS``
texts, Vallado et al. AIAA 2006-6753), run on the same lines in the test; the field case
tests/data/cases/field/tle-decayed-silent (python-sgp4 2.27: error 1 from 611.33 min after
the epoch, 2015-08-11T17:23:20Z).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sgp4.api import SGP4_ERRORS, WGS72, Satrec
from sgp4.io import fix_checksum

from rossim.cli.main import main

FIELD = Path(__file__).resolve().parents[1] / "data" / "cases" / "field" / "tle-decayed-silent"

#: 410 km mean altitude, e = 0.1, mean anomaly 0 (at perigee, 6111 km from the centre): the
#: position at the epoch is inside the Earth (SGP4 error 6).
SUBSURF = ("SUBSURF",
           fix_checksum("1 11111U 78080A   15223.30000000  .00000000  00000-0  10000-3 0  9990"),
           fix_checksum("2 11111  62.3000  61.7000 1000000 263.5000 000.0000 15.20000000 29190"))


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


def test_peer_says_the_subsurface_elements_fail_at_epoch_with_error_6():
    sat = Satrec.twoline2rv(SUBSURF[1], SUBSURF[2], WGS72)
    e, _, _ = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
    assert e == 6


@pytest.mark.parametrize("command", [
    ("propagate", "--duration", "1h", "--step", "10min", "-o", "out.oem"),
    ("eclipse", "--duration", "1h"),
    ("passes", "--duration", "1h"),
])
def test_elements_decayed_at_epoch_are_an_outcome_naming_file_object_epoch(
        tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    Path("subsurf.tle").write_text("\n".join(SUBSURF) + "\n")
    rc = main([command[0], "--initial", "subsurf.tle", *command[1:]])
    line = _one_line(capsys.readouterr().err)
    assert rc == 2
    assert line.startswith("rossim: ended early: subsurf.tle: SUBSURF (11111)")
    assert "2015-08-11T07:12:00" in line                  # the element epoch
    assert "SGP4 error 6" in line and SGP4_ERRORS[6] in line and "inside the Earth" in line
    assert "decayed" in line
    assert not Path("out.oem").exists()


@pytest.mark.parametrize("command", ["eclipse", "passes"])
def test_elements_failing_mid_span_name_file_object_epoch_and_error(tmp_path, monkeypatch,
                                                                   capsys, command):
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIELD / "decay.tle", "decay.tle")
    rc = main([command, "--initial", "decay.tle", "--duration", "1d", "--json"])
    cap = capsys.readouterr()
    line = _one_line(cap.err)
    assert rc == 2
    assert line.startswith("rossim: ended early: decay.tle: DECAYING 1 (11111), epoch "
                           "2015-08-11T07:12:00")
    assert "SGP4 error 1 (" + SGP4_ERRORS[1] in line and "past SGP4's validity" in line
    assert "from 2015-08-11T17:23:19.888Z" in line         # README: 17:23:20Z (611.33 min)
    data = json.loads(cap.out)
    assert data["ended_early"]["reason"] == "sgp4"
    assert "decay.tle" in data["ended_early"]["detail"]


def test_bad_elements_at_epoch_are_an_input_error_naming_everything():
    """Codes 1-5 at the epoch (the file readers refuse most such elements before SGP4 runs:
    e >= 1, a negative mean motion): an InputError naming the file, the object, the epoch and
    SGP4's error with its text."""
    from rossim.dynamics.sgp4_failure import ElementsDecayed, check_at_epoch
    from rossim.errors import InputError
    from rossim.files.tle import parse_tles

    sat = parse_tles("\n".join(SUBSURF), "x.tle")[0]
    check_at_epoch("x.tle", sat, 0)
    with pytest.raises(InputError) as e:
        check_at_epoch("x.tle", sat, 2)
    assert not isinstance(e.value, ElementsDecayed)
    msg = str(e.value)
    assert msg.startswith("x.tle: SUBSURF (11111), epoch 2015-08-11T07:12:00")
    assert "SGP4 error = 2" in msg and SGP4_ERRORS[2] in msg
    assert "expected elements SGP4 can propagate" in msg
