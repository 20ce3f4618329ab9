"""CZML (Cesium's time-dynamic scene format) of a run: the station along its flown orbit, the
ships docked to it and the free-flyer family, written with the ``czml3`` library.

* **Station**: the run's hourly orbit channel (mean altitude and node, reboosts included) as a
  :class:`rossim.dynamics.ephemeris.MeanElementEphemeris`, sampled every ``step_s`` in GCRF
  (CZML ``referenceFrame: INERTIAL``, Lagrange interpolation of degree 5). The along-track phase
  is the mean-element model's (the run tracks altitude and node, not a measured position).
* **Ships**: each visiting vehicle from the archive's ``phases`` table (its list of docked
  ships' names, :func:`rossim.archive.store.read_phases`: a name may hold commas), available
  while docked, positioned at the station (``reference: station#position``).
* **Free-flyers** (when the scenario is at hand): each satellite's passively safe relative
  orbit (:class:`rossim.fleet.relative.RelativeOrbit`, HCW) about the station from its
  release as flown (the archive's ``free_flyers`` table: after any keep-out hold, not the
  plan's date) to its re-entry, turned from LVLH (x along-track, y cross-track = -orbit
  normal, z towards the Earth) to GCRF with the station's own position and velocity.

The scene covers ``[start, start + days]`` (default: the whole run) so that a file stays a
size Cesium loads: about 100 bytes per sample and object.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np

from rossim.constants import GM_EARTH_M3_S2
from rossim.errors import InputError

MAX_SAMPLES = 5_000_000  # samples x objects in one file (about 0.5 GB of JSON)


def _iso(t64: np.datetime64) -> str:
    return str(t64.astype("datetime64[s]")) + "Z"


def read_run(archive: Path) -> dict[str, Any]:
    """What the export needs from an archive (read-only): ``phases`` as ``(start, finish,
    [ship names])``, ``free_flyers`` as ``{name: (release, re-entry)}`` as flown (UTC
    datetimes; re-entry None past the lifetime model, ``...`` in an archive of before the
    column) or None for an archive of before the table."""
    import duckdb

    from rossim.archive.store import read_phases

    con = duckdb.connect(str(archive), read_only=True)
    try:
        info = dict(con.execute("SELECT key, value FROM run_info").fetchall())
        t, alt, raan = zip(*con.execute(
            "SELECT time, altitude_km, raan_deg FROM telemetry_hourly ORDER BY time").fetchall(),
            strict=True) if con.execute("SELECT count(*) FROM telemetry_hourly").fetchone()[0] \
            else ((), (), ())
        flown = _read_flown(con)
    finally:
        con.close()
    phases = [(r["start"], r["finish"], r["vehicles"]) for r in read_phases(archive)]
    return {"info": info, "time": np.array(t, dtype="datetime64[us]"),
            "altitude_km": np.array(alt, float), "raan_deg": np.array(raan, float),
            "phases": phases, "free_flyers": flown}


def _read_flown(con) -> dict[str, tuple[dt.datetime, Any]] | None:
    """The archive's ``free_flyers`` releases and re-entries (see :func:`read_run`)."""
    import duckdb

    def utc(x):
        return None if x is None else x.replace(tzinfo=dt.UTC)

    try:
        try:
            rows = con.execute("SELECT name, deployed, reentry FROM free_flyers").fetchall()
            return {n: (utc(d), utc(e)) for n, d, e in rows}
        except duckdb.Error:   # an archive written before the reentry column
            rows = con.execute("SELECT name, deployed FROM free_flyers").fetchall()
            return {n: (utc(d), ...) for n, d in rows}
    except duckdb.Error:       # an archive written before the table
        return None


def as_flown(satellites, flown: dict[str, tuple[dt.datetime, Any]] | None) -> list:
    """The scenario's satellites (:func:`rossim.fleet.family.plan_family`, the plan's dates)
    released when the run released them (``flown``, :func:`read_run`): the keep-out rules may
    hold a deployment hours past its date (ops.keepout), and the satellite is not in space
    before. The re-entry is the run's (an archive without it: the plan's, shifted as the
    release). A satellite the archive does not list keeps the plan's dates."""
    import dataclasses

    out = []
    for sat in satellites:
        rec = (flown or {}).get(sat.name)
        if rec is None or rec[0] is None:
            out.append(sat)
            continue
        released, reentry = rec
        if reentry is ...:
            reentry = (None if sat.end_of_life is None
                       else sat.end_of_life + (released - sat.deployed))
        out.append(dataclasses.replace(sat, deployed=released, end_of_life=reentry))
    return out


