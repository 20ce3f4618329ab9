"""The comparisons against external references, in one place: what the tests assert and what
the docs pages print is the same computation (``tests/`` import these functions and assert
their tolerances; ``tools/pages/`` import them and print the figures).

One module per area, each returning plain numbers or arrays (no Markdown, no asserts):

- :mod:`~rossim.validation.propagation`: the numerical propagator against Orekit's fixtures
  (force-model cases, eclipse events, GCRF->ITRF);
- :mod:`~rossim.validation.eclipse`: the shadow search against Orekit's EclipseDetector;
- :mod:`~rossim.validation.sgp4`: SGP4 against Vallado's 33 verification cases and Orekit's
  TLEPropagator;
- :mod:`~rossim.validation.teme`: TEME->GCRF against Vallado's Example 3-15, Orekit, astropy
  and Skyfield;
- :mod:`~rossim.validation.environment`: NRLMSIS against NRL's and CCMC's outputs, the Sun
  and Moon against Orekit's DE-440, look angles against Skyfield, space-weather indices
  against pymsis;
- :mod:`~rossim.validation.radiation`: the fast trapped-flux table against direct radbelt
  calls;
- :mod:`~rossim.validation.dose`: crew dose against the doses measured on the Shuttle, Mir
  and the ISS;
- :mod:`~rossim.validation.decay`: the orbit-averaged decay against the propagator and the
  ISS's published loss;
- :mod:`~rossim.validation.iss_decay`: the ISS's decay between reboosts (2023 TLEs) against
  the propagator;
- :mod:`~rossim.validation.collision`: collision probability against the published 2-D cases
  and NASA CARA's 3-D case;
- :mod:`~rossim.validation.relative`: HCW against the nonlinear propagation;
- :mod:`~rossim.validation.launch`: launch windows against the closed-form in-plane time;
- :mod:`~rossim.validation.coverage`: Russia's area, the latitude limit of a swath, the
  covered share of a latitude band.

The reference data are the repository's ``tests/data`` (each file's origin in its header or
README); :func:`reference_data` finds it (``ROSSIM_REFERENCE_DATA`` overrides). Layer: above
every model it validates, below ``cli`` and the developer tools; no model imports it
(``tests/test_architecture.py``).
"""

from __future__ import annotations

from rossim.validation._data import reference_data

__all__ = ["reference_data"]
