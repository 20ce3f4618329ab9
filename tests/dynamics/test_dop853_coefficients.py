"""rossim's copy of the DOP853 coefficients equals scipy's (the source it was copied from,
scipy.integrate._ivp.dop853_coefficients), bit for bit."""

import numpy as np
from scipy.integrate._ivp import dop853_coefficients as ref

from rossim.dynamics import dop853_coefficients as ours


def test_same_arrays_and_constants():
    names = [n for n in dir(ref) if n.isupper()]
    assert set(names) == {n for n in dir(ours) if n.isupper()}
    for n in names:
        a, b = np.asarray(getattr(ref, n)), np.asarray(getattr(ours, n))
        assert a.dtype == b.dtype and a.shape == b.shape, n
        assert a.tobytes() == b.tobytes(), n
