"""Figures of the hand-written docs pages, computed by the commands that print them.

A hand-written page (README.md, docs/*.md that no ``tools/page_*.py`` writes) marks each figure
that comes from a command where it appears::

    heaters <!--fig:ops.thermal.51.heater_kwh-->25,807<!--/fig--> kWh

The comments render invisibly in Markdown. A marker may also enclose a whole code span or a
fenced block (an HTML comment inside backticks would show), its ``format`` then writes the
backticks or the fence. ``tools/doc_figures.toml`` is the registry: each ``[fig."KEY"]`` names
a ``source`` (a ``[source.NAME]``: a ``rossim`` command line, run once per source), where the
value is in its output (``path``: a dotted path in its JSON, ``[i]`` for a list item,
``[key=value]`` for the first item whose ``key`` is ``value``, or
``regex``: group ``v`` or 1 of its text; ``all = true`` joins every match by lines) and a
``format`` (``str.format`` of the value; ``round``: digits as Python's ``round`` first, -1 to
tens, for a figure that differs in its last digit between hosts). Sources run in parallel, two at a time.

    python tools/doc_figures.py             # run the sources, rewrite every marked figure
    python tools/doc_figures.py --check     # the same, change nothing; exit 1 on a stale figure
    python tools/doc_figures.py --list      # the marked keys per page (runs nothing)
    python tools/doc_figures.py --only run-97,validate-51   # those sources' figures only

``make docs`` runs it after the generated pages; ``make doc-figures`` runs it alone.
tests/test_doc_figures.py checks the markers against the registry and the figures against
the sources.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = Path(__file__).resolve().parent / "doc_figures.toml"
MARKER = re.compile(r"<!--fig:(?P<key>[\w.\-]+)-->(?P<value>.*?)<!--/fig-->", re.S)
OPEN = re.compile(r"<!--\s*fig:")
CLOSE = re.compile(r"<!--\s*/fig\s*-->")


@dataclass
class Output:
    """What one source printed: exit code, stdout, stderr and its JSON (or None)."""
    rc: int
    stdout: str
    stderr: str
    data: object | None
    folder: Path


def registry(path: Path = REGISTRY) -> dict:
    """The parsed ``doc_figures.toml``: ``{"source": {...}, "fig": {...}}``."""
    with path.open("rb") as f:
        return tomllib.load(f)


def pages() -> list[Path]:
    """README.md and every docs page that carries a figure marker."""
    out = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [p for p in out if OPEN.search(p.read_text(encoding="utf-8"))]


def markers(text: str) -> list[tuple[str, str]]:
    """``[(key, value as written)]`` of a page, in order."""
    return [(m.group("key"), m.group("value")) for m in MARKER.finditer(text)]


def malformed(text: str) -> list[str]:
    """Openings or closings that are not part of a well-formed marker (spaces inside the
    comment, an unclosed or nested marker)."""
    bad = []
    stripped = MARKER.sub("", text)
    for m in OPEN.finditer(stripped):
        bad.append(stripped[m.start(): m.start() + 60])
    for m in CLOSE.finditer(stripped):
        bad.append(stripped[max(0, m.start() - 60): m.end()])
    for _key, value in markers(text):
        if OPEN.search(value):
            bad.append(value[:60])
    return bad


def run_source(name: str, spec: dict, tmp: Path) -> Output:
    """Run one ``[source.NAME]``: ``argv`` after ``rossim`` with ``{tmp}`` (a scratch folder)
    and ``{root}`` substituted, in ``cwd`` (default the repository). ``json``: a file it
    writes (relative to ``{tmp}``) or ``"stdout"``. ``rc``: the exit code it must give (0)."""
    tmp.mkdir(parents=True, exist_ok=True)
    sub = {"tmp": str(tmp), "root": str(ROOT)}
    argv = [a.format(**sub) for a in spec["argv"]]
    cwd = Path(spec.get("cwd", "{root}").format(**sub))
    cwd.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep
               + os.environ.get("PYTHONPATH", ""), COLUMNS="200", NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "rossim.cli.main", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True)
    want = spec.get("rc", 0)
    if proc.returncode != want:
        raise RuntimeError(f"source {name}: rossim {' '.join(argv)} exited {proc.returncode}, "
                           f"expected {want}: {proc.stderr.strip()[-400:]}")
    data = None
    where = spec.get("json")
    if where == "stdout":
        data = json.loads(proc.stdout)
    elif where:
        data = json.loads((tmp / where.format(**sub)).read_text(encoding="utf-8"))
    return Output(proc.returncode, proc.stdout, proc.stderr, data, tmp)


def run_sources(names, reg: dict, tmp: Path, workers: int = 2) -> dict[str, Output]:
    """Every named source, ``workers`` at a time (each is its own process)."""
    names = sorted(set(names))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outs = list(pool.map(lambda n: run_source(n, reg["source"][n], tmp / n), names))
    return dict(zip(names, outs, strict=True))


def _path(data, path: str):
    """``path`` in ``data``: dotted keys, ``[i]`` a list item, ``[key=value]`` the first list
    item whose ``key`` is ``value`` (as text)."""
    value = data
    for part in re.findall(r"[^.\[\]]+|\[[^\]]+\]", path):
        if part.startswith("[") and "=" in part:
            k, v = part[1:-1].split("=", 1)
            value = next(x for x in value if str(x.get(k)) == v)
        else:
            value = value[int(part[1:-1])] if part.startswith("[") else value[part]
    return value


def serve_channels(out: Output) -> int:
    """Channels ``rossim serve`` lists for the run folder of ``out`` (its startup line)."""
    from rossim.serve.replay import ArchiveSource

    return len(ArchiveSource(out.folder / "out").channels)


def callup_earliest(out: Output) -> str:
    """Earliest lift-off of the run's first spare call-up: its call plus the call-up lead
    time."""
    from datetime import datetime, timedelta

    c = out.data["logistics"]["callups"]
    first = next(f for f in c["flight_list"] if f["why"] == "spare")
    called = datetime.fromisoformat(first["called"].replace("Z", "+00:00"))
    return (called + timedelta(days=c["lead_days"])).strftime("%Y-%m-%d %H:%M")


def free_flyers(out: Output, fig: dict):
    """A statistic over the run's free-flyers (summary.json ``free_flyers.satellites``): those
    of ``deployment`` (and with ``where`` truthy), their ``field`` (or ``days_to_closest``,
    ``days_to_first_return``: release to closest approach or first return into the approach
    ellipsoid, days), reduced by ``reduce`` (min, max, count)."""
    from datetime import datetime

    def days(s, field):
        to = "closest_approach_at" if field == "days_to_closest" else "first_return_at"
        t = [datetime.fromisoformat(s[k].replace("Z", "+00:00")) for k in ("released", to)]
        return (t[1] - t[0]).total_seconds() / 86400.0

    sats = [s for s in out.data["free_flyers"]["satellites"]
            if s["deployment"] == fig["deployment"] and (not fig.get("where") or s[fig["where"]])]
    if fig["reduce"] == "count":
        return len(sats)
    f = fig["field"]
    vals = [days(s, f) if f.startswith("days_to_") else s[f] for s in sats]
    return REDUCE[fig["reduce"]](vals)


DERIVE = {"serve_channels": serve_channels, "callup_earliest": callup_earliest,
          "free_flyers": free_flyers}
REDUCE = {"min": min, "max": max, "sum": sum, "len": len}


def value(key: str, fig: dict, out: Output) -> str:
    """The figure ``key`` as the page shows it, from its source's output."""
    if "derive" in fig:
        f = DERIVE[fig["derive"]]
        raw = f(out, fig) if fig["derive"] == "free_flyers" else f(out)
    elif "path" in fig:
        raw = _path(out.data, fig["path"])
        if fig.get("reduce") == "len":
            raw = len(raw)
        elif "reduce" in fig:
            raw = REDUCE[fig["reduce"]](v for k, v in raw.items()
                                        if k not in fig.get("exclude", ()))
    else:
        text = out.stderr if fig.get("stream") == "stderr" else out.stdout
        rx = re.compile(fig["regex"], re.M)
        found = list(rx.finditer(text))
        if not found:
            raise LookupError(f"figure {key}: /{fig['regex']}/ not in the output of "
                              f"source {fig['source']}")

        def grab(m):
            if "each" in fig:
                return fig["each"].format(**m.groupdict())
            return m.group("v") if "v" in rx.groupindex else m.group(1)

        raw = "\n".join(grab(m) for m in found) if fig.get("all") else grab(found[0])
    if "map" in fig:
        raw = fig["map"].get(raw, raw)
    if "strftime" in fig:
        from datetime import datetime

        raw = datetime.fromisoformat(raw.replace("Z", "+00:00")).strftime(fig["strftime"])
    if "scale" in fig:
        raw = raw * fig["scale"]
    if "round" in fig:   # digits as Python's round: -1 to tens (a figure known to +-5 only)
        raw = round(raw, fig["round"])
    if "slice" in fig:
        raw = str(raw)[slice(*fig["slice"])]
    return fig.get("format", "{}").format(raw)


