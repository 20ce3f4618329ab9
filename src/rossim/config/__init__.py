"""Configuration: the reference catalog (modules, vehicles, launchers, sites, ground stations)
and scenario files, both validated data with clear errors."""
