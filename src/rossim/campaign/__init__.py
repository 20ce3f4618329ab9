"""Monte Carlo campaigns: dispersions as data, many runs on Dask, percentiles and drivers.

- :mod:`rossim.campaign.dispersions`: the ``[monte_carlo]`` draws of one run (its own seed);
- :mod:`rossim.campaign.runner`: :func:`run_one`, the one call into the operations engine;
- :mod:`rossim.campaign.dispatch`: the Dask campaign (LocalCluster or a scheduler address);
- :mod:`rossim.campaign.store`: Parquet per run, DuckDB views, manifest last;
- :mod:`rossim.campaign.report`: percentiles, fan charts, sensitivity (campaign.html).

See docs/campaigns.md.
"""
