"""The electrical energy ledger and the margin left to users, per configuration.

:class:`EnergyLedger` is fed by :class:`rossim.ops.electrical.PowerModel` at every committed
span (60 s steps) and rebuilds, from the steps' generation, served load and state of charge
alone, where every kWh went:

* **bus**: ``generated + from battery = served + into battery + curtailed``; on a charging step
  (generation >= load) the battery stores ``into x eta_c`` and what it did not take is
  curtailed (the arrays are shunted); on a discharging step the battery's energy drop ``x
  eta_d`` must equal the shortfall ``served - generated``;
* **battery**: ``stored_end - stored_start = into x eta_c - from / eta_d`` (+ the change of
  usable capacity when modules arrive or strings fail, at the state of charge of the moment);
* **losses**: charge ``into x (1 - eta_c)`` and discharge ``from x (1/eta_d - 1)``.

The guard (:mod:`rossim.ops.invariants`) checks that no charging step stored more than its
surplus (curtailed >= 0), that every discharging step's battery drop covers exactly its
shortfall, and that the state of charge stays within [0, max_soc] (1e-6 kWh, 1e-9).

Per configuration (the set of modules attached, as the console's assembly table) the ledger
keeps the orbit-average generation, the demand, what was served, the users' load (experiments
and activities: demanded, served) and the published power for users of the science-power
modules attached (``systems.toml power.user_power_kw``: about 20 kW per NEM, Bryukhanov
2015), so that ``summary.json`` ``power_margin`` shows the margin users leave.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["EnergyLedger"]

#: Tolerance of the ledger's per-step checks (kWh) and of the state of charge bounds.
LEDGER_TOL_KWH = 1e-6
SOC_TOL = 1e-9


class EnergyLedger:
    """Energy bookkeeping of the power model (see the module docstring)."""

    def __init__(self, soc0: float, cap0_kwh: float = 0.0) -> None:
        self.t = {k: 0.0 for k in ("generated", "served", "demand", "into_battery",
                                   "from_battery", "curtailed", "losses", "stored_change",
                                   "capacity_change")}
        self.stored0 = soc0 * cap0_kwh
        self.stored = self.stored0
        self.cap = cap0_kwh
        self.worst_surplus_kwh = 0.0    # most negative curtailment of a step (kWh)
        self.worst_residual_kwh = 0.0   # largest |discharge residual| of a step (kWh)
        self.soc_lo, self.soc_hi = np.inf, -np.inf
        self.rows: dict[tuple[str, ...], dict[str, Any]] = {}

    def add(self, modules: tuple[str, ...], start: str, dt_s: float, gen_kw: np.ndarray,
            served_kw: np.ndarray, soc0: float, soc: np.ndarray, cap_kwh: float,
            eta_c: float, eta_d: float, demand_kw: float, users_kw: float,
            users_served_kw: float, user_power_kw: float) -> None:
        """One committed span: ``gen_kw``, ``served_kw``, ``soc`` (n,) per step; ``soc0`` the
        state of charge before it; the loads constant over the span (kW)."""
        n = len(gen_kw)
        if n == 0:
            return
        h = dt_s / 3600.0
        if cap_kwh != self.cap:  # modules arrived or strings failed: usable energy moves
            self.t["capacity_change"] += soc0 * (cap_kwh - self.cap)
            self.cap = cap_kwh
        e = np.concatenate([[soc0], soc]) * cap_kwh
        de = np.diff(e)
        net = (gen_kw - served_kw) * h
        chg = gen_kw >= served_kw
        into = np.where(chg, de / eta_c, 0.0)
        out = np.where(chg, 0.0, -de * eta_d)
        curt = np.where(chg, net - into, 0.0)
        resid = np.where(chg, 0.0, net + out)  # generated + from battery - served
        t = self.t
        t["generated"] += float(gen_kw.sum() * h)
        t["served"] += float(served_kw.sum() * h)
        t["demand"] += demand_kw * n * h
        t["into_battery"] += float(into.sum())
        t["from_battery"] += float(out.sum())
        t["curtailed"] += float(curt.sum())
        t["losses"] += float((into * (1.0 - eta_c)).sum() + np.where(chg, 0.0, -de).sum()
                             - out.sum())
        t["stored_change"] += float(de.sum())
        self.stored = float(e[-1])
        self.worst_surplus_kwh = min(self.worst_surplus_kwh, float(curt.min()))
        self.worst_residual_kwh = max(self.worst_residual_kwh, float(np.abs(resid).max()))
        self.soc_lo = min(self.soc_lo, float(soc.min()))
        self.soc_hi = max(self.soc_hi, float(soc.max()))
        row = self.rows.setdefault(modules, {
            "from": start, "modules": list(modules), "hours": 0.0, "generated_kwh": 0.0,
            "demand_kwh": 0.0, "served_kwh": 0.0, "users_demand_kwh": 0.0,
            "users_served_kwh": 0.0, "curtailed_kwh": 0.0, "user_power_kw": user_power_kw})
        row["hours"] += n * h
        row["generated_kwh"] += float(gen_kw.sum() * h)
        row["demand_kwh"] += demand_kw * n * h
        row["served_kwh"] += float(served_kw.sum() * h)
        row["users_demand_kwh"] += users_kw * n * h
        row["users_served_kwh"] += users_served_kw * n * h
        row["curtailed_kwh"] += float(curt.sum())

    # -- results -------------------------------------------------------------------------------
    def imbalance_kwh(self) -> float:
        """How far the run's totals are from ``generated = served + battery losses +
        curtailed + stored change`` (the discharging steps' residual, kWh) plus how far the
        battery's energy at the end is from its start + stored change + capacity changes
        (a state of charge that jumped between spans); 0 up to rounding."""
        t = self.t
        bus = t["generated"] - t["served"] - t["losses"] - t["curtailed"] - t["stored_change"]
        carried = self.stored - self.stored0 - t["capacity_change"] - t["stored_change"]
        return abs(bus) + abs(carried)

    def summary(self, host_modules: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
        """``summary.json`` ``power_margin``: the run's ledger (kWh) and one row per
        configuration with orbit-average kW: ``generation_kw``, ``demand_kw``, ``served_kw``,
        ``users_demand_kw``, ``users_served_kw``, ``curtailed_kw``, ``user_power_kw`` (the
        published power for users of the NEMs attached) and ``users_margin_kw`` (that less the
        users' load served; None when no module attached publishes users' power), ``served_fraction`` (served over generated) and ``host`` (the
        host programme's modules attached, ``host_modules``: their arrays count in the
        generation, their loads are the host's and not modelled)."""
        rows = []
        for r in self.rows.values():
            hrs = r["hours"] or 1.0
            gen = r["generated_kwh"] / hrs
            us = r["users_served_kwh"] / hrs
            rows.append({
                "from": r["from"], "modules": r["modules"], "days": round(r["hours"] / 24, 3),
                "generation_kw": round(gen, 3), "demand_kw": round(r["demand_kwh"] / hrs, 3),
                "served_kw": round(r["served_kwh"] / hrs, 3),
                "users_demand_kw": round(r["users_demand_kwh"] / hrs, 3),
                "users_served_kw": round(us, 3),
                "curtailed_kw": round(r["curtailed_kwh"] / hrs, 3),
                "user_power_kw": r["user_power_kw"],
                # no NEM attached, no published users' power: no margin (not a negative one)
                "users_margin_kw": (round(r["user_power_kw"] - us, 3)
                                    if r["user_power_kw"] > 0 else None),
                "served_fraction": round(r["served_kwh"] / r["generated_kwh"], 4)
                if r["generated_kwh"] > 0 else 0.0,
                "host": [m for m in r["modules"] if m in host_modules]})
        ledger = {k + "_kwh": round(v, 3) for k, v in self.t.items()}
        # three significant figures, not 6 decimals: the figure the energy_ledger invariant
        # prints (3.28e-09 kWh there, 0.00e+00 in the report's power section before)
        ledger["imbalance_kwh"] = float(f"{self.imbalance_kwh():.3g}")
        return {"by_configuration": rows, "ledger": ledger,
                "basis": "user_power_kw: about 20 kW available to users per NEM "
                         "(Bryukhanov, RSC Energia 2015; systems.toml power.user_power_kw); "
                         "users: experiments and activities"}

    def checks(self, max_soc: float) -> dict[str, Any]:
        """The guard's view: ``holds`` and a ``detail`` line for ``energy_ledger`` and
        ``battery_soc_in_range``."""
        ok = (self.worst_surplus_kwh >= -LEDGER_TOL_KWH
              and self.worst_residual_kwh <= LEDGER_TOL_KWH
              and abs(self.imbalance_kwh()) <= 0.01)
        t = self.t
        soc_ok = (not np.isfinite(self.soc_lo)) or (self.soc_lo >= -SOC_TOL
                                                    and self.soc_hi <= max_soc + SOC_TOL)
        return {
            "energy_ledger": (ok, f"generated {t['generated']:.0f} kWh = served "
                                  f"{t['served']:.0f} + curtailed {t['curtailed']:.0f} + "
                                  f"battery losses {t['losses']:.0f} + stored change "
                                  f"{t['stored_change']:.1f} (imbalance "
                                  f"{self.imbalance_kwh():.2e} kWh; worst step: stored beyond "
                                  f"surplus {max(-self.worst_surplus_kwh, 0.0):.1e} kWh, "
                                  f"discharge residual {self.worst_residual_kwh:.1e} kWh)"),
            "battery_soc_in_range": (soc_ok, f"state of charge {self.soc_lo:.4f} .. "
                                             f"{self.soc_hi:.4f} (allowed 0 .. {max_soc:g})"
                                     if np.isfinite(self.soc_lo) else "no steps"),
        }


def margin_rows(margin: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Console rows of ``summary.json`` ``power_margin``: one per configuration, orbit-average
    kW generated, demanded (its share of the generation) and the users' load against the
    published power for users (``[]`` without a power model)."""
    out = []
    for r in (margin or {}).get("by_configuration", []):
        gen = r["generation_kw"]
        share = f" ({100.0 * r['demand_kw'] / gen:.0f} %)" if gen > 0 else ""
        out.append((f"power from {r['from'][:10]} ({len(r['modules'])} module"
                    f"{'' if len(r['modules']) == 1 else 's'})",
                    f"generated {gen:.1f} kW, demand {r['demand_kw']:.1f} kW{share}, users "
                    + (f"{r['users_served_kw']:.1f} of {r['user_power_kw']:g} kW published "
                       f"(margin {r['users_margin_kw']:.1f} kW)"
                       if r["users_margin_kw"] is not None else
                       f"{r['users_served_kw']:.1f} kW (no users' power published for these "
                       "modules)")
                    + (f"; with {', '.join(r['host'])}'s arrays, its loads the host's (not "
                       "modelled)" if r.get("host") else "")))
    return out
