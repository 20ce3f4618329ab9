"""Building blocks of every scenario section: the strict pydantic base (unknown fields refused,
no type coercion, no infinities) and UTC dates (TOML dates and naive date-times mean UTC).
Used by :mod:`rossim.config.scenario`, :mod:`rossim.config.free_flyers` and
:mod:`rossim.config.monte_carlo`."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = ["UTCDate", "PositiveMass", "Name"]


def _to_utc(value: object) -> object:
    """TOML dates and naive date-times mean UTC."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)") from None
        return _to_utc(parsed)
    if isinstance(value, dt.time):   # TOML's local time, 12:00:00: the day is missing
        raise ValueError("a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ), not a time "
                         "of day alone")
    raise ValueError("a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SSZ)")


UTCDate = Annotated[dt.datetime, BeforeValidator(_to_utc)]
#: A mass in kg: 0.1 kg (the lightest free-flyer, a PocketQube is ~0.25 kg) to 1,000 t (more
#: than the whole ISS, ~420 t).
PositiveMass = Annotated[float, Field(ge=0.1, le=1e6, description="kg")]


#: Unicode categories refused in a name: controls (NUL, line breaks, ESC), format characters
#: (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width characters, U+00AD soft hyphen), the line and
#: paragraph separators, surrogates. A name reaches terminals, file names, report titles and
#: event logs; such a character there hides or reorders what is shown.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_CONTROL = {0: "NUL", 9: "TAB", 10: "LINE FEED", 13: "CARRIAGE RETURN", 27: "ESCAPE",
            127: "DELETE"}


def _name(value: str) -> str:
    """A name shown to people: not empty, no blanks at either end, no control or format
    characters."""
    bad = next((c for c in value if unicodedata.category(c) in _HIDDEN), None)
    if bad is not None:
        label = unicodedata.name(bad, "") or _CONTROL.get(ord(bad), "a control character")
        raise ValueError(f"a name of visible characters, without U+{ord(bad):04X} "
                         f"({label}; control and format characters are refused)")
    if not value.strip():
        raise ValueError("a name that is not empty")
    if value != value.strip():
        raise ValueError("a name without blanks at its start or end")
    return value


#: A name given in a scenario (the scenario's, a visit's or series', a cosmonaut's): see
#: :func:`_name`.
Name = Annotated[str, AfterValidator(_name)]


class _Strict(BaseModel):
    """Base of every scenario section: unknown fields refused, no type coercion (``true`` is
    not a number, ``1`` or ``"true"`` not a boolean, ``"5"`` not a number), no infinities or
    NaN. TOML arrays are read into the tuple-typed fields (the one conversion kept)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _arrays_to_tuples(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name, info in cls.model_fields.items():
            if name in out and isinstance(out[name], list) and "tuple" in str(info.annotation):
                out[name] = _tuples(out[name])
        return out


def _tuples(value: object) -> object:
    return tuple(_tuples(x) for x in value) if isinstance(value, list) else value
