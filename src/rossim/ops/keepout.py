"""Keep-out rules of the free-flyer family around dockings, undockings and reboosts, enforced
by the autonomy in the loop.

Rules (figures in the scenario's ``[free_flyers]``, :mod:`rossim.config.free_flyers`):

* **No deployment near traffic or burns**: a deployment is not released within
  ``no_deploy_window_h`` before or after a docking or undocking of the plan, nor while a
  reboost is pending or within that window after the last one. A deployment that falls
  inside is **held** to the window's end (event ``deployment-held`` with the cause), then
  released by the command ``DeployFreeFlyer`` (source ``autonomy``).
* **A deployment waits for its module and for safe mode**: one whose port's module has not
  docked yet (an assembly slip) is held to that docking; one due in safe mode (which refuses
  deployments) is looked at again daily; one whose module never docks in the span is
  refused, a warning alarm with the reason. The robot's relocation to the module
  (``robot.relocation_h``) is booked a week ahead when the module is there, else when the
  deployment comes due (never on a module not yet docked); the release does not wait for it.
* **Keep-out at a reboost or a docking**: the autonomy predicts where each satellite
  released in the last ``keep_out_track_days`` is (Clohessy-Wiltshire from its release state: the linear model agrees with the nonlinear one
  to 1 % of the separation over the first orbits, ``tests/fleet/test_recontact.py``). A
  satellite inside the approach ellipsoid at a planned reboost either makes a station-keeping
  burn (it has propellant: event ``free-flyer-burn`` with the delta-v, that makes it drift
  out of the ellipsoid within one orbit) or **holds** the reboost until it has left (a
  reboost wait with the cause). At a docking, a satellite inside the approach ellipsoid or the
  approach corridor (:data:`rossim.config.free_flyers.APPROACH_CORRIDOR_LVLH_M`) burns if it can;
  otherwise a warning alarm asks to re-time the approach. A day ahead of each docking
  :mod:`rossim.ops.approach_retime` makes the same check over the approach and shifts the
  docking by whole orbits when a satellite without propellant would be in the way, so the
  alarm remains only when no shift clears it.
* **Returns over months** (:mod:`rossim.ops.return_watch`): at each release, and again
  whenever the station's plan or flown reboosts change, the nonlinear look-ahead of the
  post-run check predicts each satellite's returns over ``recontact_horizon_days``; a
  satellite predicted to come back into the approach ellipsoid burns a day before, or a
  warning alarm says it cannot.

Nothing here moves the station: the hooks are called from the engine
(:meth:`KeepOut.deployment_due`, :meth:`KeepOut.reboost_hold_until`,
:meth:`KeepOut.docking`, :meth:`KeepOut.plan_changed`); the per-satellite record is
:meth:`KeepOut.record`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from rossim.config.free_flyers import APPROACH_CORRIDOR_LVLH_M as _CORRIDOR
from rossim.config.free_flyers import CORRIDOR_RADIUS_M
from rossim.constants import G0_M_S2, GM_EARTH_M3_S2, R_EQ_M

APPROACH_CORRIDOR_LVLH_M = np.array(_CORRIDOR)
def _cw_positions(state0: np.ndarray, n: float, t: np.ndarray) -> np.ndarray:
    """Clohessy-Wiltshire LVLH positions (T,3) from an LVLH state (6,) (x along-track, y
    -orbit normal, z nadir; rotating-frame velocity): the onboard predictor (same closed form
    as rossim.fleet.relative.hcw_propagate, which the ops layer does not import)."""
    x0, y0, z0, vx, vy, vz = state0
    nt = n * np.asarray(t, float)
    s, c = np.sin(nt), np.cos(nt)
    up0, vup = -z0, -vz              # radial up
    x = (6 * (s - nt) * up0 + x0 - 2 / n * (1 - c) * vup + (4 * s - 3 * nt) / n * vx)
    up = (4 - 3 * c) * up0 + s / n * vup + 2 / n * (1 - c) * vx
    y = c * y0 + s / n * vy
    return np.stack([x, y, -up], axis=-1)

__all__ = ["KeepOut", "corridor_distance_m"]


def corridor_distance_m(p_lvlh: np.ndarray) -> np.ndarray:
    """Distance (m) of LVLH points (..., 3) to the nominal approach corridor's centre line."""
    p = np.asarray(p_lvlh, float)
    a = APPROACH_CORRIDOR_LVLH_M[:-1]
    d = APPROACH_CORRIDOR_LVLH_M[1:] - a
    ll = np.sum(d * d, axis=-1)
    u = np.clip(np.einsum("...sk,sk->...s", p[..., None, :] - a, d) / ll, 0.0, 1.0)
    e = p[..., None, :] - a - u[..., None] * d
    return np.linalg.norm(e, axis=-1).min(axis=-1)


