"""Errors that mean "the user gave us something wrong".

Every module that checks input raises :class:`InputError`; the command line prints its one-line
message and exits with code 2, without a traceback. Anything else that escapes is a bug in
rossim (exit code 1).
"""

from __future__ import annotations

from typing import Any

__all__ = ["InputError"]


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if value == "" or value != value.strip() else f'"{value}"'
    return repr(value)


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
        return " ".join(text.split("\n"))

    def __str__(self) -> str:
        return self.message
