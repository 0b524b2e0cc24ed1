"""/readyz says "not ready" (503 problem details) for each reason a load balancer must hold traffic:
the schema behind the code, a configured Redis that does not answer; and ready when all hold."""

from __future__ import annotations

import socket

import pytest

from api import create_app
from api.database import db


def _app(url: str, **config):
    return create_app({"DATABASE_URL": url, "HUB_SCHEDULER_JOB_RUNNER": "inline", **config})


def test_readyz_is_503_naming_the_schema_when_the_database_was_never_migrated(tmp_path):
    app = _app(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    response = app.test_client().get("/readyz")
    db.dispose(app)
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "schema: at None" in response.json["detail"]


def test_readyz_is_503_when_the_configured_redis_does_not_answer(api_database_url, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{port}/0")
    app = _app(api_database_url)
    response = app.test_client().get("/readyz")
    db.dispose(app)
    assert response.status_code == 503
    assert response.json["detail"] == "not ready: redis: unreachable"


def test_readyz_is_ready_with_a_migrated_database_and_a_live_redis(api_database_url, monkeypatch):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis on 127.0.0.1:6379: {exc}")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = _app(api_database_url)
    response = app.test_client().get("/readyz")
    db.dispose(app)
    assert response.status_code == 200
    assert response.json == {"status": "ready", "database": "ok", "schema": "ok", "redis": "ok"}


def test_behind_a_proxy_the_forwarded_scheme_and_client_are_trusted_only_when_set(
    api_database_url,
):
    from flask import request

    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"}
    for proxies, scheme, remote in ((0, "http", "127.0.0.1"), (1, "https", "10.1.2.3")):
        app = _app(api_database_url, HUB_SCHEDULER_PROXY_FIX=proxies)

        @app.get("/_probe")
        def _probe():
            return {"scheme": request.scheme, "remote": request.remote_addr}

        seen = (
            app.test_client()
            .get("/_probe", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
            .json
        )
        db.dispose(app)
        assert (seen["scheme"], seen["remote"]) == (scheme, remote)
