"""The run's telemetry channels: name, archive table, unit, limits, subsystem, description.

The table every run starts from (:data:`CHANNELS`); :class:`rossim.ops.simulation.Simulation`
copies it and sets the limits that come from the scenario and the systems catalog (allowed
depth of discharge, altitude band, life-support reserve). The thermal model adds its
per-module channels. The archive's ``channels`` table is this one (:mod:`rossim.ops.tables`).
"""

from __future__ import annotations

from rossim.ops.engine import Channel


def _channels() -> dict[str, Channel]:
    ch = [
        Channel("altitude_km", "telemetry_hourly", "km", "mean altitude a - R_eq", 150, 2000,
                "orbit"),
        Channel("raan_deg", "telemetry_hourly", "deg", "node, GCRF", None, None, "orbit"),
        Channel("density_kg_m3", "telemetry_hourly", "kg/m^3", "orbit-average density",
                None, None, "orbit"),
        Channel("ballistic_m2_kg", "telemetry_hourly", "m^2/kg", "Cd A / m", None, None, "orbit"),
        Channel("station_propellant_kg", "telemetry_hourly", "kg", "station tanks", 0, None,
                "propulsion"),
        Channel("f107", "telemetry_hourly", "sfu", "solar flux F10.7", None, None, "environment"),
        Channel("mass_kg", "telemetry_hourly", "kg", "flown, with docked vehicles", None, None,
                "configuration"),
        Channel("drag_area_m2", "telemetry_hourly", "m^2", "flight attitude", None, None,
                "configuration"),
        Channel("crew_aboard", "telemetry_hourly", "people", "crew aboard", 0, None, "crew"),
        Channel("crew_capacity", "telemetry_hourly", "people", "berths", None, None, "crew"),
        Channel("soc_min", "telemetry_power", "fraction", "battery state of charge, bin min",
                None, None, "power"),
        Channel("soc_max", "telemetry_power", "fraction", "battery state of charge, bin max",
                None, 1, "power"),
        Channel("generation_kw", "telemetry_power", "kW", "array output, bin mean", 0, None,
                "power"),
        Channel("load_kw", "telemetry_power", "kW", "load demanded, bin mean", None, None,
                "power"),
        Channel("served_kw", "telemetry_power", "kW", "load served, bin mean", None, None,
                "power"),
        Channel("shed_fraction", "telemetry_power", "fraction", "of the bin with loads shed",
                None, 0, "power"),
        Channel("sunlit_fraction", "telemetry_power", "fraction", "sunlit, bin mean", None,
                None, "power"),
        Channel("beta_deg", "telemetry_power", "deg", "beta angle", None, None, "power"),
        Channel("battery_kwh", "telemetry_power", "kWh", "usable capacity", None, None, "power"),
        Channel("deficit_fraction", "telemetry_power", "fraction",
                "of the bin with essential loads unmet", None, 0, "power"),
        Channel("shed_level", "telemetry_power", "level", "load-shedding level (0-2)", None, 0,
                "power"),
        Channel("safe_mode", "telemetry_power", "flag", "safe mode (1)", None, 0, "station"),
        Channel("sun_biased", "telemetry_power", "flag",
                "sun-biased attitude chosen by the autonomy at high beta (1)", None, None,
                "power"),
        Channel("oxygen_kg", "telemetry_daily", "kg", "stock", 0, None, "life support"),
        Channel("water_kg", "telemetry_daily", "kg", "stock", 0, None, "life support"),
        Channel("food_kg", "telemetry_daily", "kg", "stock", 0, None, "life support"),
        Channel("crew", "telemetry_daily", "people", "mean aboard", None, None, "life support"),
        Channel("margin_days", "telemetry_daily", "days", "stocks for max(crew, 2)", 45, None,
                "life support"),
        Channel("shortfall_kg", "telemetry_daily", "kg", "unmet demand", None, 0,
                "life support"),
        Channel("contact_minutes", "telemetry_daily", "min",
                "contact per calendar day: union of the ground stations' passes above their "
                "masks and the Luch-5 relays' line of sight", None, None, "communications"),
        Channel("contact_ground_minutes", "telemetry_daily", "min",
                "contact with the catalog's ground stations per calendar day (union of passes)",
                None, None, "communications"),
        Channel("contact_relay_minutes", "telemetry_daily", "min",
                "contact through the Luch-5 relays per calendar day (union of line of sight)",
                None, None, "communications"),
        Channel("in_contact", "telemetry_contact", "flag",
                "in contact (1) or not (0), one sample at every AOS and LOS (ground or relay)",
                None, None, "communications"),
        Channel("in_ground_contact", "telemetry_contact", "flag",
                "in contact with a ground station (1) or not (0), steps at AOS and LOS",
                None, None, "communications"),
        Channel("in_relay_contact", "telemetry_contact", "flag",
                "in contact through a Luch-5 relay (1) or not (0), steps at AOS and LOS",
                None, None, "communications"),
        # thermal (rossim.ops.thermal; per-module channels are added by the model)
        Channel("max_temperature_c", "telemetry_thermal", "degC",
                "warmest module, hourly mean", None, None, "thermal"),
        Channel("min_temperature_c", "telemetry_thermal", "degC",
                "coldest module, hourly mean", None, None, "thermal"),
        Channel("heater_kw", "telemetry_thermal", "kW", "heater power of all modules, hourly mean",
                0, None, "thermal"),
        Channel("radiator_kw", "telemetry_thermal", "kW",
                "heat rejected by all radiators, hourly mean", 0, None, "thermal"),
    ]
    return {c.name: c for c in ch}


CHANNELS = _channels()
