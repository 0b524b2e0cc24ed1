"""Liveness and readiness.

`/readyz` answers 503 (problem details, with `checks`) when the database does not answer, when its
schema is not at the newest revision (run `hub-scheduler db upgrade`), or when a configured Redis
(`REDIS_URL`) does not answer a PING; a load balancer sends no traffic until all three hold.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from flask import Blueprint, current_app, jsonify

from api.database import db
from api.errors import problem
from api.openapi import operation

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
@operation("Liveness: the process answers", roles=None)
def healthz():
    return jsonify(status="ok")


@lru_cache(maxsize=1)
def _head() -> str:
    from models.migrate import head

    return head()


def _schema_revision() -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine().connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _redis_url() -> str:
    return str(current_app.config.get("REDIS_URL") or "").strip()


def _ping_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


@bp.get("/readyz")
@operation(
    "Readiness: database answers at the newest schema; Redis answers when configured",
    roles=None,
    errors=(503,),
)
def readyz():
    checks: dict[str, str] = {}
    try:
        revision = _schema_revision()
        checks["database"] = "ok"
        checks["schema"] = "ok" if revision == _head() else f"at {revision}, head {_head()}"
    except Exception as exc:  # any driver error means "not ready", never a 500
        log.warning("database not reachable: %s", exc)
        checks["database"] = "unreachable"
    url = _redis_url()
    if url:
        try:
            _ping_redis(url)
            checks["redis"] = "ok"
        except Exception as exc:
            log.warning("redis not reachable: %s", exc)
            checks["redis"] = "unreachable"
    failing = {name: state for name, state in checks.items() if state != "ok"}
    if failing:
        detail = "; ".join(f"{name}: {state}" for name, state in failing.items())
        return problem(503, "Service Unavailable", f"not ready: {detail}")
    return jsonify(status="ready", **checks)
