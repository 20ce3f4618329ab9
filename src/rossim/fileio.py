"""Atomic file output (reading inputs: :mod:`rossim.fileinput`; checking output paths
before any work: :mod:`rossim.outputcheck`; both re-exported here).

A run that is killed at any moment must leave either the previous complete file or none, never
a half-written one that looks whole. Everything rossim writes goes through :func:`atomic_path`:
the content is written to a temporary sibling and renamed over the target only when complete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from rossim.fileinput import (  # noqa: F401  (re-exported: the input side of file I/O)
    MAX_INPUT_BYTES,
    NAME_MAX,
    _check_name_lengths,
    os_problem,
    read_input_bytes,
    read_input_text,
)
from rossim.outputcheck import (  # noqa: F401  (re-exported: the checks before any work)
    FOLDER_KINDS,
    JOURNAL_NAME,
    LOCK_NAME,
    RUN_OUTPUTS,
    _output_error,
    check_folder_kind,
    check_in_the_way,
    check_output_target,
)

__all__ = ["atomic_path", "check_output_target", "check_in_the_way", "check_folder_kind",
           "FOLDER_KINDS", "output_set", "OutputSet", "output_folder", "OutputFolder",
           "RUN_OUTPUTS", "settle_output_set", "sql_string_literal",
           "atomic_write_text", "atomic_write_bytes", "read_input_bytes", "read_input_text",
           "MAX_INPUT_BYTES"]

_CLEAN_ERRNOS = {errno.EACCES, errno.EPERM, errno.ENAMETOOLONG, errno.ENOSPC, errno.EDQUOT,
                 errno.EROFS, errno.ENOTDIR, errno.EEXIST, errno.ELOOP, errno.EISDIR,
                 errno.ENOENT}


def _remove_tmp(tmp_path: Path) -> None:
    """Remove a temporary file and its companions (a DuckDB ``.wal``, ...)."""
    for extra in [tmp_path, *tmp_path.parent.glob(glob_escape(tmp_path.name) + ".*")]:
        with contextlib.suppress(OSError):
            extra.unlink()


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success rename it onto ``target``.

    On any exception (or if the process dies) the temporary file is removed or left with a
    ``.tmp-`` prefix that no reader mistakes for the real output, and ``target`` keeps its
    previous content. Companion files the writer made next to the temporary one (a DuckDB
    ``.wal``) are removed too. A symbolic link, FIFO or device at ``target`` is never
    replaced, and the usual OS failures (permission, read-only or full file system, name too
    long, a file where a folder should be) are one :class:`rossim.errors.InputError` naming the
    path instead of a traceback. A missing parent folder is created (library writers, e.g.
    :func:`rossim.files.tle.write_tles`); the commands refuse a missing parent before any work
    (:func:`check_output_target`): rossim creates the file it is given, not its folder.
    """
    target = Path(target)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        check_output_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{target.name}.", dir=target.parent)
    except FileExistsError as exc:
        raise _output_error(target, exc, "a path under a folder",
                            "a parent of it is a file") from None
    except OSError as exc:
        raise _output_error(target, exc, "a writable location for an output file") from None
    os.close(fd)
    # mkstemp makes the file private (0600); outputs get the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except OSError as exc:
        _remove_tmp(tmp_path)
        if exc.errno in _CLEAN_ERRNOS:
            raise _output_error(target, exc, "room and permission to write the output") from None
        raise
    except BaseException as exc:
        _remove_tmp(tmp_path)
        if _is_disk_full(exc):
            raise _output_error(target, None, "room to write the output",
                                "no space left on device") from None
        raise


def _in_stage(exc: BaseException, stage_path: Path) -> bool:
    """True for an output error (:func:`atomic_path`'s) about a file in the hidden stage
    folder ``stage_path``: the user gave the output folder, not the stage."""
    from rossim.errors import InputError

    return (isinstance(exc, InputError) and exc.field == "output"
            and str(exc.value).startswith(str(stage_path)))


def _is_disk_full(exc: BaseException) -> bool:
    """True for a library's own "disk full" exception (DuckDB raises its own types)."""
    text = str(exc)
    return "No space left on device" in text or "Disk quota exceeded" in text


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


# --------------------------------------------------------------------------- output sets

_STAGE_PREFIX = ".staging-"
#: A staging folder as :func:`tempfile.mkdtemp` names it (8 random characters): the only
#: ``.staging-*`` folders a run's recovery removes (a user's own folder of a like name stays).
_STAGE_RE = re.compile(r"\.staging-[a-z0-9_]{8}")


