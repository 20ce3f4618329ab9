"""The report's power-margin table (``summary.json`` ``power_margin``,
:mod:`rossim.ops.power_ledger`): per configuration, orbit-average generation, demand, what was
served, the users' load and the margin against the published power for users (about 20 kW per
NEM, Bryukhanov 2015), and the run's energy ledger."""

from __future__ import annotations

import html
from typing import Any

__all__ = ["power_margin_section"]


def power_margin_section(summary: Any) -> list[str]:
    """HTML fragments (``[]`` when the run has no power model)."""
    from rossim.report.html import _table

    m = summary.get("power_margin")
    if not m:
        return []
    rows = [[r["from"][:10], ", ".join(r["modules"]), r["days"], r["generation_kw"],
             r["demand_kw"], r["served_kw"], r["curtailed_kw"], r["users_served_kw"],
             r["user_power_kw"],
             "none published" if r["users_margin_kw"] is None else r["users_margin_kw"]]
            for r in m["by_configuration"]]
    led = m["ledger"]
    host = sorted({h for r in m["by_configuration"] for h in r.get("host", ())})
    host_note = ([f"<p class='small'>Configurations with {html.escape(', '.join(host))} "
                  "attached: the host programme's arrays count in the generation, its own loads, "
                  "crew and berths are the host's and not modelled (no published figure of the "
                  "power it shares), so their margin is not the station's own.</p>"]
                 if host else [])
    return [
        "<h3>Power margin per configuration</h3>",
        "<p>Orbit-average kW over the time each configuration flew. Users: experiments and "
        "activities as served. Published for users: about 20 kW per science-power module "
        f"({html.escape(m['basis'])}). The experiments' load is an estimate "
        "(systems.toml, or the scenario's [power]); the rest of the generation is shunted "
        "(curtailed) once the batteries are full.</p>",
        _table(rows, ["from", "modules", "days", "generated kW", "demand kW", "served kW",
                      "curtailed kW", "users kW", "published for users kW",
                      "users' margin kW"]),
        *host_note,
        f"<p class='small'>Energy ledger: generated {led['generated_kwh']:,.0f} kWh = served "
        f"{led['served_kwh']:,.0f} + curtailed {led['curtailed_kwh']:,.0f} + battery losses "
        f"{led['losses_kwh']:,.0f} + stored change {led['stored_change_kwh']:,.1f} kWh "
        f"(imbalance {led['imbalance_kwh']:.2e} kWh).</p>"]
