"""The station as it grows: modules, ports, visiting vehicles and the configuration over time
(mass, centre of mass, drag area, solar-array capacity, pressurised volume, crew capacity).

>>> from rossim.config.scenario import load_scenario
>>> from rossim.station import build_timeline
>>> timeline = build_timeline(load_scenario())          # the reference ROS at 51.6 deg
>>> timeline.at("2029-06-01").mass_kg                   # kg
48000.0
"""

from rossim.station.assembly import Attachment, Event, Timeline, build_timeline
from rossim.station.configuration import Configuration, ConfigurationSeries

__all__ = [
    "Attachment", "Configuration", "ConfigurationSeries", "Event", "Timeline", "build_timeline",
]
