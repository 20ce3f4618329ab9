"""rossim: a digital twin of the Russian Orbital Service Station (ROS).

The package is layered (see ``docs/architecture.md``): ``config`` and ``time`` at the bottom,
then ``environment`` and ``dynamics``, ``station`` and ``systems``, ``ops`` and ``fleet``,
``analysis``, ``archive``, ``report`` and finally ``cli`` on top. Lower layers never import
higher ones.
"""

import warnings

# rossim works with future dates (2027-2036): ERFA flags every UTC epoch beyond the last
# published leap second as a "dubious year". That is expected here, not a problem to report.
warnings.filterwarnings("ignore", message=r".*dubious year", module=r"erfa\..*")
warnings.filterwarnings("ignore", message=r".*dubious year", module=r"astropy\..*")



def _numba_cache_fallback() -> None:
    """Compiled kernels are cached (``@njit(cache=True)``) next to their module, else in the
    user's cache folder; numba refuses to compile a cached function when neither is writable
    (a read-only install under a read-only home). Then they go to a per-user folder under the
    system's temporary directory instead, so that the first run compiles and later runs read
    the cache. ``NUMBA_CACHE_DIR`` set by the user always wins."""
    import os

    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    here = os.path.dirname(os.path.abspath(__file__))
    if os.access(here, os.W_OK):
        return
    home_cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                   ".cache")
    probe = home_cache
    while probe and not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if probe and os.access(probe, os.W_OK):
        return
    import tempfile

    os.environ["NUMBA_CACHE_DIR"] = os.path.join(tempfile.gettempdir(),
                                                 f"rossim-numba-{getattr(os, 'getuid', lambda: 0)()}")


_numba_cache_fallback()

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``rossim.__version__``, read from the installed metadata when first asked for (not at
    import: ``importlib.metadata`` is most of this package's own import time, and ``python -m
    rossim`` runs this file before its Ctrl-C handler for the start is in place:
    ``_rossim_entry``)."""
    if name != "__version__":
        raise AttributeError(f"module 'rossim' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("rossim")
    except PackageNotFoundError:  # running from a source tree without installation
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
