"""Launcher performance to the station's orbit.

Model (every output is an estimate derived from the catalog's published reference figure):
the published payload ``P0`` is to a circular orbit at ``leo_altitude_km`` launched due east
from the launcher's site (inclination = site latitude). For another orbit the final stage must
give an extra ``dv``; with its burn-out mass ``P0 + m_dry`` fixed by the stages below, the
rocket equation gives

    payload = (P0 + m_dry) * exp(-dv / (g0 * Isp)) - m_dry

with ``dv`` the sum of
- the Hohmann raise from ``leo_altitude_km`` to the target altitude (modules only: visiting
  vehicles raise their own orbit, so they are checked at the insertion orbit),
- the lost Earth-rotation gain: launching into inclination ``i`` from latitude ``phi`` gains
  ``omega * R_eq * cos(i)`` of free eastward speed instead of ``omega * R_eq * cos(phi)``,
- a dog-leg plane change ``2 v sin(di / 2)`` when ``i`` is below the site latitude,
- a rendezvous allowance (modules only).
Calibration: the published reference figures (:data:`PUBLISHED_POINTS`: Angara A5 24.5 t from
Vostochny and ~24.0 t from Plesetsk to ~200 km, Angara A5M 27 t) are reproduced within 5 %
(``tests/station/test_launch.py``); the Vostochny-Plesetsk difference comes out at ~0.6 t
against the published ~0.5 t, because the model charges every extra m/s to the final stage
(an upper bound of the sensitivity: a real ascent spreads it over all stages). The payload is
monotonic: it falls with altitude and with inclination above the site latitude.
"""

from __future__ import annotations

import math

import numpy as np

from rossim.config.catalog import Catalog, Launcher, Site
from rossim.config.reference import load_reference
from rossim.constants import E2, G0_M_S2, GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EQ_M
from rossim.errors import InputError

G0 = G0_M_S2  # m/s^2, standard gravity (defines Isp; rossim.constants)
MU_EARTH = GM_EARTH_M3_S2  # m^3/s^2 (rossim.constants)
R_EQ = R_EQ_M  # m, WGS84 equatorial radius (rossim.constants)
OMEGA_EARTH = OMEGA_EARTH_RAD_S  # rad/s, mean Earth rotation rate (rossim.constants)
RENDEZVOUS_DV = 20.0  # m/s, estimate: phasing and final approach allowance for a module

__all__ = ["hohmann_dv", "transfer_dv", "payload_kg", "payload_to_orbit_kg", "launch_dv_budget", "site_for", "payload_grid_kg",
           "PUBLISHED_POINTS", "calibration_table", "launch_pads", "check_pad"]

#: Published payload figures the model is calibrated to: data in
#: ``rossim/config/catalog/reference.toml`` (``[[launcher_calibration]]``, from ros-facts.md,
#: "Launchers and sites"). ``inclination_deg=None`` means due east from the site (inclination =
#: site latitude); ``home`` (when present) is the site the published figure refers to.
PUBLISHED_POINTS: tuple[dict, ...] = tuple(
    {"launcher": p.launcher, "site": p.site, "altitude_km": p.altitude_km,
     "inclination_deg": p.inclination_deg, "payload_kg": p.payload_kg.value,
     **({"home": p.home} if p.home else {}), "source": p.payload_kg.source}
    for p in load_reference().launcher_calibration)


def hohmann_dv(h1_km: float, h2_km: float) -> float:
    """Total delta-v (m/s) of a Hohmann transfer between circular orbits at ``h1``, ``h2`` km."""
    r1 = R_EQ + h1_km * 1e3
    r2 = R_EQ + h2_km * 1e3
    a = 0.5 * (r1 + r2)
    v1 = math.sqrt(MU_EARTH / r1)
    v2 = math.sqrt(MU_EARTH / r2)
    vp = math.sqrt(MU_EARTH * (2 / r1 - 1 / a))
    va = math.sqrt(MU_EARTH * (2 / r2 - 1 / a))
    return abs(vp - v1) + abs(v2 - va)


