"""gunicorn for a county server:
`gunicorn -c /etc/hub-scheduler/gunicorn.conf.py 'api:create_app()'`.

Starts from the settings shipped in the package (api/gunicorn_config.py: JSON or text logs through
our request-id filter, Prometheus multi-process hooks, timeouts) and sets what a site tunes.
Environment variables (see deploy/.env.example) still win where they are read.
"""

import multiprocessing
import os

from api.gunicorn_config import (  # noqa: F401 - gunicorn reads these names from this module
    accesslog,
    child_exit,
    control_socket,
    graceful_timeout,
    keepalive,
    logconfig_dict,
    on_starting,
    post_worker_init,
    timeout,
)

# nginx talks to this address (deploy/nginx/hub-scheduler.conf); never expose it directly.
bind = os.environ.get("HUB_SCHEDULER_BIND", "127.0.0.1:8000")
# Requests are short (plans run in the queue workers): 2 x cores + 1, gunicorn's rule of thumb.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# gthread: a request mostly waits on PostgreSQL. On SQLite keep sync workers (WORKER_CLASS=sync).
worker_class = os.environ.get("HUB_SCHEDULER_WORKER_CLASS", "gthread")
threads = int(os.environ.get("HUB_SCHEDULER_THREADS", "4"))
# Recycle workers now and then so a slow leak never takes the site down.
max_requests = 2000
max_requests_jitter = 200
# The proxy's address: gunicorn then trusts its X-Forwarded-Proto for wsgi.url_scheme.
forwarded_allow_ips = os.environ.get("HUB_SCHEDULER_FORWARDED_ALLOW_IPS", "127.0.0.1")
