"""rossim: a digital twin of the Russian Orbital Service Station (ROS).

The package is layered (see ``docs/architecture.md``): ``config`` and ``time`` at the bottom,
then ``environment`` and ``dynamics``, ``station`` and ``systems``, ``ops`` and ``fleet``,
``analysis``, ``archive``, ``report`` and finally ``cli`` on top. Lower layers never import
higher ones.
"""

import warnings
from importlib.metadata import PackageNotFoundError, version

# rossim works with future dates (2027-2036): ERFA flags every UTC epoch beyond the last
# published leap second as a "dubious year". That is expected here, not a problem to report.
warnings.filterwarnings("ignore", message=r".*dubious year", module=r"erfa\..*")
warnings.filterwarnings("ignore", message=r".*dubious year", module=r"astropy\..*")

try:
    __version__ = version("rossim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
