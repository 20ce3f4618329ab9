"""Shared helpers of the sub-commands: output, JSON, date arguments."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import numpy as np
from rich.console import Console

from rossim.errors import InputError


def console() -> Console:
    """A console on stdout; no colour codes when stdout is not a terminal."""
    return Console(highlight=False, soft_wrap=False, width=160 if not sys.stdout.isatty() else None)


def _default(obj: Any) -> Any:
    if isinstance(obj, dt.datetime):
        return obj.isoformat().replace("+00:00", "Z")
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(data: Any) -> str:
    """Deterministic JSON (sorted keys, fixed separators)."""
    return json.dumps(data, default=_default, indent=2, sort_keys=True, ensure_ascii=False)


def print_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


def parse_date(text: str, option: str) -> dt.datetime:
    """A UTC date or date-time from the command line."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError("argument", option, text,
                         "a date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM:SSZ") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
