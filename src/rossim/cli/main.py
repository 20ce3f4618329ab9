"""Entry point of the ``rossim`` command.

Sub-commands are modules of this package that define ``register(subparsers)``; they are found
by name, so adding a command means adding one file. Exit codes: 0 success; 2 bad input (one
clear line, no traceback), or a physical outcome that ended the result early (re-entry, an
element set past SGP4's validity: the valid part is written and the one line says what
happened and when); 1 internal failure (a bug); 130 interrupted (Ctrl-C); 141 the reader
of stdout went away (``rossim ... | head -1``, a broken pipe: nothing printed).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rossim import __version__
from rossim.errors import InputError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a C tool Ctrl-C stopped


#: argparse's message for a value its ``type`` refused (``float``, ``int``).
_INVALID_NUMBER = re.compile(r"^argument (?P<option>\S+): invalid (?P<type>float|int) value: "
                             r"(?P<value>.*)$")
#: The unit an option's metavar or last name part implies.
_UNITS = {"KM": "km", "DEG": "deg", "KG": "kg", "M2": "m^2", "G_CM2": "g/cm^2", "S": "s",
          "H": "h", "D": "days"}

#: A value that starts with a minus sign and a digit: ``-1d``, ``-60s``, ``-2x2``, ``-1e3``.
_NEGATIVE_VALUE = re.compile(r"^-\.?\d")


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr with exit code 2 (no usage dump), and a
    value such as ``-1d`` is a value (argparse takes only ``-1`` and ``-1.5`` for negative
    numbers and anything else after a ``-`` for an option: ``--duration -1d`` was "expected
    one argument", not the option's own check naming the value)."""

    def _parse_optional(self, arg_string: str):  # type: ignore[override]
        if _NEGATIVE_VALUE.match(arg_string) and not self._has_negative_number_optionals:
            return None   # no option of rossim's looks like a negative number
        return super()._parse_optional(arg_string)

    def error(self, message: str) -> None:  # type: ignore[override]
        # the top parser reports a sub-command's unrecognized arguments: point to its help
        helper = getattr(self, "help_prog", None) or self.prog
        message = self._plain_number(message)
        sys.stderr.write(f"{self.prog}: error: {message} (see '{helper} --help')\n")
        raise SystemExit(EXIT_BAD_INPUT)

    def _plain_number(self, message: str) -> str:
        """argparse's ``argument --altitude: invalid float value: '400km'`` with what is
        expected: a plain number, in the option's own unit (from its metavar or its name:
        ``KM``, ``--swath-km``), as a newcomer typed ``--altitude 400km``."""
        m = _INVALID_NUMBER.match(message)
        if m is None:
            return message
        action = self._option_string_actions.get(m["option"].split("/")[0])
        meta = str(getattr(action, "metavar", None) or "")
        tail = m["option"].rsplit("-", 1)[-1]
        unit = _UNITS.get(meta.upper()) or _UNITS.get(tail.upper())
        kind = "an integer" if m["type"] == "int" else "a number"
        return (f"argument {m['option']}: invalid value {m['value']}: expected {kind}"
                + (f" of {unit}, written without a unit" if unit else ""))


#: The sub-command the running ``main`` was asked for (set by :func:`_main` for
#: :func:`build_parser`; None: every sub-command).
_REQUESTED: str | None = None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``rossim`` parser with every sub-command, or with ``only`` (default: the command
    :func:`main` is running) that one: the others are not imported, which saves their
    start-up."""
    only = _REQUESTED if only is None else only
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
        if only is not None and info.name != only:
            continue
        module = importlib.import_module(f"rossim.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (see the module docstring).

    Ctrl-C at any moment, including while the sub-commands are imported, gives the one line
    ``rossim: interrupted`` and 130; an import that fails is one line, not a traceback
    (astropy's folders under an unreadable home folder are replaced by a temporary one first:
    :mod:`rossim.cli._astropy_home`). Whatever exception a library makes of
    the Ctrl-C (numba's ``SystemError: ... returned a result with an exception set``, DuckDB's
    "Query interrupted", an error in a clean-up the interrupt cut
    short) is an interruption too: :func:`_watch_sigint` records that the signal arrived.
    """
    with _watch_sigint():
        try:
            code = _main(argv)
            if _SIGINT.received:  # e.g. a library swallowed the KeyboardInterrupt, went on
                return _report_interrupted()
            sys.stdout.flush()  # a reader gone is seen here, not at interpreter exit
            return code
        except KeyboardInterrupt:
            return _report_interrupted()
        except BrokenPipeError:
            return broken_pipe()
        except Exception as exc:
            if not _interrupted(exc):
                raise
            return _report_interrupted()


