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

A run or series file that is not a whole Parquet file was therefore damaged outside rossim
(a disk or a copy that failed, an edit): :meth:`CampaignStore.check_run_files` refuses it
before any run, naming the file and how to recover (delete it; the same command re-runs that
run), rather than re-running it quietly; the method says why.

Column types are fixed so that every run file has the same schema: ``run`` and ``seed``
int64; ``status``, ``error``, ``events`` and every non-numeric summary value string; every
number float64. Nested summary tables are flattened with dots (``reboost_by_year.2028.
propellant_kg``); lists become JSON text.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
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

#: A run file's name (``run-000017.parquet``); a ``run-*.parquet`` of another name in runs/
#: or series/ is refused (:meth:`CampaignStore.check_run_files`: DuckDB's glob would read it).
_RUN_FILE = re.compile(r"run-(\d{6,})\.parquet")


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


def _framed_parquet(path: Path, full: bool = False) -> bool:
    """True if ``path`` is framed as a whole Parquet file: ``PAR1`` at both ends and a footer
    length that fits in the file (a file cut short, the usual damage, fails); ``full``: also
    read whole by pyarrow."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(4)
            if size < 12:
                return False
            fh.seek(size - 8)
            tail = fh.read(8)
    except OSError:
        return False
    if head != b"PAR1" or tail[4:] != b"PAR1" or int.from_bytes(tail[:4], "little") > size - 12:
        return False
    if full:
        import pyarrow.parquet as pq

        try:
            pq.read_table(path)
        except Exception:   # noqa: BLE001  (pyarrow's ArrowInvalid, OSError, ...)
            return False
    return True


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
        being (re)started). Raises :class:`InputError`, before changing anything, if ``out``
        is a file, holds a run's outputs or a folder or link where the campaign's files go,
        a damaged run file (:meth:`check_run_files`), a damaged ``campaign.json`` or a
        campaign of another scenario, seed or dispersion set.
        """
        if self.out.exists() and not self.out.is_dir():
            raise InputError("argument", "out", str(self.out), "a folder (it is a file)")
        check_folder_kind(self.out, "campaign", "out")   # a run's folder: the outputs would mix
        check_in_the_way(self.out, CAMPAIGN_FILES, CAMPAIGN_FOLDERS, "out")
        spec_path = self.out / "campaign.json"
        old = self._read_spec() if spec_path.exists() else None
        # a campaign that finished no run (stopped or refused before its first) holds
        # nothing to lose: this one takes the folder over (its series files are stale)
        take_over = old is not None and not self.finished() and any(
            old.get(k) != spec.get(k) for k in ("scenario_digest", "campaign_seed"))
        if not take_over:
            self.check_run_files()   # before anything changes or runs: named now, not at the end
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.series_dir.mkdir(parents=True, exist_ok=True)
        if take_over:
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

    def _read_spec(self) -> dict[str, Any]:
        path = self.out / "campaign.json"
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError):
            spec = None
        if not isinstance(spec, dict):
            raise InputError(str(path), None, None, "the campaign.json rossim wrote (what the "
                             "campaign is: scenario digest, seed): restore it, or choose another "
                             "output folder (the runs here cannot be matched to a campaign "
                             "without it)",
                             problem="damaged: not a JSON object")
        return spec

    def spec(self) -> dict[str, Any]:
        return self._read_spec()

    # -- runs -----------------------------------------------------------------------------
    def _run_path(self, run: int) -> Path:
        return self.runs_dir / f"run-{run:06d}.parquet"

    def _series_path(self, run: int) -> Path:
        return self.series_dir / f"run-{run:06d}.parquet"

    def finished(self) -> set[int]:
        """Indices of the runs whose row file exists (finished, ok or failed)."""
        return {int(m.group(1)) for p in self.runs_dir.glob("run-*.parquet")
                if (m := _RUN_FILE.fullmatch(p.name))}

    def check_run_files(self, *, full: bool = False) -> None:
        """Refuse a damaged run or series file: one :class:`InputError` (exit 2) naming it
        and how to recover, before any run.

        Every file is written atomically, so a campaign killed at any moment leaves only whole
        files; a file in ``runs/`` or ``series/`` that is not a whole Parquet file (cut short,
        overwritten), or a ``run-*.parquet`` not named as rossim names them, was made or
        damaged outside rossim. Why an error and not a quiet re-run, although the resume
        design re-runs every run without a row file and would give the same row (the run's
        seed comes from its index): the resume counts a run as finished exactly when its
        row file exists, so treating a damaged one as missing would mean rossim deciding, on
        its own, to discard and replace a file it did not write in this session; and the
        damage came from outside, so the folder's storage or a copy lost data the user must
        see (other files may be damaged in ways no check finds, and the percentiles must not
        quietly rest on them). The recovery is one step, given in the message: delete the
        named file (and, for a series file, the run's row file) and run the same command
        again; those runs are re-run with their own seeds.

        The default check reads each file's frame (:func:`_framed_parquet`: the magic bytes
        at both ends and a footer length that fits: tens of microseconds a file, where
        parsing each footer with pyarrow took about a millisecond, the run rows having
        hundreds of columns); ``full`` reads every file whole with pyarrow (used when
        DuckDB or pyarrow failed on the folder, to name the file).
        """
        damaged: list[Path] = []
        for d in (self.runs_dir, self.series_dir):
            for path in sorted(d.glob("run-*.parquet")):
                if not _RUN_FILE.fullmatch(path.name) or not _framed_parquet(path, full):
                    damaged.append(path)
        if not damaged:
            return
        first = damaged[0]
        m = _RUN_FILE.fullmatch(first.name)
        delete = [first]
        if m and first.parent == self.series_dir and (self.runs_dir / first.name).exists():
            delete.append(self.runs_dir / first.name)  # else the run counts as finished
        what = (f"run {int(m.group(1))} is re-run with its own seed" if m
                else "rossim reads only run-NNNNNN.parquet files")
        more = (f"; {len(damaged) - 1} more: " + ", ".join(str(p) for p in damaged[1:4])
                + (" ..." if len(damaged) > 4 else "") if len(damaged) > 1 else "")
        raise InputError(
            str(first), None, None, "a whole run file as rossim writes it (delete "
            + " and ".join(str(p) for p in delete) + f" and run the same command again: {what}"
            + (", and so on for the others" if len(damaged) > 1 else "") + ")",
            problem=("damaged: not a whole Parquet file" if m
                     else "not a run file rossim writes") + more)

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
    @contextlib.contextmanager
    def _naming_damage(self):
        """A reader's failure on the run files (a file damaged after the start's check, or
        inside, where its footer is whole) becomes :meth:`check_run_files`'s error naming
        the file; any other failure is raised as it was."""
        try:
            yield
        except Exception:
            self.check_run_files(full=True)
            raise

    def connect(self):
        """An in-memory DuckDB connection with views ``runs`` and ``series``."""
        import duckdb

        con = duckdb.connect()
        with self._naming_damage():
            for view, d in (("runs", self.runs_dir), ("series", self.series_dir)):
                if any(d.glob("run-*.parquet")):
                    con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet("
                                f"'{(d / 'run-*.parquet').as_posix()}', union_by_name = true)")
        return con

    def runs(self, limit: int | None = None):
        """All run rows (pandas DataFrame, by run index; ``run < limit`` if given)."""
        con = self.connect()
        where = f" WHERE run < {int(limit)}" if limit is not None else ""
        with self._naming_damage():
            return con.execute(f"SELECT * FROM runs{where} ORDER BY run").df()

    def series(self, name: str, runs: list[int]) -> np.ndarray:
        """``(len(runs), n_days)`` float32 array of one daily series for those runs (the
        runs without a series file are left out)."""
        import pyarrow.parquet as pq

        rows = []
        for r in runs:
            p = self._series_path(r)
            if p.exists():
                with self._naming_damage():
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