def _v(r_m: float, a_m: float) -> float:
    return math.sqrt(MU_EARTH * (2.0 / r_m - 1.0 / a_m))


def transfer_dv(perigee1_km: float, apogee1_km: float, perigee2_km: float,
                apogee2_km: float) -> float:
    """Delta-v (m/s) of a two-impulse coplanar transfer between coaxial orbits given as
    perigee x apogee altitudes (km): the cheaper of (move the apogee at perigee, then the
    perigee at the new apogee) and (move the perigee at apogee, then the apogee at the new
    perigee). Between circular orbits it is the Hohmann transfer (:func:`hohmann_dv`)."""
    rp1, ra1, rp2, ra2 = (R_EQ + h * 1e3 for h in (perigee1_km, apogee1_km, perigee2_km,
                                                     apogee2_km))
    a1, a2 = 0.5 * (rp1 + ra1), 0.5 * (rp2 + ra2)
    a_mid = 0.5 * (rp1 + ra2)   # perigee of 1, apogee of 2
    first = abs(_v(rp1, a_mid) - _v(rp1, a1)) + abs(_v(ra2, a2) - _v(ra2, a_mid))
    b_mid = 0.5 * (rp2 + ra1)   # perigee of 2, apogee of 1
    second = abs(_v(ra1, b_mid) - _v(ra1, a1)) + abs(_v(rp2, a2) - _v(rp2, b_mid))
    return min(first, second)


def launch_dv_budget(site_lat_deg: float, ref_alt_km: float, altitude_km: float,
                     inclination_deg: float, *, raise_orbit: bool,
                     ref_lat_deg: float | None = None,
                     ref_inclination_deg: float | None = None,
                     apogee_km: float | None = None) -> dict[str, float]:
    """Extra delta-v (m/s) over the published reference launch (due east from latitude
    ``ref_lat_deg``, default the site's own, or into ``ref_inclination_deg`` when the figure
    is given for an inclination, to a circular ``ref_alt_km``), by item. With ``apogee_km``
    the target is the orbit ``altitude_km`` x ``apogee_km`` (an insertion orbit: no
    rendezvous allowance, whatever ``raise_orbit`` says)."""
    v_eq = OMEGA_EARTH * R_EQ
    lat = math.radians(abs(site_lat_deg))
    ref_lat = math.radians(abs(ref_lat_deg if ref_lat_deg is not None else site_lat_deg))
    inc = math.radians(inclination_deg)
    i_eff = inc
    dogleg = 0.0
    # Below the site latitude the vehicle must turn the plane: cheapest at the insertion orbit.
    prograde = inclination_deg <= 90.0
    lowest = lat if prograde else math.pi - lat
    if (prograde and inc < lat) or (not prograde and inc > lowest):
        i_eff = lowest
        v_ins = math.sqrt(MU_EARTH / (R_EQ + ref_alt_km * 1e3))
        dogleg = 2.0 * v_ins * math.sin(abs(inc - lowest) / 2.0)
    ref_i = ref_lat
    if ref_inclination_deg is not None:  # the reference figure's own launch azimuth
        ri = math.radians(ref_inclination_deg)
        ref_i = max(ri, ref_lat) if ref_inclination_deg <= 90.0 else min(ri, math.pi - ref_lat)
    rotation = v_eq * math.cos(ref_i) - v_eq * math.cos(i_eff)
    if apogee_km is not None:
        climb = transfer_dv(ref_alt_km, ref_alt_km, altitude_km, apogee_km)
        rendezvous = 0.0
    else:
        climb = hohmann_dv(ref_alt_km, altitude_km) if raise_orbit else 0.0
        rendezvous = RENDEZVOUS_DV if raise_orbit else 0.0
    out = {
        "earth_rotation": rotation,
        "dog_leg": dogleg,
        "hohmann": climb,
        "rendezvous": rendezvous,
    }
    out["total"] = sum(out.values())
    return out


