"""Launch, insertion and climb (rossim.station.insertion) against the public record.

References (keys of docs/sources.md):
- Prichal with its Progress M-UM tug: 8.18 t launched on a Soyuz-2.1b from Baikonur to the ISS
  orbit (51.6 deg), near the rocket's maximum of about 8.25 t (tass-2021-11; ros-facts.md
  "tug precedent"). Docked 2021-11-26 15:19 UTC, launched 2021-11-24 13:06 UTC (roscosmos).
- Nauka: inserted into 190 x 350.1 km by a Proton-M on 2021-07-21 14:58 UTC, docked 2021-07-29
  13:29 UTC on its own engines: 7.94 days (nsf-2021-07, roscosmos). Mass 23,200 kg at launch,
  20,357 kg in orbit (wikipedia-nauka): 2,843 kg of propellant spent in all, climb, eight days
  of attitude control, the thruster-only burns after the main-engine pressurisation fault
  and the firing after docking; no climb-only figure is published.
- Angara A5 from Plesetsk to ~200 km at 63 deg: about 24.0 t (ros-facts: Vostochny ~0.5 t
  more than Plesetsk's; Khrunichev) and "up to 23 t" demonstrated (sputnik-2021-01-29).
- Angara A5 to a near-polar orbit: no published payload figure was found (Khrunichev and TASS
  quote the ~200 km figures only). The 2021 ROSS design (97-98 deg, tass-2021-06-03) put a
  20,500 kg base module on an Angara A5 from Plesetsk / Vostochny (energia-ross-2021, reported):
  a lower bound the model's capacity at 97 deg must reach, not a 10 % comparison.
- Progress M-UM tug: no published dry or propellant mass. Its instrument-assembly compartment
  is Progress M's, stiffened (roscosmos-2021-12-23); the Progress M propulsion stack that
  delivered Poisk weighed 7,102 - 3,670 = 3,432 kg (wikipedia-progress-m-mim2): an independent
  analogue of the tug. Prichal 3,890 kg and ~700 kg of cargo flew in the 8.18 t
  (tass-2021-11, wikipedia Prichal figure as in the catalog). Its de-orbit burn after
  undocking gave 125 m/s (zenite-2021-12).
- ISS altitude ~415 km (catalog reference.toml, nasa-iss-facts).
Tolerances: 10 % (issue 14, "Validation").
"""

import datetime as dt
import math

import pytest

from rossim.config.catalog import Figure, load_catalog
from rossim.config.scenario import AssemblyLaunch
from rossim.errors import InputError
from rossim.station.insertion import climb_plan, plan_launch
from rossim.station.launch import payload_kg, payload_to_orbit_kg, transfer_dv

PRICHAL_WITH_TUG_KG = 8180.0     # tass-2021-11
SOYUZ_21B_MAX_KG = 8250.0        # tass-2021-11, ros-facts
NAUKA_DAYS = (dt.datetime(2021, 7, 29, 13, 29) - dt.datetime(2021, 7, 21, 14, 58)
              ).total_seconds() / 86400.0   # nsf-2021-07: 7.94 d
NAUKA_SPENT_KG = 23200.0 - 20357.0           # wikipedia-nauka: everything spent, 2,843 kg
ISS_KM = 415.0
PLESETSK_63_KG = 24000.0                     # ros-facts (Khrunichev)
PLESETSK_DEMONSTRATED_KG = 23000.0           # sputnik-2021-01-29
PROGRESS_M_MIM2_TUG_KG = 7102.0 - 3670.0     # wikipedia-progress-m-mim2: 3,432 kg
PRICHAL_CARGO_KG = 700.0                     # tass-2021-11: "about 700 kg of various cargo"
TUG_DEORBIT_DV = 125.0                       # zenite-2021-12: de-orbit burn of the tug


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _launch(module: str, launcher: str, **kw) -> AssemblyLaunch:
    return AssemblyLaunch(module=module, launch=dt.datetime(2021, 7, 21, 14, 58,
                                                            tzinfo=dt.UTC),
                          launcher=launcher, **kw)


def _plan(cat, module, launcher, site, alt_km=ISS_KM, **kw):
    a = _launch(module, launcher, **kw)
    m = cat.modules[module]
    lv = cat.launchers[launcher]
    return plan_launch("test", "g", [("assembly[0]", a, m, m.mass_kg.value)], lv,
                       cat.sites[site], cat.sites[lv.site], cat, alt_km, 51.6)


def test_transfer_dv_is_hohmann_between_circles():
    # Hohmann 200 -> 400 km about 2 x 57.5 m/s (ros-facts: "about 2 x 55 m/s"); the general
    # two-impulse transfer gives the same between circular orbits.
    assert transfer_dv(200, 200, 400, 400) == pytest.approx(115.7, abs=0.5)
    assert transfer_dv(400, 400, 200, 200) == pytest.approx(transfer_dv(200, 200, 400, 400))


