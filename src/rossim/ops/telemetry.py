"""The telemetry tables of a running :class:`rossim.ops.simulation.Simulation`.

:class:`TelemetryMixin` joins the models' per-span row chunks into the archive's telemetry
tables (``telemetry_hourly``, ``telemetry_power``, ``telemetry_daily``, ``telemetry_contact``,
``telemetry_thermal``; channels in :mod:`rossim.ops.channels`) and answers
:meth:`~TelemetryMixin.telemetry` (samples per channel since an epoch, as a live display polls).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rossim.errors import InputError
from rossim.ops.engine import to_dt64


class TelemetryMixin:
    """Telemetry of the run so far (the state is the simulation's: ``engine``, ``channels``,
    the models' rows, ``config_rows``)."""

    def telemetry(self, channels: list[str] | None = None, since: Any = None
                  ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Recorded samples per channel: ``{name: (epochs datetime64[us], values)}`` from
        ``since`` (default the run start) to the clock. Unknown channel -> InputError."""
        if isinstance(channels, str):   # one channel: "altitude_km"
            channels = [channels]
        names = list(self.channels) if channels is None else list(channels)
        for n in names:
            if n not in self.channels:
                raise InputError("argument", "channels", n,
                                 "one of " + ", ".join(sorted(self.channels)))
        t0 = None if since is None else to_dt64(since)
        since_s = None if t0 is None else float((t0 - self.engine.t_ref) / np.timedelta64(1, "s"))
        tables = self._tables_now(since_s)
        out = {}
        for n in names:
            tab = tables[self.channels[n].table]
            t, v = tab["time"], np.asarray(tab[n], dtype=float)
            if t0 is not None:
                m = t >= t0
                t, v = t[m], v[m]
            out[n] = (t, v)
        return out

    def _tables_now(self, since_s: float | None = None) -> dict[str, dict[str, np.ndarray]]:
        """The telemetry tables so far; with ``since_s`` only the recent chunks are joined,
        so a live display polling every 100 ms costs what is new, not the whole run."""
        o = _recent(self.orbit.rows, since_s)
        epochs = self.engine.epochs(o["t_s"])
        hourly = {"time": epochs, "altitude_km": o["altitude_m"] / 1e3,
                  "raan_deg": np.degrees(o["raan_rad"]) % 360.0,
                  "density_kg_m3": o["density_kg_m3"], "ballistic_m2_kg": o["ballistic_m2_kg"],
                  "station_propellant_kg": o["station_propellant_kg"], "f107": o["f107"]}
        hourly.update(self._config_hourly(epochs))
        hourly["mass_kg"] = o["mass_kg"]   # flown (rossim.ops.station_mass)
        tables = {"telemetry_hourly": hourly}
        if self.power is not None:
            p = _recent(self.power.bins, since_s)
            tables["telemetry_power"] = {"time": self.engine.epochs(p.pop("t_s")), **p}
        if self.consumables is not None:
            c = self.consumables.history(self)
            tables["telemetry_daily"] = {"time": c.days.astype("datetime64[us]"),
                                         "oxygen_kg": c.oxygen_kg, "water_kg": c.water_kg,
                                         "food_kg": c.food_kg, "crew": c.crew,
                                         "margin_days": c.margin_days,
                                         "shortfall_kg": c.shortfall_kg}
            tables["telemetry_daily"]["contact_minutes"] = (
                self.contact.daily_minutes(c.days) if self.contact is not None
                else np.full(len(c.days), np.nan))
            for kind in ("ground", "relay"):
                tables["telemetry_daily"][f"contact_{kind}_minutes"] = (
                    self.contact.daily_minutes(c.days, kind) if self.contact is not None
                    else np.full(len(c.days), np.nan))
        if self.contact is not None:
            t_ic, v_ic = self.contact.contact_steps()
            tables["telemetry_contact"] = {"time": self.engine.epochs(t_ic), **v_ic}
        else:
            tables["telemetry_contact"] = {"time": np.zeros(0, "datetime64[us]"), **{
                k: np.zeros(0) for k in ("in_contact", "in_ground_contact", "in_relay_contact")}}
        if self.thermal is not None:
            tables["telemetry_thermal"] = self.thermal.table(self, since_s)
        return tables

    def module_temperature_c(self, module_id: str) -> float | None:
        """Latest span-mean cabin and equipment temperature (degC) of ``module_id``
        (:mod:`rossim.ops.thermal`), ``None`` if the module is not attached or has no
        thermal node (not yet advanced, unpressurised, or a run without the thermal model)."""
        if self.thermal is None or self.config is None or module_id not in self.config.modules:
            return None
        return self.thermal.last_mean_c.get(module_id)

    def _config_hourly(self, epochs: np.ndarray) -> dict[str, np.ndarray]:
        r = self.config_rows
        t_s = (epochs - self.engine.t_ref) / np.timedelta64(1, "s")
        k = np.clip(np.searchsorted(np.asarray(r["t_s"], float), t_s, side="right") - 1, 0,
                    max(len(r["t_s"]) - 1, 0))
        return {n: np.asarray(r[n], float)[k] for n in ("mass_kg", "drag_area_m2",
                                                          "crew_aboard", "crew_capacity")}



def _recent(rows: dict[str, list[np.ndarray]], since_s: float | None
            ) -> dict[str, np.ndarray]:
    """Join a model's per-span row chunks (keyed like ``t_s``), from the chunk holding
    ``since_s`` on (all of them without it)."""
    ts = rows["t_s"]
    k = 0
    if since_s is not None:
        for j in range(len(ts) - 1, -1, -1):  # the last chunk starting before since_s
            if len(ts[j]) and ts[j][0] < since_s:
                k = j
                break
    return {n: (np.concatenate(v[k:]) if v[k:] else np.zeros(0)) for n, v in rows.items()}