def geocentric_latitude_deg(lat_deg: float) -> float:
    """Geocentric latitude (deg) of a point on the WGS84 ellipsoid at geodetic ``lat_deg``.

    The one latitude convention of launch geometry: an orbit of inclination ``i`` passes over
    geocentric latitudes up to ``i``, so both the payload model's dog-leg and the launch-window
    analysis (:mod:`rossim.analysis.launch`) compare the inclination with this latitude."""
    return math.degrees(math.atan((1 - E2) * math.tan(math.radians(lat_deg))))


def payload_kg(launcher: Launcher, site: Site, altitude_km: float, inclination_deg: float,
               *, raise_orbit: bool = True, home: Site | None = None,
               apogee_km: float | None = None) -> float:
    """Payload (kg, adapter not subtracted) to a circular orbit (km, deg) from ``site``.

    ``raise_orbit=True`` (modules) delivers to the target altitude; ``False`` (visiting
    vehicles that raise their own orbit) to the reference insertion altitude. ``home`` is the
    site the published figure refers to (default: ``site``). Latitudes enter as geocentric
    (:func:`geocentric_latitude_deg`), as in the launch-window analysis. 0 when the extra
    delta-v (a plane change from the site's latitude to an inclination below it, a retrograde
    orbit) takes more than the stage carries: no payload, never a negative mass.
    """
    p0 = launcher.leo_payload_kg.value
    m_dry = launcher.upper_stage_dry_kg.value
    isp = launcher.upper_stage_isp_s.value
    ref_lat = geocentric_latitude_deg((home or site).lat_deg.value)
    ref_inc = launcher.leo_inclination_deg.value if launcher.leo_inclination_deg else None
    dv = launch_dv_budget(geocentric_latitude_deg(site.lat_deg.value),
                          launcher.leo_altitude_km.value, altitude_km,
                          inclination_deg, raise_orbit=raise_orbit, ref_lat_deg=ref_lat,
                          ref_inclination_deg=ref_inc, apogee_km=apogee_km)["total"]
    return max(float((p0 + m_dry) * np.exp(-dv / (G0 * isp)) - m_dry), 0.0)


def capability_text(capacity_kg: float, launcher: Launcher, site: Site, into: str,
                    inclination_deg: float, flag: str = "estimate") -> str:
    """What an InputError on a launch mass expects: the launcher's payload ``into`` the
    orbit, or, when it carries none there, that the orbit is out of its reach."""
    where = f"{launcher.name_en} from {site.name_en}"
    if capacity_kg <= 0.0:
        return (f"an orbit {where} can reach: it puts no payload into {into} at "
                f"{inclination_deg:g} deg (the plane change from the site's latitude "
                f"{site.lat_deg.value:.1f} deg takes all of its performance; {flag})")
    return f"at most {capacity_kg:.0f} kg, what {where} puts into {into} at " \
           f"{inclination_deg:g} deg ({flag})"


def as_written(kg: float) -> float | int:
    """A mass read from TOML as it was written: ``9000``, not the ``9000.0`` it parsed to."""
    return int(kg) if float(kg).is_integer() else kg


def too_heavy(where: str, members, adds: list[tuple[str, float]], capability: str,
              capacity_kg: float) -> InputError:
    """The error of a launch above the launcher's ``capacity_kg`` (``capability``: what
    :func:`capability_text` says of it). ``members``: (field, entry, catalog module or
    vehicle, mass kg) per part; ``adds``: (what, kg) put on top, e.g. a tug, climb propellant,
    an adapter. It names the last part's ``mass_kg`` as written (or says it is absent and the
    catalog's figure is used), and the launch mass as the sum of what it holds."""
    fld, entry, part, mass = members[-1]
    total = sum(m for *_, m in members) + sum(kg for _, kg in adds)
    terms = [f"{p.id} {kg:.0f} kg" + (" (catalog)" if k < len(members) - 1 and getattr(
        e, "mass_kg", None) is None else "") for k, (_, e, p, kg) in enumerate(members)]
    terms += [f"{what} {kg:.0f} kg" for what, kg in adds if kg]
    problem = (f"launch mass {total:.0f} kg = {' + '.join(terms)}, above the launcher's "
               "capability" if len(terms) > 1 else "above the launcher's capability")
    written = getattr(entry, "mass_kg", None)
    if written is None:
        problem = f"not given: {part.id}'s catalog mass, {mass:.0f} kg, is used; {problem}"
    room = capacity_kg - (total - mass)   # what this part may weigh beside the rest
    expected = f"a launch mass of {capability}" if capacity_kg > 0 else capability
    if capacity_kg > 0 and len(terms) > 1 and room > 0:
        expected = f"{part.id} at most {room:.0f} kg beside the rest: {expected}"
    return InputError(where, f"{fld}.mass_kg", None if written is None else as_written(written),
                      expected, problem=problem)