def test_prichal_with_tug_on_soyuz_21b(cat):
    c = _plan(cat, "prichal", "soyuz-2.1b", "baikonur-31", climber="progress-m-um")
    assert c.climber_kind == "tug"
    # (The tug's catalog mass is derived from the flown 8.18 t, so the launch mass is not a
    # check.) The model's Soyuz-2.1b capability to the insertion orbit from Baikonur at 51.6
    # deg within 10 % of the rocket's published ~8.25 t (the catalog's reference figure, so a
    # consistency check of the site, inclination and insertion-orbit terms), and enough for
    # the 8.18 t that flew.
    assert c.capacity_kg == pytest.approx(SOYUZ_21B_MAX_KG, rel=0.10)
    assert c.capacity_kg >= PRICHAL_WITH_TUG_KG
    # The tug's propellant covers the climb; docking two days later (published 2.09 d).
    assert c.propellant_kg < c.propellant_available_kg
    assert c.days == pytest.approx(2.09, rel=0.10)
    print(f"Prichal+tug: launch {c.launch_mass_kg:.0f} kg of {c.capacity_kg:.0f} kg "
          f"(published 8180 of ~8250); climb {c.dv_m_s:.0f} m/s, {c.propellant_kg:.0f} kg, "
          f"{c.days} d")


def test_nauka_climb_from_190_x_350(cat):
    nauka, proton = cat.modules["nauka"], cat.launchers["proton-m"]
    ins = (proton.insertion_perigee_km.value, proton.insertion_apogee_km.value)
    assert ins == (190.0, 350.0)
    stack = nauka.mass_kg.value + nauka.propellant_kg.value     # 23,200 kg, as launched
    plan = climb_plan(*ins, ISS_KM, stack, nauka.engine_isp_s.value)
    # Days: the catalog's rendezvous profile against the flown 7.94 d.
    assert nauka.rendezvous_days.value == pytest.approx(NAUKA_DAYS, rel=0.10)
    # Climb delta-v: transfer 190 x 350 -> 415 km (~75 m/s) + 20 m/s rendezvous allowance.
    assert 80.0 < plan.dv_m_s < 120.0
    # Propellant: no climb-only figure is published; the model's ideal climb must stay below
    # everything Nauka spent (2,843 kg incl. attitude control, thruster-only burns and the
    # post-docking firing). The 10 % comparison the issue asks for is NOT met: see docs.
    assert 0.0 < plan.propellant_kg < NAUKA_SPENT_KG
    # Proton-M's capacity to Nauka's insertion orbit against the 23.2 t it flew there.
    cap = payload_to_orbit_kg(proton, cat.sites["baikonur-200"], *ins, 51.6)
    assert cap == pytest.approx(stack, rel=0.10)
    print(f"Nauka: {plan.dv_m_s:.1f} m/s, {plan.propellant_kg:.0f} kg (spent in all "
          f"{NAUKA_SPENT_KG:.0f} kg), {nauka.rendezvous_days.value} d (flown "
          f"{NAUKA_DAYS:.2f} d); Proton-M to 190 x 350 km: {cap:.0f} kg (flew {stack:.0f} kg)")


def test_climb_propellant_rocket_equation():
    p = climb_plan(190, 350, 415, 23200.0, 300.0)
    # m0 (1 - exp(-dv / (g0 Isp))): 95 m/s at 300 s from 23.2 t is ~740 kg
    assert p.propellant_kg == pytest.approx(23200 * (1 - 2.718281828 ** (-p.dv_m_s / 2941.995)),
                                            rel=1e-6)


@pytest.mark.parametrize(("inc", "published"), [(63.0, PLESETSK_63_KG),
                                               (63.0, PLESETSK_DEMONSTRATED_KG)])
def test_angara_a5_from_plesetsk_at_63_deg(cat, inc, published):
    a5 = cat.launchers["angara-a5"]
    p = payload_kg(a5, cat.sites["plesetsk-35"], 200.0, inc, raise_orbit=False,
                   home=cat.sites["vostochny-1a"])
    assert p == pytest.approx(published, rel=0.10)


def test_insertion_payload_falls_with_apogee(cat):
    lv, st = cat.launchers["proton-m"], cat.sites["baikonur-200"]
    low = payload_to_orbit_kg(lv, st, 190, 200, 51.6)
    high = payload_to_orbit_kg(lv, st, 190, 350, 51.6)
    assert low > high > 0


def test_climb_not_covered_is_refused(cat):
    m = cat.modules["nem1"]
    short = m.model_copy(update={"propellant_kg": Figure(value=100.0, flag="estimate",
                                                         source="estimate: test")})
    a = _launch("nem1", "angara-a5")
    lv = cat.launchers["angara-a5"]
    with pytest.raises(InputError) as e:
        plan_launch("test", "g", [("assembly[0]", a, short, m.mass_kg.value)], lv,
                    cat.sites["vostochny-1a"], cat.sites["vostochny-1a"], cat, 400.0, 51.6)
    assert "assembly[0].climber" in str(e.value)
    assert "carries 100 kg" in str(e.value)


