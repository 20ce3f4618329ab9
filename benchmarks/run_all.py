"""Run every benchmark in this folder and print one table (``make bench``).

Each ``bench_*.py`` module defines ``run() -> list[dict]``; every dict is one row with keys
``benchmark``, ``rossim_s`` (wall seconds), ``peer`` (name of the peer timed in the same run, or
``"target"`` when the target is an absolute time), ``peer_s``, ``ratio`` (peer_s / rossim_s, so
> 1 means rossim is faster), and free-text ``notes`` (accuracy, peak memory, ...).
The table is also written to ``docs/performance.md`` so the published figures are the measured
ones (``run_all.py bench_run --update`` re-measures one file and replaces only its rows). Each benchmark file runs in its own Python process, so peak-memory figures and warm-up
costs of one do not leak into another.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _machine() -> str:
    return (f"{platform.machine()}, {_cpu_model()}, {platform.python_implementation()} "
            f"{platform.python_version()}")


_FULL = "Machine of the last full `make bench`: "
_SINCE = " Re-measured since by `run_all.py --update`: "
_TAIL = " Absolute times follow the host"


def _update_preamble(line: str, sources: set[str], machine: str) -> str:
    """The preamble's machine line after ``sources`` were re-measured on ``machine``: the
    full bench's machine, then each group of re-measured files with its own machine (the
    files re-measured now leave their earlier group)."""
    if not (line.startswith(_FULL) and _TAIL in line):
        raise ValueError(f"docs/performance.md: unexpected preamble line {line[:80]!r}")
    body, tail = line[len(_FULL):].split(_TAIL, 1)
    full, _, since = body.partition(_SINCE)
    full = full.strip().rstrip(".")
    groups: list[tuple[list[str], str]] = []
    for part in since.strip().rstrip(".").split("; ") if since.strip() else []:
        names, _, where = part.partition(" on ")
        keep = [n for n in names.split(", ") if n not in sources]
        if keep:
            groups.append((keep, where))
    same = [k for k, (_, where) in enumerate(groups) if where == machine]
    if same:   # the same machine again: one group
        names, _ = groups.pop(same[0])
        sources = set(sources) | set(names)
    groups.append((sorted(sources), machine))
    since = "; ".join(f"{', '.join(names)} on {where}" for names, where in groups)
    return f"{_FULL}{full}.{_SINCE}{since}.{_TAIL}{tail}"


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return "" if value is None else str(value)


def _child(path: Path) -> int:
    """Run one benchmark file; its rows go to stdout as one JSON line (progress: stderr)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # so that process pools can pickle its functions
    assert spec.loader is not None
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        spec.loader.exec_module(module)
        rows = module.run()
    finally:
        sys.stdout = real_stdout
    print(json.dumps(rows, default=float))
    return 0


def _cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo), or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return _child(Path(argv[1]))
    update = "--update" in argv
    selected = set(argv) - {"--update"}
    rows: list[dict] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if selected and path.stem not in selected:
            continue
        print(f"== {path.stem}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", str(path)],
                              stdout=subprocess.PIPE, text=True, check=False)
        if proc.returncode != 0:
            print(f"   FAILED (exit {proc.returncode})", flush=True)
            rows.append({"benchmark": path.stem, "notes": f"failed (exit {proc.returncode})",
                         "source": path.name})
            continue
        for row in json.loads(proc.stdout.strip().splitlines()[-1]):
            row.setdefault("source", path.name)
            rows.append(row)
            print("   " + ", ".join(f"{k}={_fmt(v)}" for k, v in row.items()), flush=True)
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    cols = ["benchmark", "rossim_s", "peer", "peer_s", "ratio", "notes", "source"]
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (`benchmarks/run_all.py`); every row is timed in the same run as",
        "its peer. `ratio` = peer time / rossim time (above 1: rossim is faster).",
        f"Machine of the last full `make bench`: {_machine()}. Absolute times follow the "
        "host (the same commit on",
        "two hosts of this kind has differed by 2x, peers included): compare the ratios.",
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "---|" * len(cols),
    ]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(c)) for c in cols) + " |")
    out = ROOT / "docs" / "performance.md"
    if not selected:
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")
    elif update and out.exists():
        # Re-measure some benchmarks: their rows replace the old ones of the same source file
        # in docs/performance.md; every other row stays as measured before.
        sources = {f"{name}.py" for name in selected}
        old = out.read_text(encoding="utf-8").splitlines()
        kept = [ln for ln in old if not (ln.startswith("| ") and ln.rstrip().rstrip("|").strip()
                                         .split("|")[-1].strip() in sources)]
        new_rows = [ln for ln in lines if ln.startswith("| ") and not ln.startswith("| benchmark")]
        last = max(i for i, ln in enumerate(kept) if ln.startswith("|"))
        kept[last + 1:last + 1] = new_rows
        # rows in the order of make bench: by source file, each file's rows as it prints them
        first = min(i for i, ln in enumerate(kept) if ln.startswith("|---"))
        body = [ln for ln in kept[first + 1:] if ln.startswith("| ")]
        body.sort(key=lambda ln: ln.rstrip().rstrip("|").strip().split("|")[-1].strip())
        kept[first + 1:first + 1 + len(body)] = body
        # the preamble as this run states it, saying which rows it re-measured: the others
        # keep the last full `make bench`'s figures (git log of this page for its host)
        head = kept[:kept.index(next(ln for ln in kept if ln.startswith("| benchmark")))]
        at = next(i for i, ln in enumerate(head) if ln.startswith("Machine of the last full"))
        head[at] = _update_preamble(head[at], sources, _machine())
        kept[:len(head)] = head
        out.write_text("\n".join(kept) + "\n", encoding="utf-8")
        print(f"updated {len(new_rows)} rows of {out.relative_to(ROOT)}")
    else:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
