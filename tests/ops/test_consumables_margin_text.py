"""The consumables alarm's cause states the margin without rounding it up to the threshold."""

from __future__ import annotations


def test_a_margin_just_under_the_threshold_is_not_shown_as_the_threshold():
    """The reference run's alarm "consumables margin below 45 days" gave as its cause
    "...: 45 days for 2 crew" (44.x rounded up): the margin is rounded down to a tenth."""
    from types import SimpleNamespace

    from rossim.ops.life_support import ConsumablesModel

    fake = SimpleNamespace(stock={"water": 349.0, "food": 162.0, "oxygen": 89.0},
                           margin_days=lambda stock, crew: 44.96)
    text = ConsumablesModel.describe_stocks(fake, 2.0)
    assert text.endswith(": 44.9 days for 2 crew"), text
