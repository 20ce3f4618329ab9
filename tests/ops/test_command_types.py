"""Command fields are taken as written, never coerced (README "Writing a scenario"; the
developers' guide: bad input is a clear error, a server answers 4xx).

Found by the newcomer session of 2026-11-30: ``POST /api/command`` of a live ``rossim serve``
with ``{"command": "reboost", "target_altitude_km": "high"}`` or ``"power_kw": "3"`` answered
500 (TypeError in ``Command.check``), and ``"duration_h": true`` was accepted as 1 h. The
scenario's ``[[commands]]`` were already typed by the schema; ``from_entry`` is the one door
both take, so the check lives there.
"""

import pytest

from rossim.errors import InputError
from rossim.ops.commands import Reboost, SafeMode, from_entry


@pytest.mark.parametrize("body, field", [
    ({"command": "reboost", "target_altitude_km": "high"}, "reboost.target_altitude_km"),
    ({"command": "reboost", "delta_v_m_s": "3"}, "reboost.delta_v_m_s"),
    ({"command": "start-activity", "activity": "furnace", "power_kw": "3"},
     "start-activity.power_kw"),
    ({"command": "robot-task", "worksite": "nem1", "duration_h": True}, "robot-task.duration_h"),
    ({"command": "load-shed", "level": 1.5}, "load-shed.level"),
    ({"command": "load-shed", "level": True}, "load-shed.level"),
    ({"command": "undock", "vehicle": 7}, "undock.vehicle"),
    ({"command": "safe-mode", "enter": 1}, "safe-mode.enter"),
    ({"command": "attitude", "mode": None}, "attitude.mode"),
])
def test_a_value_of_the_wrong_type_is_an_input_error_naming_the_field(body, field):
    with pytest.raises(InputError) as err:
        from_entry(dict(body), where="request")
    assert err.value.field == field
    assert "request" in str(err.value) and field in str(err.value)


def test_values_of_the_right_type_pass_and_optional_fields_take_none():
    assert from_entry({"command": "reboost", "target_altitude_km": 412}) == Reboost(
        target_altitude_km=412, source="scenario")
    assert from_entry({"command": "reboost", "delta_v_m_s": None,
                       "target_altitude_km": 412.5}).target_altitude_km == 412.5
    assert from_entry({"command": "safe-mode", "enter": False}) == SafeMode(
        enter=False, source="scenario")
    assert from_entry({"command": "inject-fault", "component": "gyrodyne",
                       "module": None}).module is None