class _SIGINT:
    """Whether a SIGINT arrived while :func:`main` ran (set by :func:`_on_sigint`), and
    whether the one line was written."""

    received = False
    reported = False
    pending = False   # deferred out of a native callback, not raised yet


def _on_sigint(signum: int, frame: object) -> None:
    """Python's own SIGINT handler (raise KeyboardInterrupt), which also records the signal:
    a library may turn the KeyboardInterrupt into an error of its own, or lose it.

    Not inside Python code that native code calls and that cannot take an exception back
    (:data:`_NATIVE_CALLBACK_MODULES`): there the KeyboardInterrupt is raised at the next line
    of the Python code that called the native code (:func:`_raise_on_return`)."""
    _SIGINT.received = True
    caller = _native_caller(frame)
    if caller is None:
        _SIGINT.pending = False
        raise KeyboardInterrupt
    _SIGINT.pending = True
    _raise_on_return(caller, signum)


#: Modules whose Python functions native code calls in the middle of its work, unable to pass
#: an exception on. A SIGINT that arrives while a numba-compiled kernel runs (a propagation's
#: DOP853 integration) is handled at the first bytecode after it, which is numba's
#: ``numba.core.serialize._numba_unpickle``, called by the compiled code to box the arrays it
#: returns (``nrt_adapt_ndarray_to_python``): the NULL a KeyboardInterrupt leaves there is used
#: as the array type, a segmentation fault (exit 139, no message; ``rossim propagate
#: --gravity 40x40``, whose calls last seconds). llvmlite's ctypes callbacks (the object cache
#: of a numba compilation) print and drop the exception: the command ran on to its end. The
#: interpreter calls weak-reference callbacks (``weakref``: a ``WeakValueDictionary``'s
#: ``remove`` when the garbage collector frees a value) and ``__del__`` methods the same way:
#: a KeyboardInterrupt raised there is printed as "Exception ignored in ..." and dropped (a
#: Ctrl-C during ``rossim propagate --gravity 40x40`` printed it above the one line; stop 45).
_NATIVE_CALLBACK_MODULES = ("numba.core.serialize", "weakref")
_NATIVE_CALLBACK_PREFIXES = ("llvmlite.",)


def _native_caller(frame: object) -> object | None:
    """The frame that called the outermost frame of :data:`_NATIVE_CALLBACK_MODULES` (or
    ``_NATIVE_CALLBACK_PREFIXES``, or a ``__del__`` method) among ``frame`` and its callers
    (the Python code the native code returns to), else None."""
    caller = None
    seen = frame
    while seen is not None:
        name = getattr(seen, "f_globals", {}).get("__name__") or ""
        code = getattr(getattr(seen, "f_code", None), "co_name", "")
        if name in _NATIVE_CALLBACK_MODULES or name.startswith(_NATIVE_CALLBACK_PREFIXES) \
                or code == "__del__":
            caller = seen.f_back
        seen = getattr(seen, "f_back", None)
    return caller


def _raise_on_return(frame, signum: int) -> None:
    """KeyboardInterrupt in ``frame`` at its next line or return, as a debugger stops there: a
    trace function on that frame alone (``sys.settrace`` is what makes CPython call it). With
    a trace function already set (a debugger, coverage) the signal is sent again from a thread
    1 ms later instead (sent from here, the handler would run again at once, still inside)."""
    if sys.gettrace() is not None:
        threading.Thread(target=_send_again, args=(signum,), daemon=True,
                         name="rossim-sigint").start()
        return

    def local(seen, event: str, arg: object):
        if event in ("line", "return") and _SIGINT.pending:
            sys.settrace(None)
            seen.f_trace = None
            _SIGINT.pending = False
            raise KeyboardInterrupt
        return local

    frame.f_trace = local
    sys.settrace(_trace_no_calls)


def _trace_no_calls(frame: object, event: str, arg: object) -> None:
    """The global trace function while a SIGINT waits (:func:`_raise_on_return`): no frame
    but the one given its own is traced."""
    return None


def _send_again(signum: int) -> None:
    """The deferred SIGINT, from a thread (:func:`_raise_on_return`)."""
    import _thread
    import time

    time.sleep(0.001)
    if _SIGINT.pending and signal.getsignal(signal.SIGINT) is _on_sigint:
        _thread.interrupt_main(signum)


