"""State files: read and write the orbit files rossim exchanges with other tools.

One module per format, each with its data class, reader and writer:

- :mod:`rossim.files.kvn`: the CCSDS KVN lexer (``KEY = value [unit]`` lines with
  ``file:line``), header, covariance and comment pieces OPM and OEM share;
- :mod:`rossim.files.opm`: OPM (one state, Keplerian elements, spacecraft, covariance,
  manoeuvres);
- :mod:`rossim.files.oem`: OEM (ephemeris segments, covariance);
- :mod:`rossim.files.tle`: two-line element sets (:class:`~rossim.files.tle.TLE`);
- :mod:`rossim.files.omm`: OMM mean elements (CCSDS XML/KVN, CelesTrak JSON/CSV) as TLEs;
- :mod:`rossim.files.ndmxml`: OPM/OEM in NDM/XML as KVN, and the one format detection;
- :mod:`rossim.files.refframe`: the frame names of state files and their conversion to GCRF.

The package sits above :mod:`rossim.frames` and :mod:`rossim.time` and below
:mod:`rossim.dynamics`; it imports nothing from ``dynamics``. SGP4 propagation of an element
set is :mod:`rossim.dynamics.tle`; the one initial-state reader every command uses
(:func:`rossim.dynamics.initial_state.read_state`) sits in dynamics because a TLE's state at
its epoch needs SGP4.

Why rossim keeps its own strict KVN reader rather than a general CCSDS library: every error
names ``file:line``, the keyword, the value and what was expected (a one-line CLI error, exit
2); units in brackets are checked against the keyword; values come back in SI with epochs in
the file's time system; and the writers' output is read back by Orekit (the oracle fixtures of
``tests/dynamics``). A library such as ``ccsds-ndm`` is where rossim would go for what it does
not read: schema-validated XML beyond OPM/OEM/OMM, conjunction data messages (CDM),
attitude and tracking messages.

Errors raise :class:`rossim.errors.InputError`.
"""
