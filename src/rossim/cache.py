"""On-disk cache of derived tables (the IGRF field grids of the dose model, the parsed
space-weather file, astropy's parsed IERS table: :mod:`rossim.frames.eop_cache`), so that
only the first run on a machine pays for them.

A cached table is a NumPy ``.npz`` named after what it holds and a SHA-256 key of everything
it was computed from (the inputs, the source file, the code that computes it); a changed input
is a new key, never a stale hit. Files are written atomically (:mod:`rossim.fileio`), so
parallel processes (campaign workers, pytest-xdist) never read half a file.

Where: ``$ROSSIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/rossim``, else ``~/.cache/rossim``.
``ROSSIM_CACHE_DIR=off`` disables it. A folder that cannot be created or written, or a file
that cannot be read, disables the cache for that call: the table is computed as if there were
no cache (the results are the same bytes either way: ``.npz`` stores float64 exactly).
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = ["cache_dir", "cached_arrays", "digest", "ArrayMemo"]


def cache_dir() -> Path | None:
    """The cache folder (created), or None when disabled or not writable."""
    env = os.environ.get("ROSSIM_CACHE_DIR")
    if env is not None and env.strip().lower() in ("", "off", "0", "none"):
        return None
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "rossim"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK | os.X_OK) else None


def digest(*parts: object) -> str:
    """SHA-256 hex of ``parts`` (bytes as they are; arrays by dtype, shape and data; anything
    else by ``repr``)."""
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, bytes):
            h.update(p)
        elif isinstance(p, np.ndarray):
            h.update(f"{p.dtype.str}{p.shape}".encode())
            h.update(np.ascontiguousarray(p).tobytes())
        else:
            h.update(repr(p).encode())
        h.update(b"\x00")
    return h.hexdigest()


def cached_arrays(name: str, key: str, compute: Callable[[], dict[str, np.ndarray]]
                  ) -> dict[str, np.ndarray]:
    """``compute()`` (a dict of arrays), read from ``<cache>/<name>-<key[:32]>.npz`` when there,
    else computed and stored there."""
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"{name}-{key[:32]}.npz"
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except Exception:  # noqa: BLE001 - unreadable or truncated: recompute and replace
            pass
    arrays = compute()
    try:
        from rossim.fileio import atomic_write_bytes

        buf = io.BytesIO()
        np.savez(buf, **arrays)
        atomic_write_bytes(path, buf.getvalue())
    except Exception:  # noqa: BLE001 - the cache is optional: any failure to store is ignored
        pass
    return arrays


class ArrayMemo:
    """In-process memo of arrays by key (a :func:`digest`), bounded in bytes: the least
    recently used entries are dropped first, an entry larger than the bound is not kept.
    Thread-safe; :meth:`get` returns copies, so a caller may change what it gets. For a pure
    function asked the same inputs several times within a run (MSIS tables, TDB epochs)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = int(max_bytes)
        self._entries: dict[str, tuple[np.ndarray, ...]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[np.ndarray, ...] | None:
        with self._lock:
            hit = self._entries.pop(key, None)
            if hit is None:
                return None
            self._entries[key] = hit   # most recently used last
        return tuple(a.copy() for a in hit)

    def put(self, key: str, *arrays: np.ndarray) -> None:
        size = sum(int(a.nbytes) for a in arrays)
        if size > self.max_bytes:
            return
        kept = tuple(np.array(a, copy=True) for a in arrays)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= sum(int(a.nbytes) for a in old)
            while self._entries and self._bytes + size > self.max_bytes:
                first = next(iter(self._entries))   # least recently used
                self._bytes -= sum(int(a.nbytes) for a in self._entries.pop(first))
            self._entries[key] = kept
            self._bytes += size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