def sigint_handled() -> None:
    """A command that stops on Ctrl-C by design (``rossim serve``) marks the signal as its
    normal end: :func:`main` then returns the command's own code, not 130."""
    _SIGINT.received = False


@contextmanager
def _watch_sigint() -> Iterator[None]:
    """Install :func:`_on_sigint` for the command's duration, where Python's default handler
    is installed, or the console script's handler for the start (``_rossim_entry``: the one
    line and 130 while this module is imported): a SIGINT the process inherited ignored (a
    background job) stays ignored, and a handler of the caller's own is left alone. Not in a
    thread other than the main one."""
    _SIGINT.received = _SIGINT.reported = _SIGINT.pending = False
    installed = False
    try:
        current = signal.getsignal(signal.SIGINT)
        if (threading.current_thread() is threading.main_thread()
                and (current is signal.default_int_handler
                     or getattr(current, "_rossim_start_handler", False))):
            signal.signal(signal.SIGINT, _on_sigint)
            installed = True
    except (ValueError, OSError):  # no signals here (an embedded interpreter)
        pass
    try:
        yield
    finally:
        if _SIGINT.pending and sys.gettrace() is _trace_no_calls:   # never reached its line
            sys.settrace(None)
        _SIGINT.pending = False
        if installed and signal.getsignal(signal.SIGINT) is _on_sigint:
            signal.signal(signal.SIGINT, signal.default_int_handler)


def _report_interrupted() -> int:
    """The one line of an interrupted command (once) and its exit code, 130."""
    try:
        if not _SIGINT.reported:
            _SIGINT.reported = True
            sys.stderr.write("rossim: interrupted\n")
    except (OSError, ValueError):  # stderr gone too
        pass
    # A KeyboardInterrupt that left code run by exec() of a string (scipy's array-API
    # module does "from numpy import *" so while numba loads a cached kernel) makes CPython
    # record it as unhandled (run_eval_code_obj), and at exit kill the process with SIGINT
    # (returncode -2, not 130) even though it was handled here. Each exec() of a string
    # clears that record first.
    exec("")
    return EXIT_INTERRUPTED


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is a Ctrl-C in another form: any exception once a SIGINT arrived
    (:class:`_SIGINT`), or one that carries the KeyboardInterrupt in its chain (numba's
    ``SystemError`` "returned a result with an exception set" has it as its cause), DuckDB's
    ``InterruptException``, or pydantic's ``SchemaError`` naming the KeyboardInterrupt it
    caught while building a model's validators (a SIGINT 20 ms into ``rossim validate``)."""
    if _SIGINT.received:
        return True
    seen = exc
    for _ in range(8):
        if seen is None:
            return False
        name = type(seen).__name__
        if isinstance(seen, KeyboardInterrupt) or (
                name == "SchemaError" and "KeyboardInterrupt" in str(seen)) or (
                name == "InterruptException"
                and (type(seen).__module__ or "").startswith(("duckdb", "_duckdb"))):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


#: Exit code when the reader of stdout went away (``rossim ... | head -1``): 128 + SIGPIPE,
#: what the shell reports for a C tool the same pipe killed. Not 0: not all of the output
#: was delivered; not 1: not a bug.
EXIT_BROKEN_PIPE = 141


def broken_pipe() -> int:
    """stdout's reader closed the pipe: point stdout at /dev/null so that the interpreter's
    final flush cannot fail again, print nothing (the reader chose to stop) and return
    :data:`EXIT_BROKEN_PIPE`. The Python documentation's "Note on SIGPIPE" (signal module)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # a stdout without a file descriptor
        pass
    return EXIT_BROKEN_PIPE


def _command_named(argv: Sequence[str] | None) -> str | None:
    """The sub-command ``argv`` starts with, when it is one (no import needed to tell)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        return None
    names = {m.name for m in pkgutil.iter_modules([os.path.dirname(__file__)])}
    name = args[0]
    return name if name in names and name != "main" and not name.startswith("_") else None


