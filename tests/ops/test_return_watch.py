"""rossim.ops.return_watch: the autonomy re-predicts the released free-flyers' returns when the
station's plan changes, and its last prediction is the post-run check (issue 14).

Reference: the post-run recontact check (rossim.fleet.recontact.family_summary: the coarse-step
nonlinear model validated in tests/fleet/test_recontact.py against rossim's full DOP853
propagator and the Clohessy-Wiltshire closed form) over the run's flown history; keep-out
zones of ISS practice (4 x 2 x 2 km approach ellipsoid, 200 m sphere). The defect: in the
reference run of 2026-11-30 satellite ff-2-3 breached the approach ellipsoid with no burn,
because the prediction made at release held the station's Cd A/m of the release for 90 days
(a Progress docked 25 days later: +0.6 %, which moved its return 100 m, into the ellipsoid)
and was never made again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from rossim.config.free_flyers import Deployment
from rossim.config.scenario import load_scenario
from rossim.fleet.recontact import family_summary
from rossim.ops import Reboost, Simulation

SHORT = Path(__file__).resolve().parents[1] / "data" / "ops" / "ros-short.toml"
RELEASE = dt.datetime(2029, 1, 10, tzinfo=dt.UTC)


def _post_run(sim: Simulation) -> dict[str, dict]:
    """The post-run check of ``sim`` so far (as rossim run makes it), per satellite."""
    result = NS(keepout=sim.keepout.record(), orbit=sim.orbit.history(sim),
                timeline=sim.timeline, seed=sim.seed, weather=sim.weather)
    return {r["name"]: r for r in family_summary(sim.scenario, result)["satellites"]}


def _returns(prediction: dict) -> dict[str, str]:
    return {r["satellite"]: r["return"] for r in prediction["returns"]}


@pytest.fixture(scope="module")
def reboosted():
    """ros-short with four 50 kg satellites (227 kg/m^2, slower to decay than the station:
    three come back about two and a half months after release) and a small reboost the ground
    commands 55 days after the release (0.28 m/s, +0.5 km), unknown at the release: it delays
    the three returns by two to three weeks and brings the fourth satellite, with no return at
    the release's prediction, into the approach ellipsoid (1,211 m; both asserted below, the
    figures docs/fleet.md quotes). Released at 0.52 m/s (0.5 m/s before the flown mass,
    rossim.ops.station_mass, made the station heavier: at 0.5 m/s the fourth satellite's
    return is seen at the release)."""
    scen = load_scenario(SHORT)
    dep = Deployment(date=RELEASE, count=4, mass_kg=50, port="gateway.airlock",
                     delta_v_m_s=0.52, direction=(-1.0, 0.0, 1.0))
    # the one reboost after the release is the test's (no departing Progress's reserve burn)
    scen = scen.model_copy(update={
        "free_flyers": scen.free_flyers.model_copy(update={"deployments": [dep]}),
        "operations": scen.operations.model_copy(update={"departure_reboost": False})})
    sim = Simulation(scen, models=("orbit",))
    sim.command(Reboost(delta_v_m_s=0.28, source="ground",
                        at=RELEASE + dt.timedelta(days=55)))
    sim.advance_to(RELEASE + dt.timedelta(days=92))
    return sim


def test_a_later_reboost_is_predicted_again_and_its_new_return_avoided(reboosted):
    sim = reboosted
    watch = sim.keepout.watch
    at_release = watch.predictions[0]
    assert at_release["cause"] == "release"
    assert "ff-1-4" not in _returns(at_release)        # no return seen at release
    after = [p for p in watch.predictions if p["cause"] == "reboost"]
    assert after and "ff-1-4" in _returns(after[0])    # the reboost brings it back
    post = _post_run(sim)
    # docs/fleet.md's figures: the reboost delays the three returns seen at release by two to
    # three weeks (measured 15.7, 19.1 and 19.2 days) and brings ff-1-4 to 1,211 m
    t = {k: dt.datetime.fromisoformat(v) for k, v in _returns(at_release).items()}
    for name, t0 in t.items():
        delay_d = (dt.datetime.fromisoformat(_returns(after[0])[name]) - t0).total_seconds() / 86400
        assert 14.0 < delay_d < 21.0, (name, delay_d)
    # The processor sets it within metres: 1,211 m on the host of 2026-12-03 (the set-up of
    # 0.5 m/s gave 553 m on the hosts of 2026-11 to 12-01, CI included, and 564.0 m on a
    # Sapphire Rapids host, same commit and packages: tools/cpu_reproducibility.py
    # --return-watch prints it). pymsis's float32 densities come from an approximate
    # reciprocal (rcpps) whose last bits are the processor's (up to 49 ulps, 3.6e-6, between
    # that host and qemu: the same tool); over the 13 months before the release they move the
    # station and this return by metres. The band keeps the spread seen then (11 m, up to
    # +11 m from the first host's value) with the same room for other processors.
    assert 1203.0 < post["ff-1-4"]["closest_approach_m"] < 1230.0
    # the disagreement of the defect: the unkept satellite returns after the reboost ...
    assert post["ff-1-4"]["keep_out_breach_unkept"]
    assert post["ff-1-4"]["first_return_at"] == _returns(after[0])["ff-1-4"]
    # ... and the re-prediction made it burn before that return: no breach left
    burn = [b for b in sim.keepout.burns if b["satellite"] == "ff-1-4"]
    assert burn and burn[0]["time"] < post["ff-1-4"]["first_return_at"]
    assert post["ff-1-4"]["breach_avoided_by_burn_m_s"] == pytest.approx(0.12, abs=0.01)
    assert not any(r["keep_out_breach"] for r in post.values())
    # every burn comes from the last prediction of its satellite, a day before its return
    for b in sim.keepout.burns:
        ret = post[b["satellite"]]["first_return_at"]
        assert ret is not None and b["time"] < ret


def test_reference_scenario_prediction_agrees_with_the_post_run_check():
    """ros-51.6 (orbit engine alone) to three months after the 2034 deployment: the last
    prediction the autonomy made of each satellite is the post-run check (same return, to the
    30 s step), every return it predicted has its burn a day before, and no breach remains.
    The prediction flies the station's mass as the run does: the flown mass now less its
    steady loss (attitude control, leak, the crew's stores; rossim.ops.station_mass)."""
    sim = Simulation(load_scenario("ros-51.6"), models=("orbit",))
    sim.advance_to("2034-06-01")
    post = _post_run(sim)
    last: dict[str, str | None] = {}
    for p in sim.keepout.watch.predictions:
        if p["deployment"] != 2:
            continue
        for name in p["satellites"]:
            last[name] = _returns(p).get(name)
    breaching = {n for n, r in post.items() if r["keep_out_breach_unkept"]}
    assert breaching and breaching == {n for n, r in last.items() if r}
    for name in breaching:
        assert post[name]["first_return_at"] == last[name]
        assert post[name]["breach_avoided_by_burn_m_s"] is not None
    assert not any(r["keep_out_breach"] for r in post.values())
    assert all(not r["keep_out_breach_unkept"] for n, r in post.items() if n.startswith("ff-1"))
