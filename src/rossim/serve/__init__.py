"""Mission control in the browser: ``rossim serve`` (replay of an archive, live runs).

Modules: :mod:`~rossim.serve.channels` (the channel dictionary), :mod:`~rossim.serve.replay`
(historical telemetry, min/max downsampling, events, the replay clock),
:mod:`~rossim.serve.live` (a live run of the closed-loop engine behind a small adapter),
:mod:`~rossim.serve.app` (the HTTP and WebSocket API and the Open MCT front end).
"""