def _main(argv: Sequence[str] | None) -> int:
    global _REQUESTED
    _REQUESTED = _command_named(argv)
    from rossim.cli._astropy_home import use_private_folders_if_needed

    use_private_folders_if_needed()   # an unreadable home folder: astropy could not start
    try:
        parser = build_parser()
    except (ImportError, OSError) as exc:
        if _interrupted(exc):
            return _report_interrupted()
        if os.environ.get("ROSSIM_DEBUG"):
            raise
        sys.stderr.write(f"rossim: error: start-up failed: {type(exc).__name__}: "
                         f"{_short(str(exc))} (check HOME and its permissions; "
                         "ROSSIM_DEBUG=1 for a traceback)\n")
        return EXIT_INTERNAL
    finally:
        requested, _REQUESTED = _REQUESTED, None
    if requested:
        parser.help_prog = f"{parser.prog} {requested}"
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        _refuse_empty_options(parser, args)
        return int(args.func(args) or EXIT_OK)
    except InputError as exc:
        if _interrupted(exc):  # e.g. a reader that took the Ctrl-C for a bad file
            return _report_interrupted()
        from rossim.cli._common import as_cli_error, name_file_argument

        exc = name_file_argument(exc, _command_actions(parser, args), args)
        outcome = getattr(exc, "outcome", None)  # a physical outcome (decayed elements)
        sys.stderr.write(f"rossim: ended early: {outcome}\n" if outcome
                         else f"rossim: error: {_as_typed(as_cli_error(exc), argv)}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return _report_interrupted()
    except BrokenPipeError:
        return broken_pipe()
    except Exception as exc:  # a bug: say so briefly; ROSSIM_DEBUG=1 shows the traceback
        if _interrupted(exc):  # checked first: a Ctrl-C a library re-raised as its own error
            return _report_interrupted()
        if os.environ.get("ROSSIM_DEBUG"):
            raise
        known = _known_outcome(exc)
        if known is not None:
            sys.stderr.write(f"rossim: error: {known}\n")
            return EXIT_BAD_INPUT
        sys.stderr.write(
            f"rossim: internal error: {type(exc).__name__}: {_short(str(exc))} "
            "(this is a bug in rossim; set ROSSIM_DEBUG=1 for a traceback)\n"
        )
        return EXIT_INTERNAL


def _command_actions(parser: argparse.ArgumentParser,
                     args: argparse.Namespace) -> list[argparse.Action]:
    """The options and arguments of the sub-command ``args`` ran (help and func left out)."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    command = sub.choices.get(getattr(args, "command", None)) if sub is not None else None
    if command is None:
        return []
    return [a for a in command._actions if a.dest not in (argparse.SUPPRESS, "help", "func")]


def _refuse_empty_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """An option or argument given an empty string (``--plot ''``, ``--from ''``,
    ``--third-body ''``, ``validate ''``) is refused, never taken as "not given" (an empty
    path was the current folder: ``. = "."; expected a TOML file, not a directory``)."""
    for action in _command_actions(parser, args):
        value = getattr(args, action.dest, None)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            name = action.option_strings[-1] if action.option_strings else (
                action.metavar or action.dest)
            raise InputError("argument", name, "",
                             "a value (an empty string is not 'not given')")


def _as_typed(exc: InputError, argv: Sequence[str] | None) -> InputError:
    """``exc`` with a number option's value as the user typed it (``--days = 500``, not the
    parsed ``500.0``): the last value given to the option on the command line, when it parses
    to the same number."""
    import math

    from rossim.errors import AsTyped

    value, flag = exc.value, exc.field or ""
    if (exc.where != "argument" or not flag.startswith("--") or isinstance(value, bool)
            or not isinstance(value, int | float)):
        return exc
    args = list(sys.argv[1:] if argv is None else argv)
    raw = None
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            raw = args[i + 1]
        elif a.startswith(flag + "="):
            raw = a[len(flag) + 1:]
    try:
        typed = float(raw) if raw is not None else None
    except ValueError:
        return exc
    if typed is None or not (typed == value or math.isnan(typed) and math.isnan(value)):
        return exc
    return InputError(exc.where, exc.field, AsTyped(raw.strip()), exc.expected,
                      problem=exc.problem)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + f"... [{len(text)} characters]"


def _known_outcome(exc: Exception) -> str | None:
    """One line for failures that are not bugs: the integrator's, or the OS refusing a file."""
    from rossim.fileio import os_problem

    mod = type(exc).__module__ or ""
    if mod.startswith("rossim.dynamics") and type(exc).__name__ in ("PropagationError",
                                                                    "ReentryError"):
        return f"propagation stopped: {_short(str(exc))}; expected inputs the force model " \
               "can integrate"
    if isinstance(exc, OSError) and exc.errno is not None and exc.filename is not None:
        return f'path = "{_short(str(exc.filename), 120)}" ({os_problem(exc)}); ' \
               "expected a file or folder rossim can read or write"
    return None


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