def test_validate_says_when_the_tug_cannot_climb(tmp_path, capsys):
    """`rossim validate` refuses a launch whose climber's propellant does not cover the climb:
    one line naming the field, the value and what was expected; exit 2."""
    from pathlib import Path

    from rossim.cli.main import main

    ref = Path(__file__).resolve().parents[2] / "scenarios" / "ros-51.6.toml"
    text = ref.read_text(encoding="utf-8")
    old = 'launch_group = "node+gateway"   # one launch'
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, 'mass_kg = 9000\ninsertion_km = [150, 150]\n' + old, 1),
                   encoding="utf-8")
    rc = main(["validate", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "Traceback" not in err
    assert 'assembly[1].climber = "tgk-mm"' in err
    assert "covers the climb" in err and "carries 850 kg" in err


def test_angara_a5_reaches_the_97_deg_design_point(cat):
    """No published Angara A5 payload to 97 deg exists (searched: Khrunichev, TASS, Roscosmos,
    RussianSpaceWeb, Wikipedia): the model is held to the 2021 ROSS design point instead, a
    20.5 t base module flown by this rocket from Plesetsk into the 97 deg orbit. The model's
    capacity to the catalog's insertion orbit there, less the adapter, must carry it. The
    margin is small (about 1.4 %), so a model that charged the polar launch much more (a
    spurious dog-leg, the wrong azimuth branch) fails here."""
    a5 = cat.launchers["angara-a5"]
    need = a5.polar_design_mass_kg.value
    inc = a5.polar_design_inclination_deg.value
    assert a5.polar_design_mass_kg.flag == "reported" and (need, inc) == (20500.0, 97.0)
    ins = (a5.insertion_perigee_km.value, a5.insertion_apogee_km.value)
    for site in ("plesetsk-35", "vostochny-1a"):
        cap = payload_to_orbit_kg(a5, cat.sites[site], *ins, inc,
                                  home=cat.sites["vostochny-1a"]) - a5.adapter_kg.value
        assert cap >= need, (site, cap)
        # ...and not absurdly more: the polar launch loses the Earth's rotation, so less than
        # the published ~24.0 t due east from Plesetsk (63 deg).
        assert cap < PLESETSK_63_KG
        print(f"Angara A5 {site} -> {ins[0]:.0f} x {ins[1]:.0f} km at {inc} deg: "
              f"{cap:.0f} kg after the adapter (design module {need:.0f} kg)")


def test_progress_m_um_tug_against_progress_m_mim2(cat):
    """The tug's catalog mass (derived from the flown 8.18 t) checked against an independent
    published analogue: the Progress M propulsion stack of Progress M-MIM2 (Poisk), the same
    instrument-assembly compartment (roscosmos-2021-12-23). The catalog tug carries Prichal's
    ~700 kg of cargo (tass-2021-11); without it, within 10 % of the analogue; and the flown
    total rebuilt from the analogue within 10 % of 8.18 t."""
    tug = cat.tugs["progress-m-um"]
    without_cargo = tug.mass_kg.value - PRICHAL_CARGO_KG
    assert without_cargo == pytest.approx(PROGRESS_M_MIM2_TUG_KG, rel=0.10)
    rebuilt = PROGRESS_M_MIM2_TUG_KG + cat.modules["prichal"].mass_kg.value + PRICHAL_CARGO_KG
    assert rebuilt == pytest.approx(PRICHAL_WITH_TUG_KG, rel=0.10)
    # Propellant: the modelled climb plus the published 125 m/s de-orbit of the tug alone
    # (after undocking, without cargo and Prichal) fit in the catalog's 850 kg.
    c = _plan(cat, "prichal", "soyuz-2.1b", "baikonur-31", climber="progress-m-um")
    after_climb = without_cargo - c.propellant_kg
    deorbit = after_climb * (1.0 - math.exp(-TUG_DEORBIT_DV / (9.80665 * tug.engine_isp_s.value)))
    assert c.propellant_kg + deorbit <= tug.propellant_kg.value
    print(f"Progress M-UM without cargo {without_cargo:.0f} kg vs Progress M-MIM2's "
          f"{PROGRESS_M_MIM2_TUG_KG:.0f} kg ({100 * (without_cargo / PROGRESS_M_MIM2_TUG_KG - 1):+.1f} %); "
          f"rebuilt launch {rebuilt:.0f} kg vs 8180 kg; climb {c.propellant_kg:.0f} kg + de-orbit "
          f"{deorbit:.0f} kg of {tug.propellant_kg.value:.0f} kg")
