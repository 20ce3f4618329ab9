"""astropy's configuration and cache folders when the home folder cannot be read.

astropy looks for its folders under the home folder (``~/.astropy/config``,
``~/.astropy/cache``, or ``$XDG_CONFIG_HOME/astropy``) when it is imported, and a home folder
the user may not search (a service account run with another user's ``HOME``, a container with
``HOME=/root`` and a non-root user) makes that import raise ``PermissionError``: every command
failed at start-up (the rel-case ``unreadable-home-traceback``). rossim reads no astropy
configuration and downloads nothing (no network at run time: the IERS tables come from the
``astropy-iers-data`` package), so the command can run with a private temporary folder in
their place: :func:`use_private_folders_if_needed` points ``ASTROPY_CONFIG_DIR`` and
``ASTROPY_CACHE_DIR`` (astropy's own variables, astropy >= 6.1) at one, removed at exit, and
says so in one note on stderr. Variables the user set are kept. Standard library only: it runs
before astropy is imported.
"""

from __future__ import annotations

import os

__all__ = ["use_private_folders_if_needed"]

#: The places astropy 8 stats when it is imported (astropy.config.paths: the legacy
#: ``~/.astropy`` tree and the XDG ones).
_LOOKED_AT = (".astropy", os.path.join(".astropy", "config"), os.path.join(".astropy", "cache"),
              os.path.join(".config", "astropy"), os.path.join(".cache", "astropy"))
_VARIABLES = ("ASTROPY_CONFIG_DIR", "ASTROPY_CACHE_DIR")


def unreadable_place(home: str) -> tuple[str, str] | None:
    """The first of astropy's places under ``home`` that cannot be looked at, with the
    operating system's reason (e.g. ``("/root/.astropy", "Permission denied")``); None when
    each exists or is plainly absent."""
    for rel in _LOOKED_AT:
        path = os.path.join(home, rel)
        try:
            os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            return path, exc.strerror or type(exc).__name__
    return None


def use_private_folders_if_needed(environ=os.environ, stderr=None) -> str | None:
    """When astropy's folders under the home folder cannot be read (:func:`unreadable_place`)
    and the user has not set ``ASTROPY_CONFIG_DIR`` and ``ASTROPY_CACHE_DIR``, point them at a
    new private temporary folder (removed at exit) and write one note to ``stderr``
    (``sys.stderr`` by default); return that folder, or None when nothing was needed or no
    temporary folder could be made (astropy then reports its own error, which the command
    turns into one line)."""
    if all(environ.get(v) for v in _VARIABLES):
        return None
    where = unreadable_place(os.path.expanduser("~"))
    if where is None:
        return None
    import atexit
    import shutil
    import sys
    import tempfile

    try:
        folder = tempfile.mkdtemp(prefix="rossim-astropy-")
    except OSError:
        return None
    atexit.register(shutil.rmtree, folder, True)
    for v in _VARIABLES:
        if not environ.get(v):
            environ[v] = folder
    path = where[0] if len(where[0]) <= 200 else \
        f"{where[0][:160]}... [{len(where[0])} characters]"
    (stderr or sys.stderr).write(
        f"rossim: note: astropy's folder {path} cannot be read ({where[1]}; check HOME); "
        f"astropy uses a temporary folder for this command\n")
    return folder
