"""LVLH and VNC frames: orthonormality and the defining directions (CCSDS / Orekit LOF)."""

import numpy as np

from rossim.frames.local import local_to_inertial, lvlh_matrix, vnc_matrix

R = np.array([[6778e3, 0.0, 0.0], [-4000e3, 5000e3, 2000e3]])
V = np.array([[0.0, 4800.0, 6000.0], [-5000.0, -3500.0, 3000.0]])


def test_orthonormal_right_handed():
    for m in (lvlh_matrix(R, V), vnc_matrix(R, V)):
        assert np.allclose(m @ np.swapaxes(m, 1, 2), np.eye(3), atol=1e-14)
        assert np.allclose(np.linalg.det(m), 1.0, atol=1e-14)


def test_lvlh_axes():
    m = lvlh_matrix(R, V)
    h = np.cross(R, V)
    assert np.allclose(m[:, 2], -R / np.linalg.norm(R, axis=1)[:, None], atol=1e-15)
    assert np.allclose(m[:, 1], -h / np.linalg.norm(h, axis=1)[:, None], atol=1e-15)
    # Along-track axis has a positive component along the velocity.
    assert np.all(np.einsum("ni,ni->n", m[:, 0], V) > 0)


def test_vnc_axes():
    m = vnc_matrix(R, V)
    assert np.allclose(m[:, 0], V / np.linalg.norm(V, axis=1)[:, None], atol=1e-15)
    h = np.cross(R, V)
    assert np.allclose(m[:, 1], h / np.linalg.norm(h, axis=1)[:, None], atol=1e-15)


def test_circular_orbit_lvlh_x_is_velocity():
    r = np.array([7000e3, 0, 0])
    v = np.array([0, 7546.05, 0])
    m = lvlh_matrix(r, v)[0]
    assert np.allclose(m[0], [0, 1, 0], atol=1e-15)
    assert np.allclose(local_to_inertial([1.0, 0, 0], r, v, "lvlh")[0], [0, 1, 0], atol=1e-15)
    assert np.allclose(local_to_inertial([1.0, 0, 0], r, v, "vnc")[0], [0, 1, 0], atol=1e-15)
