"""Keep-out breach of the unkept prediction against the burns that came before it (issue 14):
a satellite whose station-keeping burn precedes its predicted breach is cleared by the
autonomy (rossim.ops.keepout: drifts out of the approach ellipsoid within an orbit), so it is
labelled "would breach unkept; avoided by burn" and not counted as a breach."""

from rossim.fleet.recontact import _avoided_dv
from rossim.report.family import keepout_label as _keepout_label

BURN = {"satellite": "ff-2-2", "time": "2034-03-27T10:16:00Z", "dv_m_s": 0.12004}


def _row(breach, at="2034-03-28T10:14:35Z", name="ff-2-2"):
    return {"name": name, "keep_out_breach": breach, "closest_approach_at": at}


def test_burn_before_the_breach_avoids_it():
    assert _avoided_dv([BURN], _row(True)) == 0.12
    r = {"keep_out_breach": False, "breach_avoided_by_burn_m_s": 0.12}
    assert _keepout_label(r) == "would breach unkept; avoided by burn 0.12 m/s"


def test_burn_after_the_breach_or_of_another_satellite_does_not():
    assert _avoided_dv([BURN], _row(True, at="2034-03-27T09:00:00Z")) is None
    assert _avoided_dv([BURN], _row(True, name="ff-2-3")) is None
    assert _keepout_label({"keep_out_breach": True,
                           "breach_avoided_by_burn_m_s": None}) == "BREACH"


def test_no_unkept_breach_is_not_labelled():
    assert _avoided_dv([BURN], _row(False)) is None
    assert _keepout_label({"keep_out_breach": False,
                           "breach_avoided_by_burn_m_s": None}) == "no"
