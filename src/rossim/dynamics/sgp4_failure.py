"""SGP4 failing on an element set read from a file: one line that names the file, the object,
the element epoch, the instant and what SGP4 reported, with the error's meaning.

python-sgp4 (Vallado's SGP4, ``sgp4.api.SGP4_ERRORS``) returns an error code per instant:
1 mean eccentricity outside 0-1, 2 mean motion below zero, 3 perturbed eccentricity outside
0-1, 4 semi-latus rectum below zero, 5 (no longer used: underground), 6 orbit radius below one
Earth radius, the satellite has decayed (Vallado, Crawford, Hujsak and Kelso, "Revisiting
Spacetrack Report #3", AIAA 2006-6753; python-sgp4's documentation, "Error codes").
:func:`describe` gives SGP4's own text and the plain meaning (:data:`MEANINGS`).

At the element epoch, error 6 (the position is inside the Earth: the object has decayed) is a
physical outcome, :class:`ElementsDecayed`; errors 1-5 there mean the elements are no orbit
SGP4 can fly, an input error. Later in a span any code ends the results where it starts (the
elements are past their validity): :func:`rossim.cli._orbit.first_sgp4_failure`.
"""

from __future__ import annotations

from typing import Any

from rossim.errors import InputError

__all__ = ["MEANINGS", "DECAYED_CODES", "ElementsDecayed", "describe", "object_label",
           "check_at_epoch"]

#: Plain meaning of each SGP4 error code (what the user can do with it).
MEANINGS = {
    1: "the elements are past SGP4's validity, e.g. drag has decayed the orbit",
    2: "the mean motion has gone negative, past SGP4's validity",
    3: "the perturbed eccentricity has left 0 to 1, past SGP4's validity",
    4: "the orbit has collapsed, past SGP4's validity",
    5: "the satellite is underground",
    6: "the position is inside the Earth",
}
#: Codes that at the element epoch mean the object itself has decayed (a physical outcome).
DECAYED_CODES = frozenset({6})


def describe(code: int) -> str:
    """``SGP4 error N (SGP4's text; meaning)``."""
    return f"SGP4 error {int(code)} ({_text(code)})"


def _text(code: int) -> str:
    from sgp4.api import SGP4_ERRORS

    text = SGP4_ERRORS.get(int(code), "unknown error code")
    meaning = MEANINGS.get(int(code))
    return f"{text}; {meaning}" if meaning else text


def object_label(sat: Any) -> str:
    """``NAME (catalog number)`` of a :class:`rossim.files.tle.TLE`, or ``object NNNNN``."""
    num = f"{sat.catalog_number:05d}" if isinstance(sat.catalog_number, int) \
        else str(sat.catalog_number)
    return f"{sat.name} ({num})" if sat.name else f"object {num}"


def _iso(t: Any) -> str:
    return t.utc.isot + "Z"


class ElementsDecayed(InputError):
    """The element set puts its object inside the Earth at its epoch (SGP4 error 6): a
    physical outcome, not bad syntax. Still an :class:`InputError` (exit 2; every caller that
    handles bad input handles it), with ``outcome``: the one line the command line prints as
    ``rossim: ended early: ...``."""

    def __init__(self, where: str, sat: Any, code: int) -> None:
        label = object_label(sat)
        super().__init__(f"{where}: {label}, epoch {_iso(sat.epoch)}", "SGP4 error", int(code),
                         "elements of an object still in orbit at their epoch",
                         problem=_text(code))
        self.outcome = (f"{where}: {label} has decayed by its element epoch "
                        f"{_iso(sat.epoch)}: {describe(code)}; no state to start from")


def check_at_epoch(where: str, sat: Any, code: int) -> None:
    """Raise for an SGP4 error ``code`` at ``sat``'s epoch (0: nothing): :class:`ElementsDecayed`
    for error 6, else an :class:`InputError` naming the file, the object, the epoch and the
    error with its meaning."""
    if int(code) == 0:
        return
    if int(code) in DECAYED_CODES:
        raise ElementsDecayed(where, sat, code)
    raise InputError(f"{where}: {object_label(sat)}, epoch {_iso(sat.epoch)}", "SGP4 error",
                     int(code), "elements SGP4 can propagate from their epoch",
                     problem=_text(code))
