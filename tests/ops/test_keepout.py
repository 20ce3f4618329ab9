"""rossim.ops.keepout: the autonomy's keep-out rules on a minimal engine stand-in.

Rule origin: ISS practice of keeping deployments away from vehicle traffic and burns, with the
ISS approach ellipsoid (4 x 2 x 2 km) and the J-SSOD release (jaxa-jssod: 45 deg aft of nadir);
the window length is rossim's estimate (scenario [free_flyers] no_deploy_window_h)."""

from types import SimpleNamespace as NS

import numpy as np

from rossim.config.scenario import load_scenario
from rossim.ops.keepout import KeepOut, corridor_distance_m


class _Engine:
    def __init__(self):
        self.now_s = 0
        self.t_end_s = 10 * 86400
        self.t_ref = np.datetime64("2029-03-01T00:00:00", "us")
        self.queue = []

    def schedule(self, t_s, fn, label):
        self.queue.append((t_s, fn, label))


def _sim(docks_s=(), pending=False):
    scen = load_scenario("ros-51.6")
    events, commands = [], []
    sim = NS(scenario=scen, engine=_Engine(), orbit=NS(burns=[]),
             autonomy=NS(reboost_pending_since=0 if pending else None))
    sim.dock_undock_s = lambda: list(docks_s)
    sim.iso = lambda t: str(sim.engine.t_ref + np.timedelta64(int(t), "s"))
    sim.event = lambda kind, subj, detail="", *a, **k: events.append((kind, subj, detail))
    sim.alarm = lambda *a, **k: events.append(("alarm",) + a[:2])

    def command(cmd):
        commands.append(cmd)
        return NS(accepted=True)

    sim.command = command
    sim.events, sim.commands = events, commands
    return sim


def test_deployment_held_near_a_docking_then_released():
    sim = _sim(docks_s=[3 * 3600])
    ko = KeepOut(sim)
    ko.deployment_due(0)
    assert not sim.commands and sim.events[0][0] == "deployment-held"
    t_s, fn, _ = sim.engine.queue[-1]
    assert t_s == 3 * 3600 + 6 * 3600        # docking + no_deploy_window_h
    sim.engine.now_s = t_s
    fn(None)
    assert len(sim.commands) == 1 and len(ko.released) == 4


def test_reboost_waits_or_satellite_burns_inside_the_ellipsoid():
    sim = _sim()
    ko = KeepOut(sim)
    ko.deployment_due(0)                      # 4 satellites at 0.5 m/s, aft and down
    sim.engine.now_s = 600                    # the first is still within ~300 m
    for s in ko.released:
        s["propellant_kg"] = 0.0
    hold = ko.reboost_hold_until(600)
    assert hold is not None and hold[0] > 600 and "keep-out" in hold[1]
    for s in ko.released:
        s["propellant_kg"] = 1.0
    assert ko.reboost_hold_until(600) is None  # they burn instead
    assert ko.burns and all(b["dv_m_s"] > 0 for b in ko.burns)


def test_corridor_distance():
    assert corridor_distance_m(np.array([0.0, 0.0, 100.0])) < 1e-9
    assert abs(corridor_distance_m(np.array([0.0, 1000.0, 0.0])) - 1000.0) < 1e-6
