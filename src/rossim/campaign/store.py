"""A campaign's folder: one Parquet file per finished run, a DuckDB view, a manifest last.

Layout of ``OUT``::

    campaign.json            what the campaign is (scenario digest, campaign seed, dispersions)
    runs/run-000017.parquet  one row per run: run, seed, status, error, in_* inputs, summary
    series/run-000017.parquet  the run's daily series (float32 lists over the span's days)
    campaign.duckdb          views `runs` and `series` over the Parquet files (SQL)
    campaign.html, campaign-summary.json   the report
    manifest.json            written last: the campaign is complete

Every file is written atomically (:mod:`rossim.fileio`): a run's series first, its ``runs/``
row last, so a run counts as finished exactly when its row file exists; a campaign killed at
any moment leaves only whole files (and ``.tmp-*`` leftovers, removed at the next start).
``manifest.json`` is removed when a campaign starts or resumes and written after everything
else, so the folder never looks complete while it is not.

Column types are fixed so that every run file has the same schema: ``run`` and ``seed``
int64; ``status``, ``error``, ``events`` and every non-numeric summary value string; every
number float64. Nested summary tables are flattened with dots (``reboost_by_year.2028.
propellant_kg``); lists become JSON text.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from rossim.errors import InputError, show_value
from rossim.fileio import atomic_path, atomic_write_text, check_folder_kind, check_in_the_way
from rossim.jsonio import dumps_json, json_safe

__all__ = ["CampaignStore", "flatten", "scenario_digest"]

_INT_COLUMNS = ("run", "seed", "campaign_seed")

#: The files a campaign writes in its folder, and its sub-folders (rossim only adds run files
#: to those: nothing else in them is read or removed), for
#: :func:`rossim.fileio.check_in_the_way`.
CAMPAIGN_FILES = ("campaign.json", "campaign.duckdb", "campaign-summary.json", "campaign.html",
                  "manifest.json")
CAMPAIGN_FOLDERS: dict[str, None] = {"runs": None, "series": None}


def flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts -> one level with dotted keys; lists -> JSON text."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        elif isinstance(v, list | tuple):
            out[key] = json.dumps(json_safe(v), default=str, allow_nan=False)
        else:
            out[key] = v
    return out


def scenario_digest(scenario) -> str:
    """SHA-256 of the scenario's content (not its path)."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


def _json(data: Any) -> str:
    return dumps_json(data, default=str) + "\n"


