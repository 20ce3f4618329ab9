"""Mutation campaign of issue 17 (``make fuzz``; not part of ``make test``).

Feeds rossim's command line with mutated state files, mutated scenario files and bad option
values, in-process, and checks the promise of the README: every run ends with exit 0 and a
valid result (strict JSON where ``--json`` is asked), or exit 2 with exactly one line on
stderr (bad input, or a physical outcome that ended the result early) - never exit 1, another
code, a traceback, several lines or NaN in JSON. Deterministic (seeded); prints the share
kept and the broken cases. ``tools/docs_robustness.py`` puts the figure in
docs/validation.md.

Usage: ``python tools/fuzz.py [N_PER_FAMILY]`` (default 150).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

CASES = ROOT / "tests" / "data" / "cases"
STATE_FILES = [
    "field/propagate-initial-omm-oem/ros.omm", "field/propagate-initial-omm-oem/ros.oem",
    "field/omm-xml-namespace/ros-omm-ns.xml", "field/opm-maneuvers-ignored/ros-man.opm",
    "field/opm-tod-frame/ros-tod.opm", "field/tle-squeezed-whitespace/original.tle",
    "own/ros-man-ns.xml", "own/iss-3.xml", "field/tle-decayed-silent/decay.tle",
]
BAD = ["nan", "inf", "-inf", "1e308", "-1e308", "1e-308", "0", "-0", "-1", "", " ", "true",
       "false", "9" * 40, "x" * 300, "0001-01-01", "9999-12-31T23:59:59", "2027-13-45",
       "\t", "é", "1,5", "'", '"', "<", "&", "[1, 2]", "{}", "1e300d", "-5min", "P99999D"]
ARGV = [
    ["propagate", "--initial", "{opm}", "--duration", "1h", "--step", "10min", "-o", "{out}",
     "--json", "--drag", "nrlmsise00", "--space-weather", "constant", "--f107", "150",
     "--cd", "2.2", "--mass", "1000", "--area", "10", "--gravity", "j2"],
    ["eclipse", "--initial", "{tle}", "--duration", "1h", "--json", "--gravity", "j2"],
    ["passes", "--initial", "{tle}", "--duration", "1h", "--json", "--min-elevation", "10"],
    ["dose", "--altitude", "400", "--inclination", "51.6", "--days", "1", "--json",
     "--step", "120", "--crew", "2", "--date", "2027-01-01", "--shielding", "10"],
    ["launch", "ros-51.6", "--days", "1", "--json", "--from", "2028-01-01",
     "--insertion-km", "200"],
    ["fleet", "ros-51.6", "--days", "0.2", "--step", "60", "--json", "--start", "2034-01-01"],
]


def _mutate_text(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        if not lines:
            break
        k = rng.randrange(len(lines))
        op = rng.choice(["value", "value", "delete", "duplicate", "swap", "char", "truncate"])
        line = lines[k]
        if op == "value":
            token = rng.choice(BAD)
            if "=" in line:
                lines[k] = line.split("=", 1)[0] + "= " + token
            elif "</" in line and ">" in line.split("</", 1)[0]:
                head = line.split(">", 1)[0]
                lines[k] = head + ">" + token + "</" + line.rsplit("</", 1)[1]
            else:
                parts = line.split()
                if parts:
                    parts[rng.randrange(len(parts))] = token
                lines[k] = " ".join(parts)
        elif op == "delete":
            del lines[k]
        elif op == "duplicate":
            lines.insert(k, line)
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == "char" and line:
            i = rng.randrange(len(line))
            lines[k] = line[:i] + chr(rng.choice([0x20, 0x30, 0x41, 0x7F, 0xE9, 0x2028,
                                                   rng.randrange(32, 0x3000)])) + line[i + 1:]
        elif op == "truncate":
            lines[k] = line[: rng.randrange(len(line) + 1)]
    return "\n".join(lines) + "\n"


class _Timeout(Exception):
    pass


def _run(argv: list[str], limit_s: int = 120) -> tuple[str, str]:
    """One in-process run: ``("ok" | "broken", reason)``."""
    from rossim.cli.main import main

    out, err = io.StringIO(), io.StringIO()

    def alarm(*_):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(limit_s)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(argv)
    except SystemExit as exc:  # argparse's own errors
        rc = exc.code if isinstance(exc.code, int) else 2
    except _Timeout:
        return "broken", f"no end within {limit_s} s"
    except BaseException as exc:  # noqa: BLE001 - the campaign counts what escapes
        return "broken", f"escaped: {type(exc).__name__}: {str(exc)[:120]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    lines = [x for x in err.getvalue().splitlines() if x.strip()]
    if rc == 0:
        if "--json" in argv:
            try:
                json.loads(out.getvalue(), parse_constant=lambda c: (_ for _ in ()).throw(
                    ValueError(c)))
            except ValueError as exc:
                return "broken", f"exit 0, invalid JSON ({str(exc)[:60]})"
        return "ok", "exit 0"
    if rc == 2:
        if len(lines) != 1 or "Traceback" in err.getvalue() or len(lines[0]) > 1000:
            return "broken", f"exit 2 with {len(lines)} lines: {err.getvalue()[:160]!r}"
        return "ok", "exit 2"
    return "broken", f"exit {rc}: {err.getvalue().strip()[:200]}"


def campaign(n: int = 150, seed: int = 17) -> dict:
    """Run the three families; returns counts and the broken cases."""
    import warnings

    warnings.simplefilter("ignore")
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="rossim-fuzz-"))
    cwd = os.getcwd()
    os.chdir(work)
    results: dict[str, list] = {"state files": [], "scenarios": [], "arguments": []}
    try:
        for i in range(n):
            name = rng.choice(STATE_FILES)
            path = work / f"s{i}{Path(name).suffix}"
            path.write_text(_mutate_text((CASES / name).read_text(encoding="utf-8"), rng),
                            encoding="utf-8")
            cmd = rng.choice(["eclipse", "passes", "propagate"])
            argv = [cmd, "--initial", str(path), "--duration", "1h"]
            argv += ["--step", "10min", "-o", str(work / "x.oem")] if cmd == "propagate" \
                else ["--json"]
            results["state files"].append((argv, *_run(argv)))
        ref = (ROOT / "scenarios" / "ros-51.6.toml").read_text(encoding="utf-8")
        for i in range(n):
            path = work / f"c{i}.toml"
            path.write_text(_mutate_text(ref, rng), encoding="utf-8")
            argv = ["validate", str(path)]
            results["scenarios"].append((argv, *_run(argv)))
        opm = str(CASES / "field/opm-maneuvers-ignored/ros-man.opm")
        tle = str(CASES / "field/tle-squeezed-whitespace/original.tle")
        for _ in range(n):
            argv = [a.format(opm=opm, tle=tle, out=str(work / "y.oem"))
                    for a in rng.choice(ARGV)]
            options = [k for k, a in enumerate(argv) if a.startswith("--")
                       and k + 1 < len(argv) and not argv[k + 1].startswith("--")]
            k = rng.choice(options)
            argv[k + 1] = rng.choice(BAD)
            results["arguments"].append((argv, *_run(argv)))
    finally:
        os.chdir(cwd)
    summary = {}
    for family, rows in results.items():
        summary[family] = {"runs": len(rows), "kept": sum(r[1] == "ok" for r in rows),
                           "exit0": sum(r[2] == "exit 0" for r in rows),
                           "exit2": sum(r[2] == "exit 2" for r in rows),
                           "broken": [(r[0], r[2]) for r in rows if r[1] != "ok"]}
    return summary


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 150
    summary = campaign(n)
    total = sum(s["runs"] for s in summary.values())
    kept = sum(s["kept"] for s in summary.values())
    for family, s in summary.items():
        print(f"{family}: {s['kept']}/{s['runs']} kept (exit 0: {s['exit0']}, exit 2: "
              f"{s['exit2']})")
        for args, why in s["broken"][:10]:
            print(f"   BROKEN {' '.join(a[:60] for a in args)}\n          {why}")
    print(f"total: {kept}/{total} = {100.0 * kept / total:.1f} % kept the promise")
    return 0 if kept == total else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