class OutputSet:
    """The staging side of :func:`output_set`: write every file of the set under ``path``.

    ``stage / "archive.duckdb"`` (``__truediv__``) gives the staged path of an output; writers
    keep using :func:`atomic_path` there. Nothing in ``path`` is visible in the output folder
    until the set is committed.
    """

    def __init__(self, folder: Path, path: Path, names: tuple[str, ...]) -> None:
        self.folder = folder
        self.path = path
        self.names = names

    def __truediv__(self, name: str) -> Path:
        if name not in self.names:
            raise ValueError(f"{name!r} is not one of this output set's names {self.names}")
        return self.path / name

    def __fspath__(self) -> str:
        return str(self.path)


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _fsync_tree(path: Path) -> None:
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        with contextlib.suppress(OSError):
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _commit(folder: Path, journal: dict) -> None:
    """Move the staged outputs into ``folder`` (idempotent: finishes a commit a killed run
    left half done) and remove the set's outputs the new run did not produce."""
    stage = folder / journal["stage"]
    old = stage / ".replaced"
    for name in journal["move"]:
        src = stage / name
        if not src.exists():
            continue  # already moved by the interrupted commit
        dst = folder / name
        if dst.is_dir() and not dst.is_symlink():
            old.mkdir(exist_ok=True)
            os.replace(dst, old / name)
        os.replace(src, dst)
    for name in journal["remove"]:
        dst = folder / name
        if dst.is_dir() and not dst.is_symlink():
            _rmtree(dst)
        elif dst.exists() or dst.is_symlink():
            dst.unlink()
    _fsync_dir(folder)
    (folder / JOURNAL_NAME).unlink(missing_ok=True)
    _rmtree(stage)


def _finish_commit(folder: Path) -> None:
    """Under the lock: roll forward the commit whose journal a killed run left."""
    import json

    jpath = folder / JOURNAL_NAME
    if jpath.exists():
        try:
            journal = json.loads(jpath.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal = None
        if journal and (folder / journal.get("stage", "")).is_dir():
            _commit(folder, journal)
        jpath.unlink(missing_ok=True)


def _recover(folder: Path, names: tuple[str, ...]) -> None:
    """Under the lock: finish a commit a killed run left, drop stale staging folders and the
    ``.tmp-`` leftovers of this set's names."""
    _finish_commit(folder)
    for stale in folder.glob(_STAGE_PREFIX + "*"):
        if _STAGE_RE.fullmatch(stale.name) and stale.is_dir() and not stale.is_symlink():
            _rmtree(stale)
    for name in (*names, JOURNAL_NAME):  # atomic_path leftovers of a killed run
        for stale in folder.glob(".tmp-" + glob_escape(name) + ".*"):
            with contextlib.suppress(OSError):
                stale.unlink()


def settle_output_set(folder: str | os.PathLike[str], *, option: str = "run") -> None:
    """Before reading a run folder: finish the commit (journal of :func:`output_set`) of a run
    killed while moving its outputs in, so no reader sees that mix of two runs. No-op without
    a journal; :class:`~rossim.errors.InputError` naming ``option`` while a run holds the lock."""
    import fcntl

    from rossim.errors import InputError

    folder = Path(folder)
    if not folder.is_dir() or not (folder / JOURNAL_NAME).exists():
        return
    try:
        lock_fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return  # a read-only copy: nothing can be finished here; readers check completeness
    try:
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("argument", option, str(folder), "a finished run folder (wait "
                             "for the run writing it)",
                             problem="being written by another rossim run") from None
        _finish_commit(folder)
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(lock_fd, fcntl.LOCK_UN)
        os.close(lock_fd)


@contextlib.contextmanager
def output_set(folder: str | os.PathLike[str], names, *, option: str | None = "out",
               folders: Mapping[str, Collection[str]] | None = None) -> Iterator[OutputSet]:
    """Write a set of outputs (a run's archive, report, summary, ...) so that the folder holds
    either the complete previous set or the complete new one, never a mix.

    ``names`` are the file or folder names the set consists of (e.g. ``("archive.duckdb",
    "report.html", "summary.json", "parquet")``). Inside the ``with`` block, write each output
    to ``stage / name``; on normal exit they are moved into ``folder`` together (names not
    written this time are removed, so an old ``parquet/`` never sits next to a new archive).
    ``folders``: the names of ``names`` that are sub-folders -> the file names written in
    each (``{"parquet": ("run_info.parquet", ...)}``); every other name is a file.

    Guarantees:

    * **Lock**: a second run on the same folder is refused at once with one
      :class:`~rossim.errors.InputError` (``... is being written by another rossim run``); the
      lock (``.rossim.lock``, ``flock``) is released by the kernel even if the process is
      killed.
    * **Nothing half**: outputs are staged in a hidden ``.staging-*`` folder of ``folder``
      (same file system, so the final moves are renames). An exception, Ctrl-C, a plotting
      error or a kill before the commit leaves the previous set untouched; the staging folder
      is removed (or, after a kill, by the next run under the lock). The commit writes a
      journal first: a kill during the moves is finished by the next run (roll forward).
    * **Clean errors**: full disk, quota, permission, read-only file system, name too long
      become one :class:`~rossim.errors.InputError` naming the folder, with nothing left
      behind (DuckDB's own "No space left on device" exceptions included).
    * **Checks first**: ``folder`` is checked by :func:`check_output_target` (not a file, not
      a symbolic link, writable, in an existing folder; the folder itself is created).
    * **Only its own outputs replaced**: what stands at the set's names must be this set's
      earlier output (:func:`check_in_the_way`: a regular file for a file name, a folder
      holding only the names in ``folders`` for a sub-folder), checked under the lock before
      anything is staged and again just before the commit; a user's folder, link or file in
      the way is refused, never deleted. Commands call :func:`check_in_the_way` themselves
      before their computation, so the refusal comes before the work.
    """
    with output_folder(folder, names, option=option, folders=folders) as held, \
            held.commit() as stage:
        yield stage


class OutputFolder:
    """An output folder held under its lock (:func:`output_folder`) for a session that
    commits its set several times (``rossim serve --out``: the live run's archive every
    minute and when it stops); each :meth:`commit` is one :func:`output_set` commit."""

    def __init__(self, folder: Path, names: tuple[str, ...], option: str | None,
                 folders: dict[str, Collection[str]]) -> None:
        import threading

        self.folder, self.names, self.option, self.folders = folder, names, option, folders
        self.files = [n for n in names if n not in folders]
        self._one_at_a_time = threading.Lock()   # the server's thread and the final write

    def __fspath__(self) -> str:
        return str(self.folder)

    @contextlib.contextmanager
    def commit(self) -> Iterator[OutputSet]:
        """Stage the set's outputs (``stage / name``) and move them in together on normal
        exit, removing the set's names not written; an exception or a kill leaves the
        previous set whole (:func:`output_set`)."""
        import json

        folder, option = self.folder, self.option
        with self._one_at_a_time:
            _recover(folder, self.names)
            check_in_the_way(folder, self.files, self.folders, option)
            try:
                stage_path = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=folder))
            except OSError as exc:
                raise _output_error(folder, exc, "a writable folder", option=option) from None
            try:
                yield OutputSet(folder, stage_path, self.names)
                check_in_the_way(folder, self.files, self.folders, option)  # nothing new since
                produced = [n for n in self.names if (stage_path / n).exists()]
                journal = {"stage": stage_path.name, "move": produced,
                           "remove": [n for n in self.names if n not in produced]}
                _fsync_tree(stage_path)
                atomic_write_text(folder / JOURNAL_NAME, json.dumps(journal))
                _commit(folder, journal)
            except OSError as exc:
                _rmtree(stage_path)
                (folder / JOURNAL_NAME).unlink(missing_ok=True)
                if exc.errno in _CLEAN_ERRNOS:
                    raise _output_error(folder, exc, "room and permission to write the "
                                        "outputs", option=option) from None
                raise
            except BaseException as exc:
                if not (folder / JOURNAL_NAME).exists():
                    _rmtree(stage_path)
                if _is_disk_full(exc):
                    raise _output_error(folder, None, "room to write the outputs",
                                        "no space left on device", option=option) from None
                if _in_stage(exc, stage_path):   # a staged file's error names the option and
                    raise _output_error(folder, None, exc.expected, exc.problem,  # the folder,
                                        option=option) from None  # not the hidden stage
                raise


