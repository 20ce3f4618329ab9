"""One initial-state reader for every command: the first state of an OPM, OEM, TLE or OMM
file (KVN or XML, format from the content) in GCRF, checked the same way for all; and an
OPM's manoeuvre blocks as impulsive manoeuvres for the propagator.

The files themselves are read by :mod:`rossim.files`; this module adds what needs dynamics
(SGP4 for the state of a TLE or OMM at its epoch, the propagator's manoeuvre type).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
from astropy.time import Time, TimeDelta

from rossim.constants import R_POLAR_M
from rossim.dynamics import tle as _tle
from rossim.errors import InputError
from rossim.files.kvn import _read, comment_values
from rossim.files.ndmxml import detect_state_format, xml_to_kvn
from rossim.files.oem import parse_oem
from rossim.files.omm import parse_omm
from rossim.files.opm import Maneuver, parse_opm
from rossim.files.refframe import FRAMES, to_gcrf
from rossim.files.tle import TLE, parse_tles

__all__ = ["InitialState", "read_state", "impulsive_manoeuvres", "STATE_EPOCH_FIRST",
           "STATE_EPOCH_END"]



@dataclass
class InitialState:
    """An Earth-centred state in GCRF read from any supported file (see :func:`read_state`).

    ``source`` is ``"OPM"``, ``"OEM"``, ``"TLE"`` or ``"OMM"``; ``spacecraft`` holds what the
    file says about the vehicle (``mass_kg``, ``drag_area_m2``, ``drag_coeff``,
    ``solar_rad_area_m2``, ``solar_rad_coeff``), from OPM keywords or OEM ``KEY=value``
    comments; it is empty for TLE and OMM.
    """

    epoch: Time
    r_m: np.ndarray
    v_m_s: np.ndarray
    source: str
    object_name: str | None = None
    spacecraft: dict[str, float] = field(default_factory=dict)
    #: The element set (:class:`rossim.files.tle.TLE`) for a TLE or OMM, else None.
    elements: TLE | None = None
    #: An OPM's manoeuvre blocks (:class:`Maneuver`), empty for the other formats.
    maneuvers: list = field(default_factory=list)
    #: The file the state came from (for messages).
    where: str | None = None
    #: The object's OBJECT_ID: an OPM's or OEM's as written, the international designator
    #: (``YYYY-NNNP``) of a TLE or OMM; None when the file gives none.
    object_id: str | None = None
    #: Element sets in a TLE or OMM file (the first is the state; commands note the rest).
    element_sets: int = 1

    def extra_sets_note(self) -> str | None:
        """The note a command prints when a TLE/OMM file holds more than one element set
        (only the first is used: another object's, or a later epoch's, are not)."""
        if self.element_sets <= 1 or self.elements is None:
            return None
        e = self.elements
        return (f"{self.where}: the file holds {self.element_sets} element sets; the first "
                f"({e.name or e.catalog_number}, epoch {self.epoch.utc.isot[:19]}Z) is used "
                "(rossim decay reads a whole history)")


_COMMENT_SPACECRAFT = {"MASS": "mass_kg", "DRAG_AREA": "drag_area_m2", "DRAG_COEFF": "drag_coeff",
                       "SOLAR_RAD_AREA": "solar_rad_area_m2",
                       "SOLAR_RAD_COEFF": "solar_rad_coeff"}


def read_state(path: str | os.PathLike[str]) -> InitialState:
    """Read the first state of an OPM, OEM, TLE or OMM file, in GCRF (m, m/s).

    The format is recognised from the content. For a TLE or OMM the state is SGP4's at the
    element epoch, rotated from TEME to GCRF. Epochs are returned in UTC.
    """
    text, where = _read(path, "state")
    kind = detect_state_format(text)
    if kind.endswith("-XML"):
        kind, text = xml_to_kvn(text, where)
        where = f"{where} (XML as KVN)"
    if kind == "OPM":
        opm = parse_opm(text, where)
        t, r, v = _named(opm.state_gcrf, where)
        sc = {k: getattr(opm, k) for k in _COMMENT_SPACECRAFT.values()
              if getattr(opm, k) is not None}
        return _plausible(InitialState(t.utc, r, v, "OPM", opm.object_name, sc,
                                       maneuvers=list(opm.maneuvers), where=where,
                                       object_id=opm.object_id or None))
    if kind == "OEM":
        oem = parse_oem(text, where)
        seg = oem.segments[0]
        t, r, v = _named(seg.states_gcrf, where)
        sc = {}
        for key, value in comment_values(oem.all_comments()).items():
            if key in _COMMENT_SPACECRAFT:
                try:
                    sc[_COMMENT_SPACECRAFT[key]] = float(value)
                except ValueError:
                    pass
        return _plausible(InitialState(t[0].utc, r[0], v[0], "OEM", seg.object_name, sc,
                                       where=where, object_id=seg.object_id or None))
    if kind == "TLE":
        sats, source = parse_tles(text, where), "TLE"
    else:
        sats, source = parse_omm(text, where), "OMM"
    if not sats:
        raise InputError(where, None, "no state", "an OPM, OEM, TLE or OMM file")
    _epoch_in_range(sats[0].epoch, where, "epoch")
    st = _tle.propagate(sats[0], sats[0].epoch, frame="GCRF")
    from rossim.dynamics.sgp4_failure import check_at_epoch

    check_at_epoch(where, sats[0], int(st.error[0, 0]))  # names file, object, epoch, error
    return _plausible(InitialState(sats[0].epoch, st.r_m[0, 0], st.v_m_s[0, 0], source,
                                   sats[0].name, elements=sats[0], where=where,
                                   object_id=international_designator(sats[0]),
                                   element_sets=len(sats)))


def international_designator(elements: TLE) -> str | None:
    """The COSPAR international designator ``YYYY-NNNP`` of an element set (a TLE's columns
    10-17, ``98067A`` -> ``1998-067A``, the two-digit year as the TLE's epoch: 57-99 are
    1957-1999; an OMM's OBJECT_ID); None when the set has none."""
    d = str(getattr(elements.satrec, "intldesg", "") or "").strip()
    if len(d) < 6 or not (d[:5].isdigit() and d[5:].isalpha()):
        return None
    yy = int(d[:2])
    return f"{1900 + yy if yy >= 57 else 2000 + yy}-{d[2:5]}{d[5:]}"


#: Epochs a state file may have: the span of the DE421 Sun/Moon ephemeris every command uses
#: (eclipses, third bodies, drag's solar time), 1900-2050.
STATE_EPOCH_FIRST = "1900-01-01"
STATE_EPOCH_END = "2050-01-01"
#: Largest geocentric distance (m) and speed (m/s) of a state: beyond the Moon's orbit and 20 km/s
#: (escape speed at 200 km is 11.0 km/s) it is no Earth orbit rossim's models are meant for.
MAX_STATE_RADIUS_M = 5e8
MAX_STATE_SPEED_M_S = 20e3


def _named(convert, where: str):
    """``convert()``; an :class:`InputError` without a file (``to_gcrf``'s frame or centre
    checks) gets the file's name."""
    try:
        return convert()
    except InputError as exc:
        if exc.where and exc.where != "argument":
            raise
        raise InputError(where, exc.field, exc.value, exc.expected, problem=exc.problem) from None


def _epoch_in_range(t: Time, where: str, field_name: str) -> None:
    lo, hi = Time(STATE_EPOCH_FIRST, scale="utc"), Time(STATE_EPOCH_END, scale="utc")
    if not (lo <= t.utc < hi):
        year, rest = t.utc.isot.split("-", 1)  # astropy writes year 1 as "1-01-01"
        raise InputError(where, field_name, f"{int(year):04d}-{rest}",
                         f"an epoch from {STATE_EPOCH_FIRST[:4]} to before {STATE_EPOCH_END[:4]} "
                         "(the DE421 ephemeris the models use)")


def _plausible(st: InitialState) -> InitialState:
    """The same checks on every state file: epoch inside the models' data, an Earth orbit."""
    where = st.where or "<string>"
    _epoch_in_range(st.epoch, where, "epoch")
    r = float(np.linalg.norm(st.r_m))
    v = float(np.linalg.norm(st.v_m_s))
    if r < R_POLAR_M:   # inside the Earth: the file's position cannot be an orbit
        raise InputError(where, "position", f"{r / 1e3:.6g} km from the Earth's centre",
                         f"a position above the Earth's surface (at least "
                         f"{R_POLAR_M / 1e3:,.0f} km from its centre; check the file's units)")
    if not r <= MAX_STATE_RADIUS_M:
        raise InputError(where, "position", f"{r / 1e3:.6g} km from the Earth's centre",
                         f"at most {MAX_STATE_RADIUS_M / 1e3:g} km (an Earth orbit)")
    if not v <= MAX_STATE_SPEED_M_S:
        raise InputError(where, "velocity", f"{v / 1e3:.6g} km/s",
                         f"at most {MAX_STATE_SPEED_M_S / 1e3:g} km/s (an Earth orbit; escape "
                         "speed at 200 km is 11.0 km/s)")
    return st


_LOCAL_TO_IMPULSIVE = {"RTN": "rtn", "RSW": "rtn", "RIC": "rtn", "QSW": "rtn", "TNW": "tnw",
                       "VNC": "vnc"}


#: The masses a spacecraft may have (kg), as ``rossim propagate --mass`` accepts.
MASS_RANGE_KG = (1e-3, 1e7)


def manoeuvres_in_span(maneuvers: list[Maneuver], where: str, epoch: Time,
                       duration_s: float, mass_kg: float | None = None,
                       mass_from: str = "the file's MASS") -> tuple[list, list[str]]:
    """The file's manoeuvres a propagation of ``duration_s`` from the state's ``epoch`` flies,
    and notes on what it leaves out: ``(impulsive_manoeuvres, notes)``.

    A manoeuvre at or after the span's end is not applied (a note says how many: the file may
    plan further than a command looks); one before the state's epoch is an error (the state is
    already past it), as is a positive ``MAN_DELTA_MASS`` (CCSDS 502.0-B-3: the mass a
    manoeuvre spends, negative or zero) and, when the mass is known (``mass_kg``, from
    ``mass_from``; whatever the force model), mass changes that leave less than
    :data:`MASS_RANGE_KG`'s least mass after some burn of the file (in epoch order, those
    after the span too; burns at one epoch checked after the last). The mass changes
    fly with the burns: drag and radiation pressure use the mass after the burns flown so far.

    Raises :class:`~rossim.errors.InputError` naming ``where`` and the block's field."""
    for i, man in enumerate(maneuvers):
        dm = float(man.delta_mass_kg or 0.0)
        if not dm <= 0.0:
            raise InputError(where, f"maneuver[{i}].MAN_DELTA_MASS", f"{dm:.15g} kg",
                             "a mass change of zero or less (CCSDS 502.0-B-3: the mass the "
                             "manoeuvre spends is negative)")
    burns = impulsive_manoeuvres(maneuvers, where)
    end_s = float(duration_s)
    kept, kept_i, kept_x, after, notes = [], [], [], 0, []
    for i, (man, burn) in enumerate(zip(maneuvers, burns, strict=True)):
        x = round(float((burn.epoch.tt - epoch.tt).to_value("s")), 6)   # as the propagator
        if x < 0.0:
            raise InputError(where, f"maneuver[{i}].MAN_EPOCH_IGNITION",
                             man.epoch_ignition.utc.isot,
                             f"a manoeuvre at or after the state's epoch "
                             f"{epoch.utc.isot} (the state is already past it)")
        if x >= end_s:   # at the last state or later: no output would show it
            after += 1
        else:
            kept.append(burn)
            kept_i.append(i)
            kept_x.append(x)
    if after:
        notes.append(f"{after} manoeuvre{'s' if after > 1 else ''} of {where} at or after "
                     "the span's end not applied")
    if mass_kg is not None:
        # In epoch order, as the propagator flies them: the mass after each burn; every burn
        # of the file, those after the span too (a file that empties its spacecraft is wrong
        # whatever the span and the force model: the mass is checked when it is known).
        xs = [round(float((b.epoch.tt - epoch.tt).to_value("s")), 6) for b in burns]
        order = sorted(range(len(burns)), key=lambda k: (xs[k], k))
        left = float(mass_kg)
        before = left
        for j, k in enumerate(order):
            left += float(maneuvers[k].delta_mass_kg or 0.0)
            if j + 1 < len(order) and xs[order[j + 1]] == xs[k]:
                continue
            if not left >= MASS_RANGE_KG[0]:
                dm = float(maneuvers[k].delta_mass_kg or 0.0)
                raise InputError(where, f"maneuver[{k}].MAN_DELTA_MASS", f"{dm:.15g} kg",
                                 f"mass changes that leave at least {MASS_RANGE_KG[0]:g} kg of "
                                 f"the {mass_kg:g} kg spacecraft ({mass_from}; after this "
                                 f"burn: {left:g} kg)",
                                 problem=f"manoeuvre at {burns[k].epoch.utc.isot} UTC, mass "
                                 f"{before:g} kg before it")
            before = left
    return kept, notes


def impulsive_manoeuvres(maneuvers: list[Maneuver], where: str = "<string>") -> list:
    """An OPM's manoeuvre blocks as impulsive manoeuvres for the propagator.

    A block with ``MAN_DURATION = 0`` is an impulse at ``MAN_EPOCH_IGNITION``; a finite burn is
    applied as one impulse at its mid-time (the usual impulsive approximation: for a burn of
    T seconds at orbital rate n the along-track error is of order (n T)^2 / 24 of the
    delta-v's effect, 1e-4 for 2 min in LEO), and ``MAN_DELTA_MASS`` is taken at that
    instant (the impulse's ``delta_mass_kg``). Local frames RTN/RSW/RIC/QSW, TNW and VNC are rotated with the
    pre-burn state; inertial frames (EME2000, GCRF, TOD, MOD, TEME, ITRF axes) are rotated to
    GCRF at the burn epoch. ``LVLH`` and ``NTW`` have several conventions and are refused.
    """
    from rossim.dynamics.manoeuvres import ImpulsiveManoeuvre

    out = []
    for i, man in enumerate(maneuvers):
        dv = np.asarray(man.dv_m_s, dtype=float)
        dm = float(man.delta_mass_kg or 0.0)
        epoch = man.epoch_ignition
        if man.duration_s > 0:
            epoch = epoch + TimeDelta(0.5 * man.duration_s, format="sec")
        frame = man.frame.upper()
        if frame in _LOCAL_TO_IMPULSIVE:
            out.append(ImpulsiveManoeuvre(epoch, tuple(dv), _LOCAL_TO_IMPULSIVE[frame], dm))
        elif frame in FRAMES:
            _, dv_gcrf = to_gcrf(np.zeros((1, 3)), dv.reshape(1, 3), frame, epoch.reshape((1,)))
            out.append(ImpulsiveManoeuvre(epoch, tuple(dv_gcrf[0]), "gcrf", dm))
        else:
            raise InputError(where, f"maneuver[{i}].MAN_REF_FRAME", man.frame,
                             "RTN, RSW, RIC, QSW, TNW, VNC or an inertial frame "
                             "(LVLH and NTW have several conventions)")
    return out