class CampaignStore:
    """Reader and writer of one campaign folder (see the module docstring)."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        self.series_dir = self.out / "series"

    # -- set-up -------------------------------------------------------------------------
    def prepare(self, spec: dict[str, Any]) -> None:
        """Create or reopen the folder for ``spec``; refuse a folder of another campaign.

        Removes ``.tmp-*`` leftovers of a killed run and the manifest (the campaign is
        being (re)started). Raises :class:`InputError` if ``out`` is a file or holds a
        campaign of another scenario, seed or dispersion set.
        """
        if self.out.exists() and not self.out.is_dir():
            raise InputError("argument", "out", str(self.out), "a folder (it is a file)")
        check_folder_kind(self.out, "campaign", "out")   # a run's folder: the outputs would mix
        check_in_the_way(self.out, CAMPAIGN_FILES, CAMPAIGN_FOLDERS, "out")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.series_dir.mkdir(parents=True, exist_ok=True)
        spec_path = self.out / "campaign.json"
        old = json.loads(spec_path.read_text(encoding="utf-8")) if spec_path.exists() else None
        if old is not None and not self.finished() and any(
                old.get(k) != spec.get(k) for k in ("scenario_digest", "campaign_seed")):
            # a campaign that finished no run (stopped or refused before its first) holds
            # nothing to lose: this one takes the folder over
            for stale in self.series_dir.glob("*.parquet"):
                stale.unlink(missing_ok=True)
            old = None
        if old is not None:
            for key in ("scenario_digest", "campaign_seed"):
                if old.get(key) != spec.get(key):
                    raise InputError(
                        "argument", "out", str(self.out),
                        f"an empty folder or one holding this same campaign (its {key} is "
                        f"{show_value(old.get(key))}, this campaign's "
                        f"{show_value(spec.get(key))}); pick another --out", problem="folder holds another campaign")
        else:
            atomic_write_text(spec_path, _json(spec))
        for d in (self.out, self.runs_dir, self.series_dir):
            for stale in glob.glob(str(d / ".tmp-*")):
                if not os.path.isdir(stale):   # atomic_path's leftovers are files
                    Path(stale).unlink(missing_ok=True)
        (self.out / "manifest.json").unlink(missing_ok=True)

    def spec(self) -> dict[str, Any]:
        return json.loads((self.out / "campaign.json").read_text(encoding="utf-8"))

    # -- runs -----------------------------------------------------------------------------
    def _run_path(self, run: int) -> Path:
        return self.runs_dir / f"run-{run:06d}.parquet"

    def _series_path(self, run: int) -> Path:
        return self.series_dir / f"run-{run:06d}.parquet"

    def finished(self) -> set[int]:
        """Indices of the runs whose row file exists (finished, ok or failed)."""
        return {int(p.stem.split("-")[1]) for p in self.runs_dir.glob("run-*.parquet")}

    def write_run(self, record: dict[str, Any], daily: dict[str, np.ndarray] | None) -> None:
        """Store one finished run: its daily series (if any), then its row."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        run = int(record["run"])
        if daily:
            cols = {"run": pa.array([run], pa.int64())}
            for name, values in sorted(daily.items()):
                cols[name] = pa.array([np.asarray(values, np.float32)], pa.list_(pa.float32()))
            with atomic_path(self._series_path(run)) as tmp:
                pq.write_table(pa.table(cols), tmp)
        cols = {}
        for key, value in flatten(record).items():
            if key in _INT_COLUMNS:
                cols[key] = pa.array([int(value)], pa.int64())
            elif isinstance(value, bool | int | float | np.number) and not isinstance(value, str):
                cols[key] = pa.array([float(value)], pa.float64())
            else:
                cols[key] = pa.array([None if value is None else str(value)], pa.string())
        with atomic_path(self._run_path(run)) as tmp:
            pq.write_table(pa.table(cols), tmp)

    # -- reading --------------------------------------------------------------------------
    def connect(self):
        """An in-memory DuckDB connection with views ``runs`` and ``series``."""
        import duckdb

        con = duckdb.connect()
        for view, d in (("runs", self.runs_dir), ("series", self.series_dir)):
            if any(d.glob("run-*.parquet")):
                con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet("
                            f"'{(d / 'run-*.parquet').as_posix()}', union_by_name = true)")
        return con

    def runs(self, limit: int | None = None):
        """All run rows (pandas DataFrame, by run index; ``run < limit`` if given)."""
        con = self.connect()
        where = f" WHERE run < {int(limit)}" if limit is not None else ""
        return con.execute(f"SELECT * FROM runs{where} ORDER BY run").df()

    def series(self, name: str, runs: list[int]) -> np.ndarray:
        """``(len(runs), n_days)`` float32 array of one daily series for those runs (the
        runs without a series file are left out)."""
        import pyarrow.parquet as pq

        rows = []
        for r in runs:
            p = self._series_path(r)
            if p.exists():
                col = pq.read_table(p, columns=[name]).column(0)[0].values
                rows.append(np.asarray(col.to_numpy(zero_copy_only=False), np.float32))
        if not rows:
            return np.zeros((0, 0), np.float32)
        return np.stack(rows)

    def write_duckdb(self) -> Path:
        """``campaign.duckdb`` with the views ``runs`` and ``series`` (absolute paths: the
        database answers from any working directory while the folder stays where it is)."""
        import duckdb

        target = self.out / "campaign.duckdb"
        with atomic_path(target) as tmp:
            tmp.unlink()
            con = duckdb.connect(str(tmp))
            for view, d in (("runs", self.runs_dir), ("series", self.series_dir)):
                if any(d.glob("run-*.parquet")):
                    pattern = (d.resolve() / "run-*.parquet").as_posix()
                    con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet("
                                f"'{pattern}', union_by_name = true)")
            con.close()
        return target

    def write_manifest(self, info: dict[str, Any]) -> Path:
        """The last file of a complete campaign."""
        target = self.out / "manifest.json"
        atomic_write_text(target, _json({"complete": True, **info}))
        return target
