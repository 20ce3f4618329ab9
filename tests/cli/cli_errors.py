"""The check every refused command line shares: ``rossim ARGV`` exits 2 with nothing on
stdout and one line on stderr, no traceback (README: bad input gets a clear error)."""

from __future__ import annotations

from rossim.cli.main import main


def one_line(capsys, argv) -> str:
    """Run ``rossim`` with ``argv`` (items made text) in-process and return its one stderr
    line (with its newline) after asserting exit 2, an empty stdout and no traceback."""
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    assert rc == 2, cap
    assert cap.out == "" and "Traceback" not in cap.err, cap
    assert cap.err.count("\n") == 1 and len(cap.err.strip().splitlines()) == 1, cap.err
    return cap.err