def payload_to_orbit_kg(launcher: Launcher, site: Site, perigee_km: float, apogee_km: float,
                        inclination_deg: float, *, home: Site | None = None) -> float:
    """Payload (kg, adapter not subtracted) the launcher puts into the insertion orbit
    ``perigee_km`` x ``apogee_km`` at ``inclination_deg`` from ``site`` (estimate, same model
    as :func:`payload_kg`: the final stage pays the two-impulse transfer from its reference
    circular orbit, :func:`transfer_dv`)."""
    return payload_kg(launcher, site, perigee_km, inclination_deg, raise_orbit=False,
                      home=home, apogee_km=apogee_km)


def site_for(catalog: Catalog, launcher: Launcher, site_id: str | None = None) -> Site:
    """The launch site: an explicit id, else the launcher's home site."""
    return catalog.sites[site_id or launcher.site]


def launch_pads(launcher: Launcher) -> tuple[str, ...]:
    """Ids of the catalog sites ``launcher`` flies from: its home site first, then the
    catalog's ``flies_from``."""
    return (launcher.site, *(s for s in launcher.flies_from if s != launcher.site))


def check_pad(where: str, field: str, launcher: Launcher, site: Site) -> None:
    """Refuse a launch named at a pad its launcher does not fly from (a Proton-M from
    Vostochny, a Soyuz from Plesetsk's Angara pad): :class:`~rossim.errors.InputError` naming
    ``field``, the site and the launcher's pads."""
    pads = launch_pads(launcher)
    if site.id not in pads:
        raise InputError(where, field, site.id,
                         f"a pad {launcher.name_en} flies from: {', '.join(pads)}",
                         problem=f"{launcher.name_en} does not fly from {site.name_en}")


def payload_grid_kg(launcher: Launcher, site: Site, altitude_km, inclination_deg, *,
                    raise_orbit: bool = True, home: Site | None = None) -> np.ndarray:
    """:func:`payload_kg` over broadcast arrays of altitude (km) and inclination (deg)."""
    alt, inc = np.broadcast_arrays(np.asarray(altitude_km, float),
                                   np.asarray(inclination_deg, float))
    out = np.empty(alt.shape)
    for idx in np.ndindex(alt.shape):
        out[idx] = payload_kg(launcher, site, float(alt[idx]), float(inc[idx]),
                              raise_orbit=raise_orbit, home=home)
    return out


def calibration_table(catalog: Catalog) -> list[dict]:
    """Model against every published point: rows with ``published_kg``, ``model_kg``,
    ``error_pct`` and the source."""
    rows = []
    for pt in PUBLISHED_POINTS:
        lv = catalog.launchers[pt["launcher"]]
        st = catalog.sites[pt["site"]]
        home = catalog.sites[pt["home"]] if pt.get("home") else None
        inc = (pt["inclination_deg"] if pt["inclination_deg"] is not None
               else geocentric_latitude_deg(st.lat_deg.value))  # due east
        model = payload_kg(lv, st, pt["altitude_km"], inc, raise_orbit=False, home=home)
        rows.append({"launcher": lv.id, "site": st.id, "altitude_km": pt["altitude_km"],
                     "inclination_deg": inc, "published_kg": pt["payload_kg"],
                     "model_kg": model,
                     "error_pct": 100.0 * (model - pt["payload_kg"]) / pt["payload_kg"],
                     "source": pt["source"]})
    return rows
