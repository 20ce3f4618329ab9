"""Reading TOML and turning pydantic validation errors into one-line :class:`InputError`."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from rossim.errors import AsTyped, InputError


def read_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file; a missing or malformed file raises :class:`InputError`."""
    from rossim.fileio import read_input_text

    path = Path(path)
    text = read_input_text(path, "TOML")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise InputError(str(path), "TOML syntax", "nested too deeply",
                         "valid TOML (https://toml.io) with ordinary nesting",
                         problem="malformed TOML") from None
    except tomllib.TOMLDecodeError as exc:
        if (bad := _bad_date(text, str(exc))) is not None:
            raise InputError(str(path), *bad[:3], problem=bad[3]) from None
        text = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", text)
        where_in = f"line {m.group(1)}, column {m.group(2)}" if m else "TOML syntax"
        reason = re.sub(r"\s*\(at line .*\)$", "", text) or text
        raise InputError(str(path), where_in, reason, "valid TOML (https://toml.io)",
                         problem="malformed TOML") from None


#: ``key = 2027-13-01...``: a value TOML would read as a date if it were one.
_DATE_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z0-9_\-\".]+)\s*=\s*"
                         r"(?P<value>\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                         r"(?:[Zz]|[+-]\d{2}:\d{2})?)?)\s*(?:#.*)?$")
_TABLE = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _bad_date(text: str, message: str) -> tuple[str, str, str, str] | None:
    """The field, value and expectation (with the calendar's reason) when TOML refused a
    date that is not one (``start = 2027-13-01``: tomllib says only "Expected newline or end
    of document after a statement" at the month); None for other syntax errors."""
    import datetime as dt

    m = re.search(r"\(at line (\d+), column \d+\)", message)
    lines = text.splitlines()
    if m is None or not 1 <= int(m.group(1)) <= len(lines):
        return None
    n = int(m.group(1))
    d = _DATE_VALUE.match(lines[n - 1])
    if d is None:
        return None
    value = d["value"]
    try:
        dt.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        return None   # a valid date: the syntax error is something else
    except ValueError as exc:
        reason = str(exc)
    headers = [(i, t) for i, line in enumerate(lines[:n - 1])
               if (t := _TABLE.match(line)) is not None]
    table = None
    if headers:
        i, t = headers[-1]
        table = t["name"]
        if lines[i].lstrip().startswith("[["):   # an array of tables: its index
            count = sum(1 for _j, u in headers if u["name"] == table
                        and lines[_j].lstrip().startswith("[["))
            table = f"{table}[{count - 1}]"
    key = d["key"].strip('"')
    field = f"{table}.{key}" if table else key
    return (f"{field} (line {n})", AsTyped(value),   # as written: a TOML date is not a string
            "a calendar date, YYYY-MM-DD with month 1-12 and a day the month has (or a "
            "date-time YYYY-MM-DDTHH:MM:SSZ)", reason)


class FieldError(ValueError):
    """Raised inside a schema validator to point at a precise sub-field with its value."""

    def __init__(self, field: str, value: object, expected: str, *,
                 problem: str | None = None) -> None:
        self.field, self.value, self.expected, self.problem = field, value, expected, problem
        super().__init__(expected)


def loc_to_field(loc: tuple[Any, ...]) -> str:
    """``("assembly", 2, "port")`` -> ``"assembly[2].port"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_EXPECTED = {
    "extra_forbidden": "no such field (check the spelling against the documented schema)",
    "missing": "this required field to be present",
    "greater_than": "a number > {gt}",
    "greater_than_equal": "a number >= {ge}",
    "less_than": "a number < {lt}",
    "less_than_equal": "a number <= {le}",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "int_parsing": "an integer",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "datetime_type": "a date-time (YYYY-MM-DDTHH:MM:SSZ)",
    "datetime_parsing": "a date-time (YYYY-MM-DDTHH:MM:SSZ)",
    "datetime_from_date_parsing": "a date-time (YYYY-MM-DDTHH:MM:SSZ)",
    "list_type": "a list",
    "string_too_short": "at least {min_length} character(s)",   # not pydantic's own words
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}


def _known_keys(model: Any, loc: tuple) -> list[str]:
    """The field names of the (sub)model at ``loc`` inside ``model`` ([] when not found)."""
    import typing

    def models_in(tp: Any) -> list[Any]:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return [tp]
        return [m for a in typing.get_args(tp) for m in models_in(a)]

    current = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt = []
        for m in current:
            info = m.model_fields.get(str(part))
            if info is not None:
                nxt += models_in(info.annotation)
        current = nxt
    return sorted({k for m in current for k in m.model_fields})


#: What a fixed-length list means, by field name (the count comes from the schema).
_LIST_HINTS = {"altitude_band_km": "[low, high] in km"}
_COUNT = {1: "one", 2: "two", 3: "three", 4: "four", 6: "six"}
#: What a list that may not be empty holds, by field name.
_SHORT_HINTS = {"modules": 'at least one module id (the modules that leave the station at '
                           'the date), e.g. ["iss-usos"]'}


def _annotation_at(model: Any, loc: tuple) -> Any:
    """The type annotation of the field at ``loc`` (list indices skipped), or None."""
    import typing

    current: list[Any] = [model]
    annotation = None
    for part in loc:
        if isinstance(part, int):
            continue
        found = [m.model_fields[str(part)] for m in current
                 if isinstance(m, type) and issubclass(m, BaseModel)
                 and str(part) in m.model_fields]
        if not found:
            return None
        annotation = found[0].annotation
        current = list(typing.get_args(annotation)) or [annotation]
        current += [a for c in list(current) for a in typing.get_args(c)]
    return annotation


def _list_expected(model: Any, loc: tuple) -> str:
    """``"two values [low, high] in km"``: what the fixed-length list at ``loc`` holds."""
    import typing

    n = None
    stack = [_annotation_at(model, loc)]
    while stack:
        tp = stack.pop()
        if typing.get_origin(tp) is tuple:
            args = [a for a in typing.get_args(tp) if a is not Ellipsis]
            if args and len(args) == len(typing.get_args(tp)):
                n = len(args)
                break
        stack += list(typing.get_args(tp))
    count = f"{_COUNT.get(n, n)} values" if n else "the documented number of values"
    hint = _LIST_HINTS.get(str(loc[-1]))
    return f"{count} {hint}" if hint else count


def _value_at(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def validate(model: type[BaseModel], data: Any, where: str) -> Any:
    """Validate ``data`` against ``model``; the first error becomes an :class:`InputError`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt required key gives two errors, "missing" for the right name and
        # "extra_forbidden" for the wrong one: report the key the user wrote, with the guess.
        extra = [e for e in errors if e["type"] == "extra_forbidden"]
        err = extra[0] if extra else errors[0]
        kind = err["type"]
        ctx = err.get("ctx") or {}
        field = loc_to_field(err["loc"])
        if kind == "extra_forbidden":
            key = str(err["loc"][-1])
            missing = [str(e["loc"][-1]) for e in errors
                       if e["type"] == "missing" and e["loc"][:-1] == err["loc"][:-1]]
            guess = (difflib.get_close_matches(key, missing, n=1, cutoff=0.6)
                     or difflib.get_close_matches(key, _known_keys(model, err["loc"][:-1]),
                                                  n=1, cutoff=0.6))
            problem = f"unknown key {key}" + (f"; did you mean {guess[0]}?" if guess else "")
            expected = (f"{guess[0]} (required, and missing)" if guess and guess[0] in missing
                        else _EXPECTED[kind])
            raise InputError(where, field, err.get("input"), expected,
                             problem=problem) from None
        if kind == "missing" and err["loc"] and isinstance(err["loc"][-1], int):
            # [390] for a pair: the list is short, not "field [1] missing"
            short = _value_at(data, err["loc"][:-1])
            raise InputError(where, loc_to_field(err["loc"][:-1]), short,
                             _list_expected(model, err["loc"][:-1]),
                             problem=f"{len(short) if isinstance(short, list) else 0} "
                                     "given") from None
        if kind == "too_long" and isinstance(err.get("input"), list | tuple):
            raise InputError(where, field, err.get("input"), _list_expected(model, err["loc"]),
                             problem=f"{len(err['input'])} given") from None
        if kind == "too_short" and isinstance(err.get("input"), list | tuple):
            n = ctx.get("min_length", 1)
            hint = _SHORT_HINTS.get(str(err["loc"][-1]) if err["loc"] else "")
            raise InputError(where, field, err.get("input"),
                             hint or f"a list of at least {_COUNT.get(n, n)} "
                                     f"item{'' if n == 1 else 's'}",
                             problem=f"{len(err['input'])} given") from None
        if kind == "missing":
            raise InputError(where, field, None, _EXPECTED[kind],
                             problem="missing field") from None
        if kind == "value_error":
            error = ctx.get("error")
            if isinstance(error, FieldError):
                sub = ".".join(x for x in (field, error.field) if x)
                raise InputError(where, sub, error.value, error.expected,
                                 problem=error.problem) from None
            # Our own validators: the message is "expected ...".
            msg = str(error if error is not None else err["msg"])
            raise InputError(where, field, err.get("input"), msg) from None
        if kind == "literal_error":
            expected = "one of " + str(ctx.get("expected", ""))
            raise InputError(where, field, err.get("input"), expected) from None
        template = _EXPECTED.get(kind)
        expected = template.format(**ctx) if template else err["msg"]
        raise InputError(where, field, err.get("input"), expected) from None
