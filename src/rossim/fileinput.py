"""Reading input files: every OS failure (missing, unreadable, a directory, a FIFO, too big,
not UTF-8) becomes one :class:`~rossim.errors.InputError` naming the path, and
:func:`os_problem` words an OS error for a one-line message (also used by
:mod:`rossim.fileio` for outputs)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["read_input_bytes", "read_input_text", "os_problem", "MAX_INPUT_BYTES"]

#: Largest input file read (state files, scenarios): far above any real one (a year of 60 s
#: OEM states is ~60 MB), small enough to stay within memory.
MAX_INPUT_BYTES = 256 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"


#: Longest file-name component (bytes) of the usual file systems (ext4, XFS, btrfs, tmpfs).
NAME_MAX = 255


def _check_name_lengths(p: Path, option: str | None) -> None:
    from rossim.errors import InputError

    for part in p.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            where, field = ("argument", option) if option else (None, "path")
            raise InputError(where, field, str(p),
                             f"a path whose components are at most {NAME_MAX} bytes",
                             problem="file name too long")


def read_input_bytes(path: str | os.PathLike[str], what: str, *,
                     option: str | None = None) -> bytes:
    """The bytes of an input file, every OS failure turned into one :class:`InputError`.

    ``what`` names the expected file (``"TOML"``, ``"state"``); ``option`` the command-line
    option it came from, if any. Refused with a message naming the path: an empty path, a
    directory, a missing or unreadable file (permission), a name too long for the file
    system, a FIFO or device, and files over :data:`MAX_INPUT_BYTES`.
    """
    from rossim.errors import InputError

    text = os.fspath(path)
    where, field = ("argument", option) if option else (text or None, None)
    if not text:
        raise InputError(where, field, text, f"the path of a {what} file")
    p = Path(text)
    _check_name_lengths(p, option)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError(where, field, text, f"a {what} file, not a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(where, field, text, f"a regular {what} file",
                             problem="not a regular file")
        if st.st_size > MAX_INPUT_BYTES:
            raise InputError(where, field, text,
                             f"a {what} file of at most {MAX_INPUT_BYTES // 2**20} MiB",
                             problem=f"{st.st_size} bytes")
        return p.read_bytes()
    except OSError as exc:
        raise InputError(where, field, text, f"a readable {what} file",
                         problem=os_problem(exc)) from None


def read_input_text(path: str | os.PathLike[str], what: str, *,
                    option: str | None = None) -> str:
    """:func:`read_input_bytes` decoded as UTF-8; a leading byte-order mark is dropped.

    Many Windows editors write the UTF-8 BOM; it carries no content. Text that is not UTF-8
    (e.g. UTF-16) is refused naming the first bad byte.
    """
    from rossim.errors import InputError

    raw = read_input_bytes(path, what, option=option)
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(os.fspath(path), None, f"byte {exc.start}",
                         f"UTF-8 text (a {what} file)", problem="not UTF-8") from None


def os_problem(exc: OSError) -> str:
    """A short description of an OS error for a one-line message (no paths, no errno)."""
    names = {
        errno.ENOENT: "no such file or directory",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ENAMETOOLONG: "file name too long: at most 255 bytes per path component",
        errno.EISDIR: "is a directory",
        errno.ENOTDIR: "a path component is not a directory",
        errno.ENOSPC: "no space left on device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EROFS: "read-only file system",
        errno.ELOOP: "too many levels of symbolic links",
        errno.EEXIST: "already exists",
    }
    return names.get(exc.errno or -1, exc.strerror or type(exc).__name__)
