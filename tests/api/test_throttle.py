"""Throttling: failed sign-ins and bad tokens per address, imports and plan requests per token;
a 429 problem with Retry-After. Memory counters by default, Redis when REDIS_URL is set (the
real Redis at 127.0.0.1:6379, skipped when it does not answer). SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import uuid

import pytest

from api import create_app
from api.database import db

SMALL = {
    "HUB_SCHEDULER_AUTH_FAILURE_LIMIT": "3 per minute",
    "HUB_SCHEDULER_IMPORT_LIMIT": "2 per minute",
    "HUB_SCHEDULER_PLAN_LIMIT": "2 per minute",
}
REDIS = "redis://127.0.0.1:6379/0"
HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


def _redis_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS} does not answer: {exc}")
    return REDIS


@pytest.fixture(params=["memory", "redis"])
def app(request, migrated_database_url, tmp_path):
    extra = {}
    if request.param == "redis":
        # A fresh key prefix: parallel test runs sharing the one Redis never see each other.
        extra = {"REDIS_URL": _redis_or_skip(), "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}
    app = create_app(
        {
            "DATABASE_URL": migrated_database_url,
            "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": 1.0,
            "HUB_SCHEDULER_COOKIE_SECURE": "0",
            "TESTING": True,
            **SMALL,
            **extra,
        }
    )
    yield app
    db.dispose(app)


@pytest.fixture
def uow(app):
    return db.uow(app)


def _assert_429(response) -> None:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 429


def test_bad_bearer_tokens_from_one_address_are_throttled(app, tokens):
    client = app.test_client()
    bad = {"Authorization": "Bearer hs_guessed"}
    for _ in range(3):
        assert client.get("/api/v1/hubs", headers=bad).status_code == 401
    _assert_429(client.get("/api/v1/hubs", headers=bad))
    # the address is locked, even for a good token: the guesser cannot tell good from bad
    _assert_429(client.get("/api/v1/hubs", headers=tokens["admin"]))
    other = app.test_client()
    ok = other.get(
        "/api/v1/hubs", headers=tokens["admin"], environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert ok.status_code == 200


def test_successful_requests_do_not_use_up_the_failure_allowance(app, tokens):
    client = app.test_client()
    for _ in range(10):
        assert client.get("/api/v1/hubs", headers=tokens["operator"]).status_code == 200


def test_failed_page_sign_ins_are_throttled(app):
    client = app.test_client()
    for attempt in range(4):
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if attempt == 3:
            assert client.get("/login").status_code == 429
            break
        response = client.post("/login", data={"token": "wrong", "csrf_token": csrf.group(1)})
        assert response.status_code == 200  # the form again, with its error
    refused = client.post("/login", data={"token": "wrong"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "尝试次数过多" in refused.get_data(as_text=True)


def test_a_burst_of_imports_from_one_token_is_throttled_per_token(app, tokens):
    client = app.test_client()
    sheet = "id,category\n"  # refused as a bad sheet (422) but still an import request
    statuses = [
        client.post(
            "/api/v1/loads/import?dry_run=true",
            data={"file": (io.BytesIO(sheet.encode()), "loads.csv")},
            headers=tokens["enterprise"],
            content_type="multipart/form-data",
        ).status_code
        for _ in range(3)
    ]
    assert 429 not in statuses[:2] and statuses[2] == 429
    other = client.post(
        "/api/v1/loads/import?dry_run=true",
        data={"file": (io.BytesIO(sheet.encode()), "loads.csv")},
        headers=tokens["other_enterprise"],
        content_type="multipart/form-data",
    )
    assert other.status_code != 429  # another token has its own allowance


def test_a_burst_of_plan_requests_from_one_token_is_throttled(app, tokens):
    client = app.test_client()
    body = {"horizon": HORIZON, "time_limit_s": 1}
    first = [
        client.post("/api/v1/plans", json=body, headers=tokens["admin"]).status_code
        for _ in range(2)
    ]
    assert 429 not in first
    _assert_429(client.post("/api/v1/plans", json=body, headers=tokens["admin"]))


def test_the_counters_live_in_redis_when_configured(app, tokens):
    if not app.config.get("REDIS_URL"):
        pytest.skip("memory storage")
    import redis

    client = app.test_client()
    client.get("/api/v1/hubs", headers={"Authorization": "Bearer hs_guessed"})
    keys = redis.Redis.from_url(REDIS).keys(f"*{app.config['RATELIMIT_KEY_PREFIX']}*")
    assert keys


def test_rate_headers_only_where_a_limit_applies_and_retry_after_only_when_refused(app, tokens):
    """A plain 200 or a redirect is not throttling: no `Retry-After`, no X-RateLimit-* headers
    (Flask-Limiter wrote `X-RateLimit-Limit: 3` and `Retry-After: 0` on every answer from the
    failure limit). A limited route keeps its X-RateLimit-* headers; a 429 has both."""
    client = app.test_client()
    for response in (
        client.get("/api/v1/hubs", headers=tokens["admin"]),
        client.get("/api/v1/hubs", headers=tokens["admin"]),  # the token known good
        client.get("/"),
        client.get("/login"),
        client.get("/api/v1/public/hubs"),
    ):
        assert response.status_code < 400, response.status_code
        assert "Retry-After" not in response.headers, response.request.path
        if response.request.path != "/api/v1/public/hubs":
            assert not [h for h in response.headers.keys() if h.startswith("X-RateLimit")], (
                response.request.path
            )
    public = client.get("/api/v1/public/hubs")
    assert public.headers.get("X-RateLimit-Limit")
    for _ in range(3):
        client.get("/api/v1/hubs", headers={"Authorization": "Bearer nope"})
    _assert_429(client.get("/api/v1/hubs", headers={"Authorization": "Bearer nope"}))
