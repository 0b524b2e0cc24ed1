"""Prometheus metrics at `/metrics`: requests by endpoint and status with latency, plan jobs by
outcome with duration, loads by status (counted at scrape time), webhook deliveries.

Under gunicorn every worker is a process: with `PROMETHEUS_MULTIPROC_DIR` set (the gunicorn config
sets it) prometheus-client writes each worker's values to files there and `/metrics` sums them;
gunicorn's `child_exit` hook (api/gunicorn_config.py) calls `mark_process_dead`. Without it (tests,
one process) the process's own registry is served.

`/metrics` is not public (request counts per endpoint, job outcomes and loads by status are
operational data): with `HUB_SCHEDULER_METRICS_TOKEN` set it answers only `Authorization: Bearer
<that token>` (401 without a token, 403 with another one); unset, only loopback clients (403 else).
"""

from __future__ import annotations

import hmac
import logging
import os
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from api.settings import settings
from hub_scheduler.errors import Forbidden, Unauthorized

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)

REQUESTS = Counter("hub_http_requests", "HTTP requests answered", ["endpoint", "method", "status"])
REQUEST_SECONDS = Histogram(
    "hub_http_request_duration_seconds",
    "HTTP request latency",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PLAN_JOBS = Counter("hub_plan_jobs", "Plan jobs finished, by outcome", ["outcome"])
PLAN_JOB_SECONDS = Histogram(
    "hub_plan_job_duration_seconds",
    "Plan job wall time (load, solve, verify, store)",
    ["outcome"],
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
)
WEBHOOK_DELIVERIES = Counter(
    "hub_webhook_deliveries", "Webhook deliveries attempted, by outcome", ["outcome"]
)


class LoadsByStatus:
    """A collector that counts loads by status in the database at each scrape (one GROUP BY)."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        from sqlalchemy import text

        from api.database import db

        family = GaugeMetricFamily(
            "hub_loads", "Loads in the database, by status", labels=["status"]
        )
        try:
            with db.engine(self.app).connect() as connection:
                rows = connection.execute(
                    text("SELECT status, COUNT(*) FROM loads GROUP BY status")
                )
                for status, count in rows:
                    family.add_metric([str(status)], count)
        except Exception as exc:  # an unreachable database must not break the other metrics
            log.warning("loads by status not counted: %s", exc)
            return
        yield family


_LOOPBACK = ("127.0.0.1", "::1")


def _check_scraper() -> None:
    """Let the scraper in, or raise: Unauthorized (401) without the configured token, Forbidden
    (403) with a wrong token or, when no token is configured, from a non-loopback address."""
    expected = settings().HUB_SCHEDULER_METRICS_TOKEN
    if not expected:
        if request.remote_addr not in _LOOPBACK:
            raise Forbidden("metrics are served to loopback clients only")
        return
    header = request.headers.get("Authorization", "")
    if not header:
        raise Unauthorized("this endpoint needs an Authorization: Bearer <token> header")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("the Authorization header must be Bearer <token>")
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise Forbidden("this is not the metrics token")


@bp.get("/metrics")
def metrics() -> Response:
    _check_scraper()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    scraped = CollectorRegistry(auto_describe=False)
    proxy: Any = current_app  # a werkzeug LocalProxy, typed by Flask as the app itself
    scraped.register(LoadsByStatus(proxy._get_current_object()))
    body = generate_latest(registry) + generate_latest(scraped)
    return Response(body, content_type=CONTENT_TYPE_LATEST)


# (endpoint, method, status) -> its counter and histogram children, bound once per process:
# `labels()` checks and joins the values under a lock on every call. The keys are the labels
# prometheus-client keeps a child for anyway, so this holds no more than its registry does.
_REQUEST_CHILDREN: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    """Count and time one answered request."""
    key = (endpoint, method, status)
    children = _REQUEST_CHILDREN.get(key)
    if children is None:
        children = (
            REQUESTS.labels(endpoint, method, str(status)),
            REQUEST_SECONDS.labels(endpoint, method),
        )
        _REQUEST_CHILDREN[key] = children
    children[0].inc()
    children[1].observe(seconds)


def init_app(app: Flask) -> None:
    """Serve `/metrics`; every request is counted and timed by `api.ops`'s request hooks."""
    app.register_blueprint(bp)


def observe_plan_job(outcome: str, seconds: float) -> None:
    PLAN_JOBS.labels(outcome).inc()
    PLAN_JOB_SECONDS.labels(outcome).observe(seconds)