def compute(keys, reg: dict, outs: dict[str, Output]) -> dict[str, str]:
    return {k: value(k, reg["fig"][k], outs[reg["fig"][k]["source"]]) for k in keys}


def rewrite(text: str, values: dict[str, str]) -> str:
    """``text`` with every marked figure whose key is in ``values`` replaced."""
    def sub(m):
        k = m.group("key")
        v = values.get(k, m.group("value"))
        return f"<!--fig:{k}-->{v}<!--/fig-->"
    return MARKER.sub(sub, text)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    reg = registry()
    if "--list" in argv:
        for page in pages():
            print(page.relative_to(ROOT), *[k for k, _ in markers(page.read_text("utf-8"))])
        return 0
    only = None
    if "--only" in argv:
        only = set(argv[argv.index("--only") + 1].split(","))
    used = {p: markers(p.read_text(encoding="utf-8")) for p in pages()}
    keys = {k for ms in used.values() for k, _ in ms}
    unknown = sorted(keys - set(reg["fig"]))
    if unknown:
        print(f"doc_figures: marked but not in {REGISTRY.name}: {', '.join(unknown)}",
              file=sys.stderr)
        return 2
    if only is not None:
        keys = {k for k in keys if reg["fig"][k]["source"] in only}
    from rossim.fileio import atomic_write_text

    with tempfile.TemporaryDirectory(prefix="doc-figures-") as tmp:
        outs = run_sources({reg["fig"][k]["source"] for k in keys}, reg, Path(tmp))
        values = compute(keys, reg, outs)
    stale = 0
    for page, ms in used.items():
        wrong = [(k, v, values[k]) for k, v in ms if k in values and values[k] != v]
        for k, was, now in wrong:
            print(f"{page.relative_to(ROOT)}: {k}: {was!r} -> {now!r}")
        stale += len(wrong)
        if wrong and not check:
            atomic_write_text(page, rewrite(page.read_text(encoding="utf-8"), values))
    print(f"doc_figures: {len(keys)} figures, {stale} {'stale' if check else 'rewritten'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