@contextlib.contextmanager
def output_folder(folder: str | os.PathLike[str], names, *, option: str | None = "out",
                  folders: Mapping[str, Collection[str]] | None = None
                  ) -> Iterator[OutputFolder]:
    """Hold ``folder``'s lock (``.rossim.lock``) for the ``with`` block: checked, created,
    locked (a second run on it refused at once, naming its pid), a killed run's commit
    finished and what stands in the way of ``names`` refused, as :func:`output_set`; the
    :class:`OutputFolder` yielded commits the set as often as asked."""
    import fcntl

    from rossim.errors import InputError

    names = tuple(str(n) for n in names)
    for n in names:
        if not n or "/" in n or n.startswith("."):
            raise ValueError(f"output names are plain file names, got {n!r}")
    folders = dict(folders or {})
    if not set(folders) <= set(names):
        raise ValueError(f"folders {sorted(folders)} are not all among the names {names}")
    folder = check_output_target(folder, option, folder=True)
    try:
        folder.mkdir(exist_ok=True)
        lock_fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _output_error(folder, exc, "a folder that can be created and written",
                            option=option) from None
    try:
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(lock_fd, 64, 0).decode("ascii", "replace").strip() or "?"
            raise InputError("argument" if option else None, option or "output", str(folder),
                             "a folder no other run is writing (wait for it, or choose "
                             "another folder)",
                             problem=f"being written by another rossim run, pid {other}") \
                from None
        os.ftruncate(lock_fd, 0)
        os.pwrite(lock_fd, str(os.getpid()).encode(), 0)
        held = OutputFolder(folder, names, option, folders)
        _recover(folder, names)
        check_in_the_way(folder, held.files, folders, option)
        yield held
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(lock_fd, fcntl.LOCK_UN)
        os.close(lock_fd)


def sql_string_literal(text: str | os.PathLike[str]) -> str:
    """``text`` as an SQL string literal (single quotes doubled), for statements such as
    DuckDB's ``COPY t TO '<path>'`` whose file name cannot be a bound parameter. An apostrophe
    in an output folder (``--out "it's"``) then names the file instead of ending the
    literal."""
    return "'" + os.fspath(text).replace("'", "''") + "'"