class KeepOut:
    """The family's keep-out bookkeeping inside one run (see the module docstring)."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        ff = sim.scenario.free_flyers
        self.ff = ff
        self.window_s = int(ff.no_deploy_window_h * 3600)
        self.axes = np.asarray(ff.approach_ellipsoid_m, float)
        alt = sim.scenario.orbit.altitude_km
        self.n = math.sqrt(GM_EARTH_M3_S2 / (R_EQ_M + alt * 1e3) ** 3)
        self.released: list[dict] = []       # one per satellite
        self.holds: list[dict] = []
        #: modules the robot's relocation for a deployment was booked to
        self.relocations: set[str] = set()
        self.predicted: list[dict] = []      # nonlinear predictions of returns
        self.burns: list[dict] = []
        from rossim.ops.return_watch import ReturnWatch

        self.watch = ReturnWatch(self)       # returns re-predicted as the plan changes

    def _grid(self, t_s: float) -> int:
        """``t_s`` rounded up to the engine's step grid (every span boundary is on it)."""
        step = int(getattr(self.sim.engine, "step_s", 1))
        return int(math.ceil(t_s / step - 1e-9)) * step

    # -- deployments -----------------------------------------------------------------------
    def _conflict(self, now_s: int) -> tuple[int, str] | None:
        sim = self.sim
        w = self.window_s
        d = np.array(sim.dock_undock_s(), dtype=np.int64)
        near = d[np.abs(d - now_s) < w] if d.size else d
        if near.size:
            until = int(near.max() + w)
            return until, (f"a docking or undocking at {sim.iso(int(near.min()))} is within "
                           f"{w / 3600:g} h")
        if sim.autonomy.reboost_pending_since is not None:
            return now_s + 3600, "a reboost is pending"
        burns = sim.orbit.burns
        if burns:
            last = int((burns[-1].time - sim.engine.t_ref) / np.timedelta64(1, "s"))
            if now_s - last < w:
                return last + w, f"the reboost at {sim.iso(last)} was less than " \
                                 f"{w / 3600:g} h ago"
        return None

    def schedule_deployments(self) -> None:
        """At the run's start: each deployment of the scenario due at its date
        (:meth:`deployment_due`), and the robot's relocation to its module
        (``robot.relocation_h``) a week before, if the module is attached then (otherwise when
        the deployment comes due: :meth:`_not_ready`; a relocation booked on a module not yet
        there became a spacewalk on it months later, for a deployment refused long before)."""
        eng = self.sim.engine
        for i, dep in enumerate(self.ff.deployments):
            m = dep.port.split(".", 1)[0]
            t_s = max(eng.seconds(dep.date - dt.timedelta(days=7)), 0)
            eng.schedule(t_s, lambda e, m=m: self._relocate(m), "reloc")
            if 0 <= eng.seconds(dep.date) < eng.t_end_s:
                eng.schedule(eng.seconds(dep.date), lambda e, i=i: self.deployment_due(i),
                             "deployment")

    def _relocate(self, module: str) -> None:
        """The robot's relocation to ``module`` for a deployment, if it is attached (kept in
        :attr:`relocations`). The deployment does not wait for it: the robot works in the
        uncrewed stretches only (:mod:`rossim.ops.robotics`), and with a crew aboard the
        crew loads the deployer."""
        sim = self.sim
        if sim.config is None or module not in sim.config.modules:
            return
        self.relocations.add(module)
        sim._robot("relocation", module, sim.systems.robot.relocation_h.value)

    def _not_ready(self, dep: Any, now_s: int) -> tuple[int, str] | None:
        """``(until run s, cause)`` when deployment ``dep`` cannot be released now but can
        later: its port's module not attached yet and docking later in the span (held to the
        docking; the keep-out window after it then applies), or safe mode (deployments are
        refused: looked at again daily). None: release now (or refused for good)."""
        sim = self.sim
        eng = sim.engine
        module = dep.port.split(".", 1)[0]
        if sim.config is not None and module not in sim.config.modules:
            docks = [eng.seconds(e.time) for e in sim.timeline.events
                     if e.kind == "dock" and e.part == module and e.part_kind == "module"]
            later = [t for t in docks if now_s < t < eng.t_end_s]
            if later:                           # just after the docking
                return min(later) + 1, f"module {module} not attached yet: it docks " \
                                       f"{sim.iso(min(later))}"
            return None
        if sim.state.safe_mode and now_s + 86400 < eng.t_end_s:
            return now_s + 86400, "safe mode: deployments wait for its end"
        if module not in self.relocations:   # docked within the week before: relocate now
            self._relocate(module)
        return None

    def deployment_due(self, index: int, tries: int = 0) -> None:
        """Release deployment ``index`` now, or hold it: until its module docks, through safe
        mode (:meth:`_not_ready`) and to the end of its keep-out window. One that is never
        released (its module never docks in the span) is a warning alarm with the cause."""
        from rossim.ops.commands import DeployFreeFlyer

        sim = self.sim
        dep = self.ff.deployments[index]
        now = sim.engine.now_s
        wait = self._not_ready(dep, now)     # module, safe mode: one hold, extended
        merge = wait is not None
        if wait is None:                       # traffic and burns: at most 50 holds
            c = self._conflict(now)
            if c is not None and tries < 50 and c[0] < sim.engine.t_end_s:
                wait, tries = c, tries + 1
        if wait is not None:
            until, why = self._grid(wait[0]), wait[1]
            last = next((h for h in reversed(self.holds) if h["deployment"] == index), None)
            if merge and last is not None and last["cause"] == why:
                last["to"] = sim.iso(until)      # the same wait, a day longer
            else:
                self.holds.append({"deployment": index, "from": sim.iso(now),
                                   "to": sim.iso(until), "cause": why})
                sim.event("deployment-held", "free-flyers", f"deployment {index + 1} held to "
                          f"{sim.iso(until)}: {why}", "info", source="autonomy")
            sim.engine.schedule(until, lambda e: self.deployment_due(index, tries),
                                "deployment retry")
            return
        res = sim.command(DeployFreeFlyer(count=dep.count, mass_kg=dep.mass_kg, port=dep.port,
                                          source="autonomy"))
        if not res.accepted:
            sim.alarm("free-flyers", f"deployment {index + 1} ({dep.count} x {dep.mass_kg:g} "
                      f"kg from {dep.port}) not released", "warning", res.reason)
            return
        from rossim.dynamics.family_propagation import release_velocities_lvlh
        from rossim.dynamics.family_release import satellite_name

        vel = release_velocities_lvlh(sim.seed, self.ff.deployments)[index]
        first = len(self.released)
        for k in range(dep.count):
            self.released.append({
                "name": satellite_name(index, k), "deployment": index,
                "t_s": now + int(k * dep.interval_s), "actual": sim.iso(now + int(
                    k * dep.interval_s)), "state": np.concatenate([np.zeros(3), vel[k]]),
                "propellant_kg": dep.propellant_kg, "mass_kg": dep.mass_kg,
                "isp_s": dep.isp_s, "burns": 0})
        self.watch.released(index, self.released[first:])

    def plan_changed(self, cause: str) -> None:
        """Hook: the station's plan or flown orbit changed (a reboost, a plan edit): the
        released satellites' returns are predicted again (:mod:`rossim.ops.return_watch`)."""
        self.watch.changed(cause)

    def _avoid(self, s: dict, rec: dict) -> None:
        why = (f"predicted return into the approach ellipsoid at {rec['return']}, closest "
               f"{rec['distance_m']:.0f} m (nonlinear prediction of {rec['predicted_at']})")
        if not self._burn(s, why):
            self.sim.alarm("free-flyers", f"{s['name']}: {why}", "warning",
                           "the satellite has no propellant for a station-keeping burn; "
                           "the ground decides on a debris-avoidance manoeuvre",
                           key=f"return-{s['name']}")

    # -- prediction ------------------------------------------------------------------------
    def _positions(self, t_s: np.ndarray) -> tuple[list[dict], np.ndarray]:
        """Recently released satellites and their HCW LVLH positions (T, K, 3) at ``t_s``."""
        horizon = self.ff.keep_out_track_days * 86400
        t0 = float(np.min(t_s))
        recent = [s for s in self.released if 0 <= t0 - s["t_s"] <= horizon
                  and not s.get("cleared")]
        if not recent:
            return [], np.zeros((len(t_s), 0, 3))
        out = np.empty((len(t_s), len(recent), 3))
        for j, s in enumerate(recent):
            out[:, j] = _cw_positions(s["state"], self.n, np.asarray(t_s, float) - s["t_s"])
        return recent, out

    def _inside(self, p: np.ndarray) -> np.ndarray:
        return np.sum((p / self.axes) ** 2, axis=-1) < 1.0

    def _burn(self, s: dict, why: str) -> bool:
        """A station-keeping burn of satellite ``s`` (drift out of the ellipsoid within one
        orbit: ``dv = n a_x / (6 pi)``); False without propellant."""
        sim = self.sim
        dv = self.n * self.axes[0] / (6 * math.pi)
        kg = s["mass_kg"] * (1 - math.exp(-dv / (G0_M_S2 * s["isp_s"])))
        if s["propellant_kg"] < kg:
            return False
        s["propellant_kg"] -= kg
        s["burns"] += 1
        s["cleared"] = True
        self.burns.append({"satellite": s["name"], "time": sim.iso(sim.engine.now_s),
                           "dv_m_s": round(dv, 4), "propellant_kg": round(kg, 6),
                           "cause": why})
        sim.event("free-flyer-burn", s["name"], f"station-keeping burn {dv:.3f} m/s "
                  f"({kg * 1e3:.0f} g): {why}", "info", value=dv, source="autonomy")
        return True

    # -- hooks -----------------------------------------------------------------------------
    def reboost_hold_until(self, now_s: int) -> tuple[int, str] | None:
        """Hook of the reboost rule: ``(until_s, reason)`` when a satellite that cannot burn
        is inside the approach ellipsoid now (the reboost waits until it has left); None when
        the reboost may go (satellites that can burn have burned)."""
        recent, p = self._positions(np.array([now_s], float))
        if not recent:
            return None
        inside = self._inside(p[0])
        stuck = [s for s, i in zip(recent, inside, strict=True)
                 if i and not self._burn(s, "inside the approach ellipsoid at a reboost")]
        if not stuck:
            return None
        t = now_s + np.arange(60, 2 * 86400, 60, dtype=float)
        _, q = self._positions(t)
        names = {s["name"] for s in stuck}
        cols = [j for j, s in enumerate(recent) if s["name"] in names]
        still = self._inside(q[:, cols]).any(axis=1)
        out = np.flatnonzero(~still)
        until = self._grid(t[out[0]] if out.size else t[-1])
        return until, (f"free-flyer keep-out: {', '.join(sorted(names))} inside the approach "
                       "ellipsoid, no propellant for a station-keeping burn")

    def docking(self, vehicle: str) -> None:
        """Hook at a vehicle's docking: satellites inside the approach ellipsoid or the
        approach corridor burn, or an alarm asks to re-time the approach."""
        sim = self.sim
        now = sim.engine.now_s
        self.watch.changed(f"docking of {vehicle}")  # re-predicts only if the inputs changed
        period = 2 * math.pi / self.n
        t = now - np.linspace(2 * period, 0.0, 25)
        recent, p = self._positions(t)
        if not recent:
            return
        bad = self._inside(p).any(axis=0) | (corridor_distance_m(p) < CORRIDOR_RADIUS_M
                                             ).any(axis=0)
        for s, b in zip(recent, bad, strict=True):
            if b and not self._burn(s, f"in the approach corridor of {vehicle}"):
                sim.alarm("free-flyers", f"{s['name']} in the approach corridor of {vehicle}",
                          "warning", "a satellite without propellant crossed the last two "
                          "orbits of the approach: re-time the approach by one orbit or more",
                          key=f"corridor-{s['name']}")

    def record(self) -> dict[str, Any]:
        """Deployments (held or not), holds and satellite burns of the run (summary)."""
        return {"released": [{k: v for k, v in s.items() if k not in ("state", "t_s")}
                             for s in self.released],
                "holds": self.holds, "burns": self.burns, "predicted_returns": self.predicted,
                "return_predictions": self.watch.predictions,
                "no_deploy_window_h": self.ff.no_deploy_window_h}

