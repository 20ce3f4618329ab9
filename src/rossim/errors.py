"""Errors that mean "the user gave us something wrong".

Every module that checks input raises :class:`InputError`; the command line prints its one-line
message and exits with code 2, without a traceback. Anything else that escapes is a bug in
rossim (exit code 1).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

__all__ = ["InputError", "AsTyped", "show_value"]


#: Longest excerpt of a value quoted in an error line (a 1-million-item array or a 100 kB
#: string is shortened to this, with its size).
MAX_SHOWN = 120


class AsTyped(str):
    """A value as the user typed it: a number on the command line (``500``, ``1e3``), a bare
    TOML date that does not parse (``2027-02-30``): shown as is, not quoted as a string nor as
    the float it parsed to (:func:`show_value`)."""


def written_date(t: _dt.datetime) -> _dt.date | _dt.datetime:
    """A date-time read from a file, as its user wrote it: the date alone at midnight UTC
    (TOML's local date ``2027-12-01``, which the schema turns into a UTC date-time), else the
    date-time; :func:`show_value` shows either unquoted."""
    if t.time() == _dt.time(0) and t.utcoffset() in (None, _dt.timedelta(0)):
        return t.date()
    return t


def show_value(value: Any) -> str:
    """``value`` as the user wrote it (TOML, JSON, the command line), never a Python repr:
    ``true``, ``[390, 415]``, ``12:00:00``, ``2027-12-01``, ``{a = 1}``, ``"text"``; None (a
    value not given) is ``(missing)``."""
    if value is None:
        return "(missing)"
    if isinstance(value, bool):
        return "true" if value else "false"  # as written in TOML and JSON
    if hasattr(value, "item") and type(value).__module__ == "numpy" and getattr(
            value, "ndim", 1) == 0:
        return show_value(value.item())   # a NumPy scalar: its Python value
    if isinstance(value, _dt.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()   # TOML's local date and local time, as written
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    if isinstance(value, list | tuple):
        # as the user wrote it (TOML, JSON, a comma list): brackets, never a Python tuple's
        # parentheses (a validated [415, 390] arrives here as the tuple (415, 390))
        if len(value) > 8:
            head = ", ".join(show_value(x) for x in value[:3])
            return _clip(f"[{head}, ... {len(value)} items]")
        return _clip("[" + ", ".join(show_value(x) for x in value) + "]")
    if isinstance(value, dict):
        if len(value) > 8:
            return f"{{... {len(value)} keys}}"
        return _clip("{" + ", ".join(f"{k} = {show_value(v)}" for k, v in value.items()) + "}")
    if isinstance(value, AsTyped):
        return _clip(str(value))
    if isinstance(value, str):
        if len(value) > MAX_SHOWN:
            return f'"{value[:MAX_SHOWN // 2]}..." ({len(value)} characters)'
        if value == "" or value != value.strip() or not value.isprintable():
            return repr(value)  # shows blanks, control and line-separator characters escaped
        return f'"{value}"'
    if isinstance(value, int) and abs(value) > 10**30:
        digits = len(str(abs(value))) if abs(value) < 10**4000 else "> 4000"
        return f"<an integer of {digits} digits>"
    if isinstance(value, int | float):
        return _clip(repr(value))   # 400, 51.6, nan, inf: as in TOML
    return _clip(str(value))   # Decimal, Path, ...: their text, not their repr


_show = show_value


def _clip(text: str) -> str:
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[:MAX_SHOWN]}... ({len(text)} characters)"


class InputError(ValueError):
    """Bad input: names where, which field, the bad value and what was expected.

    Parameters
    ----------
    where:
        The file (or ``"argument"`` for a command-line option) the value came from.
    field:
        Dotted path of the field inside it, e.g. ``assembly[2].port`` or ``--altitude``.
    value:
        The offending value, shown as the user wrote it (:func:`show_value`); None: not
        given (the message says "(missing)" or the ``problem``, with no "= value").
    expected:
        What would have been accepted, in words.
    """

    def __init__(self, where: str | None, field: str | None, value: Any, expected: str,
                 *, problem: str | None = None) -> None:
        self.where = where
        self.field = field
        self.value = value
        self.expected = expected
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        if self.where:
            parts.append(str(self.where))
        if self.field:
            parts.append(str(self.field))
        head = ": ".join(parts)
        if self.value is None:   # not given: no "= value", the problem says what is wrong
            problem = self.problem if self.problem not in (None, "missing", "missing field") \
                else "missing"
            text = f"{head} ({problem})" if head else f"({problem})"
        else:
            body = show_value(self.value)
            if self.problem:
                body += f" ({self.problem})"
            text = f"{head} = {body}" if head else body
        text += f"; expected {self.expected}"
        # One line, always: the CLI contract is a single clear line per error.
        return " ".join(text.splitlines())  # also U+2028 and the other line boundaries

    def __str__(self) -> str:
        return self.message


def moved_names(old_module: str, new_homes: dict[str, str]):
    """A module ``__getattr__`` for names that moved out of ``old_module``: each name of
    ``new_homes`` (name -> its module now) is still found at its old place, with a
    ``DeprecationWarning`` naming the new one; any other name is the usual AttributeError."""

    def __getattr__(name: str) -> Any:
        home = new_homes.get(name)
        if home is None:
            raise AttributeError(f"module {old_module!r} has no attribute {name!r}")
        import importlib
        import warnings

        warnings.warn(f"{old_module}.{name} moved to {home}.{name}; import it from there",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(home), name)

    return __getattr__
