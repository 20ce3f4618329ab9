"""Shared fixtures of the analysis tests: the drag table over the shipped ISS periods, computed
once per test session (about 45-60 s; tests/analysis/test_drag_validation.py and
tests/analysis/test_drag_attitude.py).

Under pytest-xdist (``make test`` runs ``-n 2``) the first worker to ask builds the table and
pickles it into the session's shared temporary folder under a file lock; the others wait for
the lock and read it (the pattern of pytest-xdist's docs, "Making session-scoped fixtures
execute only once"), so the table is built once, not once per worker."""

import pickle
from pathlib import Path

import pytest

DATA_ISS = Path(__file__).resolve().parents[1] / "data" / "iss"


def _build():
    from rossim.analysis import drag_validation as dv

    return dv.drag_table(DATA_ISS)


@pytest.fixture(scope="session")
def drag_rows(tmp_path_factory, worker_id):
    if worker_id == "master":             # no xdist: this process is the only one
        return _build()
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / "drag_rows.pickle"
    with FileLock(str(shared) + ".lock"):
        if shared.is_file():
            return pickle.loads(shared.read_bytes())
        from rossim.fileio import atomic_write_bytes

        rows = _build()
        atomic_write_bytes(shared, pickle.dumps(rows))   # whole or absent, never half written
        return rows
