"""Where :mod:`rossim.dynamics.ccsds` went: the CCSDS state files (OPM, OEM, their KVN and
XML forms) are :mod:`rossim.files` (one module per format: :mod:`rossim.files.opm`,
:mod:`rossim.files.oem`, :mod:`rossim.files.kvn`, :mod:`rossim.files.refframe`), and the one
initial-state reader is :func:`rossim.dynamics.initial_state.read_state`.

Importing a name from here still works, with a ``DeprecationWarning`` naming its module now.
"""

from __future__ import annotations

from rossim.errors import moved_names

__all__: list[str] = []

__getattr__ = moved_names(__name__, {
    **dict.fromkeys(["OPM", "Maneuver", "read_opm", "parse_opm", "write_opm", "format_opm"],
                    "rossim.files.opm"),
    **dict.fromkeys(["OEM", "OEMSegment", "read_oem", "parse_oem", "write_oem", "format_oem",
                     "oem_from_states"], "rossim.files.oem"),
    **dict.fromkeys(["CovarianceBlock", "comment_values"], "rossim.files.kvn"),
    **dict.fromkeys(["FRAMES", "TIME_SYSTEMS", "to_gcrf"], "rossim.files.refframe"),
    **dict.fromkeys(["InitialState", "read_state"], "rossim.dynamics.initial_state"),
})
