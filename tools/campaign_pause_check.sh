#!/bin/bash
# A campaign stopped (SIGSTOP) long enough for Dask to remove its workers, then continued:
# it should complete (runs dropped by the scheduler are submitted again,
# rossim.campaign.dispatch), not end in an internal error. docs/campaigns.md, "Resume".
#
#   tools/campaign_pause_check.sh OUT [SECONDS_BEFORE_STOP]
#
# 60 runs of tests/data/campaign/ros-90d.toml on 2 local workers; Dask's worker-ttl set to
# 5 s so that a 40 s stop removes the workers (with the default 5 min, stop for longer).
# Prints the runs finished before the stop, the exit status and the runs stored.
set -u
out=${1:?usage: tools/campaign_pause_check.sh OUT [SECONDS_BEFORE_STOP]}
here=$(cd "$(dirname "$0")/.." && pwd)
export DASK_DISTRIBUTED__SCHEDULER__WORKER_TTL=5s
"$here/.venv/bin/rossim" campaign "$here/tests/data/campaign/ros-90d.toml" --runs 60 \
  --workers 2 --out "$out" --quiet > "$out.log" 2>&1 &
p=$!
sleep "${2:-12}"
pids="$p $(pgrep -P "$p" | tr '\n' ' ')"
echo "runs before the stop: $(ls "$out/runs" 2>/dev/null | wc -l)"
kill -STOP $pids; sleep 40; kill -CONT $pids
wait "$p"; echo "exit $?"; echo "runs stored: $(ls "$out/runs" | wc -l)"
