"""Errors that mean "the user gave us something wrong".

Every module that checks input raises :class:`InputError`; the command line prints its one-line
message and exits with code 2, without a traceback. Anything else that escapes is a bug in
rossim (exit code 1).
"""

from __future__ import annotations

from typing import Any

__all__ = ["InputError"]


#: Longest excerpt of a value quoted in an error line (a 1-million-item array or a 100 kB
#: string is shortened to this, with its size).
MAX_SHOWN = 120


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # as written in TOML and JSON
    if isinstance(value, list | tuple):
        # as the user wrote it (TOML, JSON, a comma list): brackets, never a Python tuple's
        # parentheses (a validated [415, 390] arrives here as the tuple (415, 390))
        if len(value) > 8:
            head = ", ".join(_show(x) for x in value[:3])
            return _clip(f"[{head}, ... {len(value)} items]")
        return _clip("[" + ", ".join(_show(x) for x in value) + "]")
    if isinstance(value, dict) and len(value) > 8:
        return f"{{... {len(value)} keys}}"
    if isinstance(value, str):
        if len(value) > MAX_SHOWN:
            return f'"{value[:MAX_SHOWN // 2]}..." ({len(value)} characters)'
        if value == "" or value != value.strip() or not value.isprintable():
            return repr(value)  # shows blanks, control and line-separator characters escaped
        return f'"{value}"'
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        digits = len(str(abs(value))) if abs(value) < 10**4000 else "> 4000"
        return f"<an integer of {digits} digits>"
    return _clip(repr(value))


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
        The offending value, shown with ``repr`` for non-strings.
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
        body = f"{_show(self.value)}"
        if self.problem:
            body += f" ({self.problem})"
        text = f"{head} = {body}" if head else body
        text += f"; expected {self.expected}"
        # One line, always: the CLI contract is a single clear line per error.
        return " ".join(text.splitlines())  # also U+2028 and the other line boundaries

    def __str__(self) -> str:
        return self.message
