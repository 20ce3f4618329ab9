"""The autonomy's watch over the returns of released free-flyers (issue 14): predicted at
release and again whenever what the prediction rests on changes.

At a release, and while a satellite is inside its recontact horizon
(``free_flyers.recontact_horizon_days``, 90 days), the autonomy predicts where it and the
station go with the coarse-step nonlinear model of the post-run check
(:func:`rossim.dynamics.family_propagation.propagate_family`, the same inputs:
:mod:`rossim.dynamics.family_release`): from the release, the station's state at the
release, the satellites' release points and dispersed velocities, and the station's hourly
``Cd A/m`` and reboosts **as flown so far** (the orbit model's committed rows and burns),
then **as planned**: the ``Cd A/m`` of the plan's configurations to come (dockings and
undockings change it) and the reboosts the autonomy will make, from the orbit model's own
decay (the first hour below the band floor, or at once when the station is below it; each
flown as the post-run check flies a reboost: two Hohmann impulses sized from its altitudes).

That prediction only changes when its inputs do, so the watch re-predicts when one of them
has (its fingerprint: the plan version, the reboosts flown, the attitude): at once after a
reboost and after a plan edit (hooks, :meth:`rossim.ops.keepout.KeepOut.plan_changed`), at
every docking, when a reboost it planned has not flown an orbit after its time (held: the
next look waits twice as long, up to ``return_check_days``), and at least every
``free_flyers.return_check_days`` (7 days: an attitude command changes the drag area). A satellite predicted to enter the approach ellipsoid (or the
keep-out sphere) after release is handled a day before that first return: a station-keeping
burn (:meth:`rossim.ops.keepout.KeepOut._avoid`) or, without propellant, a warning alarm; a
later prediction replaces an earlier one (its avoidance is re-timed or dropped). A return
found only after it began (an input changed that no hook reported) is a warning alarm that
says so. With the flown history, the last prediction of a satellite and the post-run check
(:func:`rossim.fleet.recontact.family_summary`) are the same computation.

Cost: one propagation per watched deployment and change, of the satellites neither cleared
by a burn nor re-entered (8 satellites over 90 days: about 1.5 s, compiled).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["ReturnWatch"]

HOUR_S = 3600


class ReturnWatch:
    """Returns of the released satellites of ``keepout``'s run (see the module docstring).

    ``predictions`` lists every prediction made: time, deployment (from 1), cause, the
    satellites propagated (neither cleared nor re-entered) and the returns found (satellite,
    first return, closest approach m)."""

    def __init__(self, keepout: Any) -> None:
        self.ko = keepout
        self.sim = keepout.sim
        self.watched: dict[int, dict] = {}
        self.predictions: list[dict] = []
        self._token: dict[str, int] = {}
        self._poll_at: int | None = None

    # -- inputs ----------------------------------------------------------------------------
    def _fingerprint(self) -> tuple:
        sim = self.sim
        return (getattr(sim, "_plan_version", 0), len(sim.orbit.burns),
                getattr(getattr(sim, "state", None), "attitude", None))

    def _seconds(self, t64: np.datetime64) -> float:
        return float((np.datetime64(t64, "us") - self.sim.engine.t_ref) / np.timedelta64(1, "s"))

    def _station_cda(self, start_s: int, n_hours: int) -> np.ndarray:
        """Station ``Cd A/m`` (m^2/kg) at the ``n_hours`` hour marks from the first at or
        after ``start_s``: the orbit model's committed hourly rows before now, the plan's
        configurations (phase in force at the mark, the current attitude) from now on at the
        mass known now (:meth:`rossim.ops.station_mass.StationMass.forecast_kg`) less the
        steady loss since (attitude control, leak, the crew's stores), the last mark before
        the run's end held after it (as the run's history ends there)."""
        sim = self.sim
        eng = sim.engine
        marks = (math.ceil(start_s / HOUR_S) + np.arange(n_hours)) * float(HOUR_S)
        out = np.empty(n_hours)
        rows = getattr(sim.orbit, "rows", None)
        past = marks < eng.now_s
        if rows is not None and rows["t_s"] and past.any():
            t = np.concatenate(rows["t_s"])
            b = np.concatenate(rows["ballistic_m2_kg"])
            k = np.clip(np.searchsorted(t, marks[past]), 0, len(t) - 1)
            out[past] = b[k]
        else:
            past[:] = False
        fut = ~past
        last = (math.ceil(eng.t_end_s / HOUR_S) - 1) * float(HOUR_S)
        tl = getattr(sim, "timeline", None)
        sm = getattr(sim, "station_mass", None)   # the flown mass (rossim.ops.station_mass)
        if tl is None or not hasattr(sim, "_phase_config") or sm is None:
            cfg = sim.config
            m = sm.mass_kg() if sm is not None else cfg.mass_kg
            out[fut] = sim.orbit.cd * cfg.drag_area_m2 / m if cfg.mass_kg > 0 else 0.0
            return out
        starts = np.array([self._seconds(np.datetime64(p.start.replace(tzinfo=None), "us"))
                           for p in tl.phases])
        idx = np.searchsorted(starts, np.minimum(marks[fut], last), side="right") - 1
        # per phase: Cd A, the mass known now, the steady loss (kg/s) from now on
        cda, m0, loss = {}, {}, {}
        for i in np.unique(idx):
            cfg = sim._phase_config(int(max(i, 0)))
            cda[i] = sim.orbit.cd * cfg.drag_area_m2 if cfg.mass_kg > 0 else 0.0
            m0[i] = sm.forecast_kg(int(max(i, 0)))
            loss[i] = sm.loss_kg_per_s(m0[i], cfg.crew_aboard)
        t_f = np.minimum(marks[fut], max(last, float(eng.now_s)))
        step = np.diff(np.concatenate([[float(eng.now_s)], t_f]))
        lost = np.cumsum(np.array([loss[i] for i in idx]) * np.maximum(step, 0.0))
        m = np.array([m0[i] for i in idx]) - lost
        out[fut] = np.where(m > 0, np.array([cda[i] for i in idx]) / np.maximum(m, 1e-9), 0.0)
        return out

    # -- hooks -----------------------------------------------------------------------------
    def released(self, index: int, sats: list[dict]) -> None:
        """Deployment ``index`` was released now (``sats``: the keep-out records of its
        satellites): record the station's state and the release geometry, and predict."""
        from rossim.dynamics.family_propagation import density_table
        from rossim.dynamics.family_release import release_states

        sim = self.sim
        now = sim.engine.now_s
        alt_km = sim.orbit.altitude_m / 1e3
        node = float(sim.orbit.om)
        for s in sats:   # the post-run check starts from the same station (KeepOut.record)
            s["station_altitude_km"], s["station_raan_rad"] = alt_km, node
        days = float(self.ko.ff.recontact_horizon_days)
        start = sim.now
        geo = {g["name"]: g for g in release_states(sim.scenario, sim.timeline, sim.seed,
                                                     {index: start}, only=index)} \
            if getattr(sim, "timeline", None) is not None else {}
        for s in sats:
            if s["name"] in geo:
                s["state"] = geo[s["name"]]["state"]
        lr, alts = density_table(sim.scenario, start, days,
                                 max(alt_km, sim.orbit.high_m / 1e3), weather=sim.weather,
                                 model=getattr(sim.orbit, "atmosphere", None))
        self.watched[index] = {"start_s": now, "alt_km": alt_km, "node": node, "sats": sats,
                               "lr": lr, "alts": alts, "end_s": now + days * 86400.0,
                               "fingerprint": None, "recheck_s": None, "misses": 0,
                               "burns_seen": len(sim.orbit.burns)}
        self.predict(index, "release")
        self._schedule_poll()

    def changed(self, cause: str, force: bool = False) -> None:
        """Re-predict every watched deployment whose inputs changed since its last
        prediction (``force``: all of them)."""
        now = self.sim.engine.now_s
        for index, w in list(self.watched.items()):
            if now > w["end_s"] or not self._active(w):
                del self.watched[index]
                continue
            if force or w["fingerprint"] != self._fingerprint():
                self.predict(index, cause)

    def _poll(self) -> None:
        self._poll_at = None
        self.changed("periodic check")
        self._schedule_poll()

    def _schedule_poll(self) -> None:
        eng = self.sim.engine
        if not self.watched or self._poll_at is not None:
            return
        t = self.ko._grid(eng.now_s + float(self.ko.ff.return_check_days) * 86400.0)
        if t < eng.t_end_s:
            self._poll_at = t
            eng.schedule(t, lambda e: self._poll(), "free-flyer return check")

    def _recheck(self, index: int, burns_then: int, t_s: int) -> None:
        """A reboost the last prediction planned is due: re-predict if it has not flown
        (the next look after a miss waits twice as long, up to ``return_check_days``)."""
        w = self.watched.get(index)
        if w is None or w["recheck_s"] != t_s:
            return
        w["recheck_s"] = None
        if len(self.sim.orbit.burns) == burns_then:
            w["misses"] += 1
            self.predict(index, "a reboost it planned has not flown yet (held)")

    def _reboost_plan(self, bst: np.ndarray, start_s: int, end_s: float
                      ) -> list[tuple[int, float, float]]:
        """The autonomy's reboosts from now to ``end_s``: ``(t_s, altitude before km, after
        km)``, by the orbit model's own decay (:func:`rossim.ops.orbit_keeping.decay_states`,
        hourly, the ``Cd A/m`` ``bst`` of the hour marks from ``start_s``): a reboost to the
        band top at the first hour below the floor (at once when the station is below it)."""
        from rossim.ops.orbit_keeping import MU_EARTH_M3_S2, R_EQ_M, decay_states

        sim = self.sim
        orb = sim.orbit
        if not hasattr(orb, "lr_hourly"):
            return []
        now = sim.engine.now_s
        times = np.concatenate([[float(now)], np.arange(
            (now // HOUR_S + 1) * HOUR_S, end_s, HOUR_S, dtype=float)])
        k = np.clip(((times - math.ceil(start_s / HOUR_S) * HOUR_S) // HOUR_S).astype(int),
                    0, len(bst) - 1)
        b = bst[k]
        out: list[tuple[int, float, float]] = []
        a, om, i0 = float(orb.a), float(orb.om), 0
        if a - R_EQ_M < orb.low_m:      # below the floor: a reboost is pending
            out.append((int(now), (a - R_EQ_M) / 1e3, orb.high_m / 1e3))
            a = R_EQ_M + orb.high_m
        while i0 < len(times) - 1 and len(out) < 100:
            aa, oo, _ = decay_states(times[i0:], a, om, orb.lr_hourly, orb.trial_m,
                                     b[i0:] * orb.f_rot, orb.nodal_k, R_EQ_M, MU_EARTH_M3_S2)
            low = np.flatnonzero(aa[1:] - R_EQ_M < orb.low_m)
            if not low.size:
                break
            j = i0 + 1 + int(low[0])
            out.append((int(times[j]), (aa[1 + low[0]] - R_EQ_M) / 1e3, orb.high_m / 1e3))
            a, om, i0 = R_EQ_M + orb.high_m, float(oo[1 + low[0]]), j
        return out

    # -- prediction ------------------------------------------------------------------------
    @staticmethod
    def _active(w: dict) -> list[dict]:
        return [s for s in w["sats"] if not s.get("cleared") and not s.get("reentered")]

    def predict(self, index: int, cause: str) -> None:
        """Propagate deployment ``index``'s active satellites from their release to the
        horizon (flown so far, planned after) and (re)schedule the avoidance of each
        predicted return."""
        from rossim.dynamics.family_propagation import hohmann_impulses, propagate_family
        from rossim.dynamics.family_release import flown_impulses, station_state_gcrf

        sim = self.sim
        eng = sim.engine
        ko = self.ko
        w = self.watched[index]
        sats = self._active(w)
        w["fingerprint"] = self._fingerprint()
        if not sats:
            return
        now, start_s = eng.now_s, w["start_s"]
        horizon_s = w["end_s"] - start_s
        r0, v0 = station_state_gcrf(w["alt_km"], sim.scenario.orbit.inclination_deg, w["node"])
        deps = ko.ff.deployments
        cda = [deps[s["deployment"]].cd * deps[s["deployment"]].area_m2 / s["mass_kg"]
               for s in sats]
        bst = self._station_cda(start_s, int(math.ceil(horizon_s / HOUR_S)) + 1)
        t0 = eng.t_ref + np.timedelta64(int(start_s), "s")
        plan = self._reboost_plan(bst, start_s, w["end_s"])
        burns = flown_impulses(sim.orbit.burns, t0, horizon_s)
        for t_s, before, after in plan:
            burns.extend(hohmann_impulses(t_s - start_s, before, after))
        res = propagate_family(
            r0, v0, np.array([s["state"] for s in sats]),
            np.array([s["t_s"] - start_s for s in sats], float), cda, bst,
            horizon_s=horizon_s, log_density=w["lr"], altitudes_m=w["alts"], burns=burns,
            approach_ellipsoid_m=ko.axes, keep_out_radius_m=ko.ff.keep_out_radius_m)
        found = []
        for s, r in zip(sats, res.satellites, strict=True):
            if math.isfinite(r.reentry_t_s) and start_s + r.reentry_t_s <= now:
                s["reentered"] = True
            token = self._token[s["name"]] = self._token.get(s["name"], 0) + 1
            if not (r.breach and math.isfinite(r.first_return_t_s)):
                continue
            t_ret = start_s + int(r.first_return_t_s)
            rec = {"satellite": s["name"], "predicted_at": sim.iso(now), "cause": cause,
                   "return": sim.iso(t_ret), "distance_m": r.closest_approach_m}
            found.append({k: rec[k] for k in ("satellite", "return", "distance_m")})
            ko.predicted.append(rec)
            if t_ret <= now:   # an input no hook reported changed: burn now if it can
                sim.alarm("free-flyers", f"{s['name']}: return into the approach ellipsoid at "
                          f"{rec['return']} found only at {rec['predicted_at']}", "warning",
                          f"the prediction's inputs changed ({cause}) after the return began: "
                          "the keep-out was entered before any burn could clear it",
                          key=f"late-return-{s['name']}")
                ko._avoid(s, rec)
                continue
            when = ko._grid(max(now, t_ret - 86400))
            if when < eng.t_end_s:
                eng.schedule(when, lambda e, s=s, rec=rec, tok=token: self._avoid(s, rec, tok),
                             "free-flyer return")
        self.predictions.append({"time": sim.iso(now), "deployment": index + 1,
                                 "cause": cause, "satellites": [s["name"] for s in sats],
                                 "returns": found})
        if len(sim.orbit.burns) != w["burns_seen"]:
            w["burns_seen"], w["misses"] = len(sim.orbit.burns), 0
        if plan:   # look again once the first planned reboost is due (backing off)
            wait = min(2 * math.pi / ko.n * 2 ** w["misses"],
                       float(ko.ff.return_check_days) * 86400.0)
            t = ko._grid(max(plan[0][0], now) + wait)
            if t < min(eng.t_end_s, w["end_s"]) and w["recheck_s"] != t:
                w["recheck_s"] = t
                n = len(sim.orbit.burns)
                eng.schedule(t, lambda e, i=index, n=n, t=t: self._recheck(i, n, t),
                             "free-flyer return check")

    def _avoid(self, s: dict, rec: dict, token: int) -> None:
        if self._token.get(s["name"]) == token and not s.get("cleared"):
            self.ko._avoid(s, rec)
