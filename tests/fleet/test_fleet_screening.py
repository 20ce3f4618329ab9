"""Screening: the k-d tree filter finds exactly what the plain all-pairs search finds; TCA and
miss distance of a constructed fly-by are exact; servicing transfers reach their targets."""

import numpy as np

from rossim.fleet.relative import HCWEphemeris, RelativeOrbit, hcw_propagate, mean_motion
from rossim.fleet.screening import screen, screen_all_pairs
from rossim.fleet.servicing import Hold, arm_retrieval, rendezvous, transfer

N = mean_motion(6378137.0 + 400e3)


def _population(count, seed=1):
    rng = np.random.default_rng(seed)
    x0 = np.zeros((count + 1, 6))
    for k in range(1, count + 1):
        x0[k] = RelativeOrbit(da=rng.normal(0, 20), dlambda=rng.uniform(-20e3, 20e3),
                              ae=rng.uniform(300, 5e3), ai=rng.uniform(300, 5e3),
                              phase_e_rad=rng.uniform(0, 6.3),
                              phase_i_rad=rng.uniform(0, 6.3)).state(N)[0]
    acc = np.zeros((count + 1, 3))
    acc[1:, 0] = -rng.uniform(0, 2e-7, count)
    return HCWEphemeris(x0, N, acc)


def test_kdtree_screening_matches_all_pairs():
    eph = _population(40)
    t = np.arange(0.0, 6 * 3600.0 + 1, 10.0)
    fast = screen(eph, t, 800.0, workers=2)
    base = screen_all_pairs(eph, t, 800.0)
    assert len(fast) > 20
    assert np.array_equal(fast.i, base.i) and np.array_equal(fast.j, base.j)
    assert np.allclose(fast.tca_s, base.tca_s) and np.allclose(fast.miss_m, base.miss_m)


def test_straight_line_flyby_tca_and_miss():
    # two objects on straight lines (the station frame is irrelevant to the screener)
    def states(t):
        out = np.zeros((t.size, 2, 6))
        out[:, 1, 0] = -500.0 + 3.0 * t          # passes x = 0 at t = 166.67 s
        out[:, 1, 1] = 12.0                      # miss 12 m
        out[:, 1, 3] = 3.0
        return out
    c = screen(states, np.arange(0.0, 400.0, 10.0), 100.0)
    assert len(c) == 1
    assert abs(c.tca_s[0] - 500.0 / 3.0) < 1e-9 and abs(c.miss_m[0] - 12.0) < 1e-9


def test_transfers_reach_their_targets():
    start = np.array([50.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    goal = RelativeOrbit(ae=1500, ai=1000, phase_e_rad=1.0, phase_i_rad=1.0)
    tr = rendezvous(start, goal, N)
    s = start.copy()
    s[3:] += tr.dv1_m_s
    end = hcw_propagate(s, N, [tr.tof_s])[0, 0]
    target = goal.state(N, tr.tof_s)[0]
    assert np.allclose(end[:3], target[:3], atol=1e-6)
    assert np.allclose(end[3:] + tr.dv2_m_s, target[3:], atol=1e-9)
    arm = arm_retrieval(goal, N, (0.0, 0.0, 15.0))
    assert 0 < arm.dv_total_m_s < 10 and arm.tof_s > 0
    hold = transfer(start, Hold(np.zeros(6)).state6, N, 2000.0)
    assert hold.dv_total_m_s > 0


def test_workers_do_not_change_the_conjunctions():
    # Many small chunks so that two workers really interleave; the output must be the same
    # arrays, in the same order, bit for bit, and the same as one whole-span chunk.
    eph = _population(60, seed=7)
    t = np.arange(0.0, 4 * 3600.0 + 1, 10.0)
    one = screen(eph, t, 800.0, workers=1, chunk_steps=36)
    two = screen(eph, t, 800.0, workers=2, chunk_steps=36)
    whole = screen(eph, t, 800.0, workers=1, chunk_steps=t.size + 6)
    assert len(one) > 20
    for key in ("i", "j", "tca_s", "miss_m", "r_rel_m", "v_rel_m_s"):
        assert np.array_equal(getattr(one, key), getattr(two, key)), key
        assert np.allclose(getattr(one, key), getattr(whole, key), rtol=0, atol=1e-9), key
    assert one.stats == two.stats
    assert np.all(np.diff(one.tca_s) >= 0)


def test_screen_rejects_zero_workers():
    import pytest

    from rossim.errors import InputError

    for bad in (0, 1.5, "2"):
        with pytest.raises(InputError, match="workers"):
            screen(_population(3), np.arange(0.0, 100.0, 10.0), 800.0, workers=bad)
    with pytest.raises(InputError, match="states"):
        screen(lambda t: np.zeros((t.size, 3)), np.arange(0.0, 100.0, 10.0), 800.0)
