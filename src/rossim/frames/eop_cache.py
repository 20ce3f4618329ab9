"""astropy's Earth-orientation table (IERS A + B from ``astropy-iers-data``), parsed once per
machine instead of once per process.

astropy builds its default table (``iers.IERS_Auto``) by parsing ``finals2000A.all`` and the
IERS-B ``eopc04`` file with its CDS reader (and the CDS unit catalogue): about a second per
process, the same table every time. :func:`install` builds that very table once, stores its
columns in the on-disk cache (:mod:`rossim.cache`, keyed by the path, size and time of the
four IERS files and the astropy version) and, in later processes, rebuilds the table from the cached arrays:
the same class, column names, order, dtypes, units, masks and ``meta`` (checked column by
column in tests/frames/test_eop_cache.py), so astropy's ``Time.ut1`` and
:func:`rossim.frames.earth.earth_orientation_parameters` interpolate the same numbers. With the
cache off (``ROSSIM_CACHE_DIR=off``) astropy parses the files as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from astropy.utils import iers

__all__ = ["install", "table_arrays", "table_from_arrays"]

_META = ("predictive_index", "predictive_mjd", "data_path", "readme_path")


def table_arrays(table) -> dict[str, np.ndarray]:
    """The columns of an IERS table as plain arrays (``c:<name>`` data, ``m:<name>`` mask of a
    masked column) plus ``layout``: JSON of the column order, kinds, units and ``meta``."""
    out: dict[str, np.ndarray] = {}
    cols = []
    for name in table.colnames:
        col = table[name]
        unit = getattr(col, "unit", None)
        if hasattr(col, "mask") and not hasattr(col, "to_value"):   # MaskedColumn
            out["m:" + name] = np.asarray(col.mask)
            kind = "masked"
        else:
            kind = "quantity" if hasattr(col, "to_value") else "column"
        out["c:" + name] = np.asarray(col.value if kind == "quantity" else col)
        cols.append([name, kind, None if unit is None else unit.to_string()])
    meta = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in table.meta.items()
            if k in _META}
    meta_types = {k: type(table.meta[k]).__name__ for k in meta}
    out["layout"] = np.array(json.dumps({"columns": cols, "meta": meta,
                                         "meta_types": meta_types}))
    return out


def table_from_arrays(arrays: dict[str, np.ndarray]):
    """The ``iers.IERS_Auto`` table of :func:`table_arrays`' output."""
    from astropy import units as u
    from astropy.table import Column, MaskedColumn

    layout = json.loads(str(arrays["layout"]))
    cols, names = [], []
    for name, kind, unit in layout["columns"]:
        data = arrays["c:" + name]
        if kind == "quantity":
            cols.append(u.Quantity(data, unit, copy=False))
        elif kind == "masked":
            cols.append(MaskedColumn(data, name=name, mask=arrays["m:" + name],
                                     unit=unit))
        else:
            cols.append(Column(data, name=name, unit=unit))
        names.append(name)
    table = iers.IERS_Auto(cols, names=names, copy=False)
    for k, v in layout["meta"].items():
        kind = layout["meta_types"][k]
        table.meta[k] = np.int64(v) if kind == "int64" else np.float64(v) \
            if kind == "float64" else v
    return table


def _key() -> str:
    """Cache key: astropy's version and each IERS file's path, size and modification time
    (an update of astropy-iers-data rewrites them; reading 5 MB to hash it would cost more
    than the cached table saves)."""
    import astropy

    from rossim.cache import digest

    parts: list[object] = ["iers-auto-v1", astropy.__version__]
    for f in (iers.IERS_A_FILE, iers.IERS_A_README, iers.IERS_B_FILE, iers.IERS_B_README):
        st = Path(f).stat()
        parts += [str(f), st.st_size, st.st_mtime_ns]
    return digest(*parts)


def install() -> None:
    """Make ``iers.IERS_Auto.open()`` (astropy's default Earth-orientation table) return the
    cached table; a no-op once a table is loaded, or when the cache is off or unreadable, or
    when a ``finals2000A.all`` in the working folder would make astropy read that file."""
    from rossim.cache import cache_dir, cached_arrays

    if iers.IERS_Auto.iers_table is not None or cache_dir() is None \
            or Path("finals2000A.all").exists():
        return
    try:
        key = _key()
    except OSError:
        return
    arrays = cached_arrays("iers-auto", key, lambda: table_arrays(iers.IERS_Auto.open()))
    if iers.IERS_Auto.iers_table is None:   # not built by this call: read from the cache
        iers.IERS_Auto.iers_table = table_from_arrays(arrays)