def _lvlh_to_gcrf(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotation matrices (N, 3, 3) whose columns are the LVLH axes x, y, z in GCRF."""
    z = -r / np.linalg.norm(r, axis=1)[:, None]
    h = np.cross(r, v)
    y = -h / np.linalg.norm(h, axis=1)[:, None]
    x = np.cross(y, z)
    return np.stack([x, y, z], axis=2)


def build_czml(run: dict[str, Any], *, inclination_deg: float, step_s: float = 300.0,
               start: np.datetime64 | None = None, days: float | None = None,
               satellites=(), name: str = "ROS") -> tuple[str, dict[str, int]]:
    """The CZML document (JSON text) and counts ``{"samples", "ships", "free_flyers"}``."""
    from czml3 import Document, Packet
    from czml3.properties import Color, Label, Point, PolylineMaterial, Position, SolidColorMaterial
    from czml3.properties import Path as CzPath
    from czml3.types import TimeInterval, TimeIntervalCollection

    from rossim.dynamics.ephemeris import MeanElementEphemeris
    from rossim.time import time_from_datetime64

    t = run["time"]
    if len(t) < 2:
        raise InputError("archive", "telemetry_hourly", len(t), "a run of at least two hours")
    t0 = t[0] if start is None else np.datetime64(start, "us")
    if t0 < t[0] and t0 >= t[0].astype("datetime64[D]"):   # the run's first day: its start
        t0 = t[0]
    t1 = t[-1] if days is None else min(t0 + np.timedelta64(int(days * 86400), "s"), t[-1])
    if t0 < t[0] or t1 <= t0:   # before the run, or at/after its last hour
        raise InputError("argument", "start", _iso(t0),
                         f"a date inside the run ({_iso(t[0])} .. {_iso(t[-1])})")
    n = int((t1 - t0) / np.timedelta64(1, "s") // step_s) + 1
    if n * (1 + len(satellites)) > MAX_SAMPLES:
        raise InputError("argument", "step_s", step_s,
                         f"a step or window with at most {MAX_SAMPLES:,} samples in the file "
                         f"({n:,} samples x {1 + len(satellites)} objects asked)")
    eph = MeanElementEphemeris(time_from_datetime64(t), inclination_deg,
                               np.radians(run["raan_deg"]),
                               altitude_m=run["altitude_km"] * 1e3)
    off = float((t0 - t[0]) / np.timedelta64(1, "s"))
    ts = off + step_s * np.arange(n)
    r, v = eph.state_gcrf_seconds(ts)
    epoch = _iso(t0)
    rel_t = ts - off

    def cartesian(xyz: np.ndarray, tt: np.ndarray) -> list[float]:
        return np.column_stack([tt, xyz]).ravel().tolist()

    interval = TimeInterval(start=epoch, end=_iso(t1))
    packets = [Packet(id="document", name=f"rossim: {name}", version="1.0")]
    packets.append(Packet(
        id="station", name=name, availability=interval,
        description=f"{name} along its flown orbit (rossim run archive)",
        position=Position(epoch=epoch, referenceFrame="INERTIAL",
                          interpolationAlgorithm="LAGRANGE", interpolationDegree=5,
                          cartesian=cartesian(r, rel_t)),
        point=Point(pixelSize=8, color=Color(rgba=[255, 200, 40, 255])),
        label=Label(text=name, show=True),
        path=CzPath(show=True, width=1, leadTime=0, trailTime=5600,
                    material=PolylineMaterial(solidColor=SolidColorMaterial(
                        color=Color(rgba=[255, 200, 40, 160]))))))
    ships: dict[str, list[tuple[np.datetime64, np.datetime64]]] = {}
    for p0, p1, vehicles in run["phases"]:
        if isinstance(vehicles, str):   # a joined string cannot be split back (names hold ",")
            raise TypeError("run['phases']: a list of ship names per phase "
                            "(rossim.archive.store.read_phases), not one string")
        for vname in dict.fromkeys(filter(None, vehicles)):
            a = max(np.datetime64(p0, "us"), t0)
            b = min(np.datetime64(p1, "us"), t1)
            if b <= a:
                continue
            spans = ships.setdefault(vname, [])
            if spans and spans[-1][1] == a:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
    for k, (vname, spans) in enumerate(sorted(ships.items())):
        packets.append(Packet(
            id=f"ship-{k + 1}", name=vname, description=f"{vname}, docked to {name}",
            availability=TimeIntervalCollection(values=[
                TimeInterval(start=_iso(a), end=_iso(b)) for a, b in spans]),
            position=Position(reference="station#position"),
            point=Point(pixelSize=5, color=Color(rgba=[120, 200, 255, 255])),
            label=Label(text=vname, show=False)))
    frames = _lvlh_to_gcrf(r, v) if satellites else None
    n_mean = math.sqrt(GM_EARTH_M3_S2 / float(np.mean(np.linalg.norm(r, axis=1))) ** 3) \
        if satellites else 0.0
    flyers = 0
    for sat in satellites:
        dep = np.datetime64(sat.deployed.replace(tzinfo=None), "us")
        keep = t0 + (ts - off).astype("timedelta64[s]") >= dep
        eol = (None if getattr(sat, "end_of_life", None) is None
               else np.datetime64(sat.end_of_life.replace(tzinfo=None), "us"))
        if eol is not None:  # re-entered (rossim.fleet.lifetime): out of the scene
            keep &= t0 + (ts - off).astype("timedelta64[s]") < eol
        if not keep.any():
            continue
        dt_dep = (ts[keep] - off) - float((dep - t0) / np.timedelta64(1, "s"))
        lvlh = sat.orbit.state(n_mean, dt_dep)[:, :3]
        pos = r[keep] + np.einsum("nij,nj->ni", frames[keep], lvlh)
        packets.append(Packet(
            id=sat.name, name=sat.name,
            availability=TimeInterval(start=_iso(max(dep, t0)),
                                      end=_iso(t1 if eol is None else min(eol, t1))),
            description=f"free-flyer {sat.name} ({sat.mass_kg:g} kg), ring {sat.ring}",
            position=Position(epoch=epoch, referenceFrame="INERTIAL",
                              interpolationAlgorithm="LAGRANGE", interpolationDegree=5,
                              cartesian=cartesian(pos, rel_t[keep])),
            point=Point(pixelSize=4, color=Color(rgba=[120, 255, 120, 255]))))
        flyers += 1
    text = Document(packets=packets).dumps()
    return text, {"samples": n, "ships": len(ships), "free_flyers": flyers}


def export_czml(archive: str | Path, out: str | Path, *, step_s: float = 300.0,
                start: Any = None, days: float | None = None, scenario=None) -> dict[str, Any]:
    """Write ``out`` (CZML) from a run archive; returns what was written."""
    from rossim.fileio import atomic_write_text

    run = read_run(Path(archive))
    info = run["info"]
    inc = info.get("inclination_deg")
    if inc is None and scenario is not None:
        inc = scenario.orbit.inclination_deg
    if inc is None:
        raise InputError(str(archive), "run_info.inclination_deg", None,
                         "an archive written by this rossim (rerun `rossim run`) or the "
                         "scenario (scenario=) to give the orbit's inclination")
    sats = ()
    if scenario is not None and scenario.free_flyers.deployments:
        from rossim.fleet.family import plan_family

        sats, _ = plan_family(scenario, check_deployments=False)
        sats = as_flown(sats, run.get("free_flyers"))
    start64 = None
    if start is not None:
        start64 = np.datetime64(start.replace(tzinfo=None) if isinstance(start, dt.datetime)
                                else start, "us")
    text, counts = build_czml(run, inclination_deg=float(inc), step_s=step_s, start=start64,
                              days=days, satellites=sats,
                              name=f"ROS ({info.get('scenario', 'run')})")
    atomic_write_text(Path(out), text)
    return {"output": str(out), "bytes": len(text), **counts}
