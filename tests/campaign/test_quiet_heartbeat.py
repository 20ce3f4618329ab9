"""After Ctrl-C the campaign closes the local cluster; under load a worker's heartbeat can fall
between the scheduler's close and its own and print "distributed.worker - ERROR - Failed to
communicate with scheduler during heartbeat" after "rossim: interrupted" (seen once in the
full suite, tests/campaign/test_interrupt.py). The local workers drop that one message."""

from __future__ import annotations

import logging

from rossim.campaign.dispatch import _HeartbeatFilter, connect_client


def _record(msg: str) -> logging.LogRecord:
    return logging.LogRecord("distributed.worker", logging.ERROR, __file__, 1, msg, None, None)


def test_the_filter_drops_the_heartbeat_failure_only():
    f = _HeartbeatFilter()
    assert not f.filter(_record("Failed to communicate with scheduler during heartbeat."))
    assert f.filter(_record("Worker process died unexpectedly"))
    assert f.filter(_record("Compute Failed"))


def _worker_filters():
    return [type(f).__name__ for f in logging.getLogger("distributed.worker").filters]


def test_local_workers_carry_the_filter():
    client, cluster = connect_client(1, None)
    try:
        assert list(client.run(_worker_filters).values()) == [["_HeartbeatFilter"]]
    finally:
        client.close()
        cluster.close()
