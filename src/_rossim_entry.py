"""The ``rossim`` console script's first code: a Ctrl-C while the command starts.

Importing the command (:mod:`rossim`, then :mod:`rossim.cli.main`, which imports numpy,
astropy and the rest as it builds its parser) takes a noticeable time, and until
:func:`rossim.cli.main.main` installs its SIGINT handler, Python's own handler would raise a
``KeyboardInterrupt`` inside whatever import the signal hits: a traceback of import machinery
instead of the one line ``rossim: interrupted`` and exit 130 (the rel-case
``sigint-at-startup-traceback``: Ctrl-C 0.1 s after the start).

This module is outside the :mod:`rossim` package so that importing it imports nothing but the
standard library's :mod:`os` and :mod:`signal` (importing ``rossim.anything``
runs ``rossim/__init__.py`` first). :func:`main` installs :func:`_interrupted_at_start`, which
writes the one line and ends the process with 130 at once (nothing has been written yet, no
file is open for writing: nothing to lose), then imports and runs the command; the command's
own handler replaces it (:func:`rossim.cli.main._watch_sigint` knows it by
``_rossim_start_handler``). A SIGINT the process inherited ignored (a background job) stays
ignored, and a handler of the caller's own is left alone, as the command's own handler does.
What remains is the interpreter's own start (before any code of rossim runs).
"""

from __future__ import annotations

import os
import signal

EXIT_INTERRUPTED = 130  # as rossim.cli.main.EXIT_INTERRUPTED


def _interrupted_at_start(signum, frame) -> None:  # noqa: ARG001 (signal handler signature)
    """SIGINT before the command's own handler is in place: the one line, exit 130."""
    try:
        os.write(2, b"rossim: interrupted\n")
    finally:
        os._exit(EXIT_INTERRUPTED)


_interrupted_at_start._rossim_start_handler = True  # type: ignore[attr-defined]


def install() -> bool:
    """Install :func:`_interrupted_at_start` where Python's default SIGINT handler is; return
    whether it was installed (not in a thread other than the main one, not without signals)."""
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _interrupted_at_start)
            return True
    except (ValueError, OSError):   # not the main thread, or no signals (embedded)
        pass
    return False


def main() -> int:
    """The ``rossim`` command (:func:`rossim.cli.main.main`) with a Ctrl-C while it is
    imported reported as one line and exit 130."""
    installed = install()
    try:
        from rossim.cli.main import main as command
    except BaseException:
        # a broken install: Python's own handler again, and the import error as it is
        if installed and signal.getsignal(signal.SIGINT) is _interrupted_at_start:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        raise
    return command()
