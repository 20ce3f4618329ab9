"""Every figure rossim draws (matplotlib), one module per area; the only place below the
command line that imports matplotlib (``tests/test_architecture.py`` checks that ``analysis``,
``fleet`` and ``ops`` do not).

- :mod:`rossim.report.figures.coverage`: coverage maps (``rossim coverage --maps``);
- :mod:`rossim.report.figures.trade`: the trade study's beta-angle and metric plots
  (``rossim trade --plots``);
- :mod:`rossim.report.figures.dose`: the crew dose-rate map (``rossim dose --map``);
- :mod:`rossim.report.figures.fleet`: the free-flyer family in the station's LVLH frame
  (``rossim fleet --plot``);
- :mod:`rossim.report.figures.campaign`: a campaign's fan charts and histograms;
- :mod:`rossim.report.figures.plan`: the plan as a run flew it (launches, climbs, dockings
  per port, spacewalks, free-flyers), in the run report;
- :mod:`rossim.report.plots` (station timeline, saving) and :mod:`rossim.report.html` (the run
  report's plots) are the run's own figures.

Figures are deterministic: PNG written without a software stamp, SVG with a fixed hash salt,
files through :func:`rossim.fileio.atomic_path`. Matplotlib is imported on first use, with the
Agg back end.
"""
