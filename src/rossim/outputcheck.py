"""Checking output paths before any work (writing them: :mod:`rossim.fileio`, which
re-exports these checks).

Every command checks its outputs before it computes anything, so that a wrong path costs
nothing (no run is lost at its end): one :class:`~rossim.errors.InputError` naming the
option, the path, what is wrong and what was expected. The rules are the same for every
command:

* rossim creates the output it is given (a file; a folder for a set of outputs, as ``run
  --out``), never the folders above it: a missing parent folder is refused and named
  (:func:`check_output_target`; a typo in a path would otherwise scatter new folders);
* an output replaces rossim's own earlier output of the same kind and nothing else: a folder,
  symbolic link or special file where an output file goes, or a folder of outputs (a run's
  ``parquet/``) holding anything rossim does not write there, is refused, never deleted
  (:func:`check_in_the_way`);
* one command never writes into another command's folder (:func:`check_folder_kind`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from rossim.fileinput import _check_name_lengths, os_problem

__all__ = ["check_output_target", "check_in_the_way", "check_folder_kind", "FOLDER_KINDS",
           "RUN_OUTPUTS"]

#: The lock and commit journal of an output set (:func:`rossim.fileio.output_set`).
LOCK_NAME = ".rossim.lock"
JOURNAL_NAME = ".rossim-commit.json"


def _output_error(target: Path | str, exc: OSError | None, expected: str, problem: str | None = None,
                  option: str | None = None):
    from rossim.errors import InputError

    where, field = ("argument", option) if option else (None, "output")
    return InputError(where, field, str(target), expected,
                      problem=problem if problem is not None else os_problem(exc))


def _check_not_an_input(target, option, folder: bool, inputs, names) -> None:
    outs = [Path(target) / n for n in names] if folder else [Path(target)]
    for src in inputs:
        if src is None:
            continue
        src_p = Path(src)
        for out in outs:
            same = False
            try:
                same = out.exists() and src_p.exists() and os.path.samefile(out, src_p)
            except OSError:
                pass
            if same or out.resolve() == src_p.resolve():
                raise _output_error(os.fspath(target), None,
                                    "an output path that is not one of the inputs",
                                    f"it would overwrite the input {src}", option)


def path_kind(p: Path) -> str:
    """What ``p`` is, in words ("a file", "a character device", ...), for an error line."""
    try:
        mode = p.lstat().st_mode
    except OSError:
        return "not readable"
    kinds = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISREG,
             "a file"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR,
             "a character device"), (stat.S_ISBLK, "a block device"))
    return next((what for test, what in kinds if test(mode)), "not a folder")


def check_output_target(target: str | os.PathLike[str], option: str | None = None, *,
                        folder: bool = False, inputs=(), names=()) -> Path:
    """Check, before any work, that ``target`` can be written as an output file (or folder).

    Refused with one :class:`InputError` naming ``option`` (or ``output``) and the path: an
    empty path; a target that is a directory (for a file) or a file (for a folder); a symbolic
    link, FIFO or device (never replaced, never written through); a path component longer
    than the file system allows; a parent folder that does not exist (rossim creates the
    output file or folder it is given, never the folders above it: ``-o reslts/x.oem``
    is a typo, not a request for a folder) or cannot be written; an output that is one of
    the command's ``inputs`` (for a folder: one of the ``names`` written in it), so that no
    command overwrites what it reads.
    """
    _check_not_an_input(target, option, folder, inputs, names)
    text = os.fspath(target)
    if not text:
        from rossim.errors import InputError

        raise InputError("argument" if option else None, option or "output", text,
                         "a path for the output")
    p = Path(text)
    what = "a folder" if folder else "a file path"
    _check_name_lengths(p, option)
    if p.is_symlink():
        raise _output_error(text, None, f"{what} that is not a symbolic link (it is not replaced "
                            "or written through)", "a symbolic link", option)
    if p.exists():
        if folder and not p.is_dir():
            raise _output_error(text, None, "a folder", f"it is {path_kind(p)}", option)
        if not folder and p.is_dir():
            raise _output_error(text, None, "a file path, not a directory", "a directory", option)
        if not folder and not p.is_file():
            raise _output_error(text, None, "a regular file or a new path (special files are not "
                                "replaced)", "a FIFO, socket or device", option)
    parent = p.parent
    if not parent.is_dir():
        probe = parent
        while not probe.exists() and not probe.is_symlink() and probe.parent != probe:
            probe = probe.parent
        if probe.exists() and not probe.is_dir():
            raise _output_error(text, None, "a path under a folder",
                                f"{probe} is {path_kind(probe)}", option)
        made = "the output folder" if folder else "the file"
        raise _output_error(text, None, f"{what} in an existing folder (rossim creates {made}, "
                            "not the folders above it)", f"folder {parent} does not exist", option)
    probe = p if folder and p.is_dir() else parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise _output_error(text, None, "a writable folder", _unwritable_why(probe), option)
    return p


def _unwritable_why(folder: Path) -> str:
    """Why ``os.access`` refuses to write in ``folder``: a read-only mount (as root too) or
    the folder's permissions."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except (OSError, AttributeError):   # no statvfs (Windows) or no answer: permissions
        pass
    return "permission denied"


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _in_the_way(path: Path, allowed: Collection[str] | None, is_folder: bool) -> str | None:
    """What is wrong with ``path`` as rossim's earlier output (None: nothing, or absent)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return f"{path} is a symbolic link"
    if not is_folder:
        if stat.S_ISDIR(mode):
            return f"{path} is a folder"
        return None if stat.S_ISREG(mode) else f"{path} is a FIFO, socket or device"
    if not stat.S_ISDIR(mode):
        return f"{path} is a file, where rossim writes a folder"
    if allowed is None:
        return None   # a folder rossim only adds to: nothing in it is removed
    with os.scandir(path) as it:
        strangers = sorted(e.name for e in it
                           if e.name not in allowed or not e.is_file(follow_symlinks=False))
    if strangers:
        return f"{path} holds {_some(strangers)}, which rossim does not write there"
    return None


def check_in_the_way(folder: str | os.PathLike[str], files: Iterable[str] = (),
                     folders: Mapping[str, Collection[str] | None] | None = None,
                     option: str | None = "out") -> None:
    """Refuse anything in ``folder`` where an output goes that is not rossim's own earlier
    output of the same kind, so that writing the outputs replaces only those and deletes
    nothing else (a run's commit replaces or removes every name of its set: an old
    ``parquet/`` never sits next to a new archive).

    ``files``: the names of output files; a regular file there is an earlier output
    (replaced); a folder, a symbolic link, a FIFO, socket or device is refused.
    ``folders``: name -> the file names rossim writes in that sub-folder (a run's
    ``parquet/``: one ``<table>.parquet`` per archive table), or None for a sub-folder rossim
    only adds to and never removes (a campaign's ``runs/``); a folder there holding only
    those names (or nothing) is an earlier output; one holding anything else (another file,
    a sub-folder, a link), or a file or link where the folder goes, is refused. A folder of
    an older rossim whose tables had other names is refused too: the safe side (delete it).

    One :class:`~rossim.errors.InputError` naming ``option``, ``folder`` and the path in
    the way; no-op while ``folder`` does not exist.
    """
    base = Path(folder)
    if not base.is_dir():
        return
    folders = dict(folders or {})
    items = [(n, None, False) for n in files] + [(n, a, True) for n, a in folders.items()]
    for name, allowed, is_folder in items:
        path = base / name
        try:
            problem = _in_the_way(path, allowed, is_folder)
        except OSError as exc:
            raise _output_error(os.fspath(folder), exc, "an output folder rossim can read",
                                option=option) from None
        if problem:
            raise _output_error(
                os.fspath(folder), None, "a folder where only rossim's own earlier outputs "
                f"stand in the way of the new ones (move {path} away, or choose another "
                f"{option or 'folder'})", problem, option)


# --------------------------------------------------------------------------- folder kinds

#: The files and folders of one run's output folder, one output set
#: (:func:`rossim.fileio.output_set`; the files in ``parquet/``:
#: :func:`rossim.archive.store.run_output_folders`): ``rossim run --out`` writes them,
#: ``rossim serve --out`` the archive of a live run and removes the rest, so that two runs
#: never mix in one folder.
RUN_OUTPUTS = ("archive.duckdb", "report.html", "summary.json", "parquet")

#: What each command's output folder holds, by the names that mark it: ``rossim run`` (and
#: ``rossim serve --out``) write a run's outputs, ``rossim campaign`` a campaign's. One
#: command never writes into the other's folder: the two sets would mix.
FOLDER_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "run": ("a run's outputs", (*RUN_OUTPUTS, LOCK_NAME, JOURNAL_NAME)),
    "campaign": ("a campaign's outputs", ("campaign.json", "campaign.duckdb",
                                          "campaign-summary.json", "campaign.html",
                                          "manifest.json")),
}


def _being_written(folder: Path) -> bool:
    """True while a run holds ``folder``'s lock (:func:`rossim.fileio.output_set`)."""
    import fcntl

    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def check_folder_kind(folder: str | os.PathLike[str], kind: str, option: str | None = "out"
                      ) -> None:
    """Refuse ``folder`` (an output folder for ``kind``, a key of :data:`FOLDER_KINDS`) when
    it holds another command's outputs: one :class:`~rossim.errors.InputError` naming
    ``option``, the folder, what it holds (the names found) and what was expected."""
    p = Path(folder)
    if not p.is_dir():
        return
    for other, (what, names) in FOLDER_KINDS.items():
        found = [n for n in names if other != kind and (p / n).exists()]
        if found:
            writing = "; a run is writing it now" if other == "run" and _being_written(p) else ""
            raise _output_error(
                os.fspath(folder), None, f"a new or empty folder, or one holding "
                f"{FOLDER_KINDS[kind][0]} (choose another folder)",
                f"it holds {what}: {', '.join(found)}{writing}", option)
