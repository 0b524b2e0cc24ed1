"""gunicorn settings shipped with the package:
`gunicorn -c python:api.gunicorn_config 'api:create_app()'`
(what `hub-scheduler serve` runs; deploy/gunicorn.conf.py builds on it).

Every value can be overridden on the command line or by the environment variables named here.
Prometheus multi-process mode needs `PROMETHEUS_MULTIPROC_DIR` set before prometheus-client is
imported anywhere, so it is set here, in the master, before any worker loads the app.
"""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

from api.logs import logging_config
from models.instance import instance_path

# A private folder per master when the operator set none (systemd: RuntimeDirectory, see deploy/).
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="hub-scheduler-metrics-"))

bind = os.environ.get("HUB_SCHEDULER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A request never solves (plans are jobs), so 60 s only catches a stuck worker; sheets of 10 000
# rows take a few seconds.
timeout = int(os.environ.get("HUB_SCHEDULER_WORKER_TIMEOUT_S", "60"))
graceful_timeout = int(os.environ.get("HUB_SCHEDULER_GRACEFUL_TIMEOUT_S", "30"))
keepalive = 5
# Our own access line per request (api/logs.py) carries the request id and actor; gunicorn's would
# be a second, poorer copy.
accesslog = None
logconfig_dict = logging_config()
# gunicorn 23+ opens a control socket, by default $HOME/.gunicorn/gunicorn.ctl: one path shared by
# every master of the user, so a second server (a test run beside a live one, two sites on one
# account) fails to bind it or takes it over. One per instance folder keeps them apart.
control_socket = os.environ.get("HUB_SCHEDULER_CONTROL_SOCKET") or str(
    instance_path() / "gunicorn.ctl"
)


def on_starting(server) -> None:
    """Start with an empty metrics folder: files of an earlier run would be summed in."""
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    """Drop a dead worker's live gauges (prometheus-client multi-process mode)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker) -> None:
    """Move everything the worker has loaded (the app, its modules, caches) out of the garbage
    collector's sight: those objects live as long as the worker, yet every full collection
    walked them all, ~100-120 ms about once per 5,000-7,000 submissions (a pause; bench/README.md,
    fifth pass). Objects made later are collected as before."""
    gc.collect()
    gc.freeze()
