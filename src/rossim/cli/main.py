"""Entry point of the ``rossim`` command.

Sub-commands are modules of this package that define ``register(subparsers)``; they are found
by name, so adding a command means adding one file. Exit codes: 0 success, 2 bad input (one
clear line, no traceback), 1 internal failure.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from rossim import __version__
from rossim.errors import InputError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr with exit code 2 (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rossim",
        description="rossim: a digital twin of the Russian Orbital Service Station (ROS).",
    )
    parser.add_argument("--version", action="version", version=f"rossim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    package_dir = os.path.dirname(__file__)
    for info in sorted(pkgutil.iter_modules([package_dir]), key=lambda m: m.name):
        if info.name in ("main",) or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"rossim.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or EXIT_OK)
    except InputError as exc:
        sys.stderr.write(f"rossim: error: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("rossim: interrupted\n")
        return 130
    except Exception as exc:  # a bug: say so briefly; ROSSIM_DEBUG=1 shows the traceback
        if os.environ.get("ROSSIM_DEBUG"):
            raise
        sys.stderr.write(
            f"rossim: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug in rossim; set ROSSIM_DEBUG=1 for a traceback)\n"
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
