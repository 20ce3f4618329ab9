"""Reference frames and the conversions between them.

Every array of positions or velocities in rossim names its frame; conversions live here:

- :mod:`rossim.frames.teme`: TEME (the frame of SGP4 output) to and from GCRF.
- :mod:`rossim.frames.earth`: GCRF to and from ITRF (IAU 2006/2000A, IERS Earth orientation).
- :mod:`rossim.frames.local`: local orbital frames (LVLH, VNC) built from a state.
- :mod:`rossim.frames.geodetic`: ITRF to and from WGS84 latitude, longitude, altitude.

Units are SI (m, m/s); epochs are astropy ``Time`` arrays (see :mod:`rossim.time`).
"""
