"""Building blocks of every scenario section: the strict pydantic base (unknown fields refused,
no type coercion, no infinities) and UTC dates (TOML dates and naive date-times mean UTC).
Used by :mod:`rossim.config.scenario`, :mod:`rossim.config.free_flyers` and
:mod:`rossim.config.monte_carlo`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = ["UTCDate", "PositiveMass"]


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
