"""The queue seen from the API: coalescing, Redis down, and the quick start without Redis."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest
from servers import free_port, local_url, printed_value, serve_demo_argv, serving

from api import create_app

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


def _admin_client(app, queue_db):
    return app.test_client(), queue_db.admin_auth()


@pytest.fixture
def make_app():
    """`create_app(config)`; the apps' engines are disposed afterwards."""
    from api.database import db

    made = []

    def make(config):
        made.append(create_app({**config, "TESTING": True}))
        return made[-1]

    yield make
    for app in made:
        db.dispose(app)


@pytest.mark.db
def test_a_second_request_for_a_queued_horizon_gets_the_same_job(queue_db, make_app):
    app = make_app({"DATABASE_URL": queue_db.url, "HUB_SCHEDULER_JOB_RUNNER": "database"})
    client, auth = _admin_client(app, queue_db)
    first = client.post("/api/v1/plans", json={"horizon": HORIZON}, headers=auth)
    again = client.post("/api/v1/plans", json={"horizon": HORIZON}, headers=auth)
    assert first.status_code == again.status_code == 202
    assert again.json["id"] == first.json["id"]
    assert again.headers["Location"] == first.headers["Location"]
    other = client.post("/api/v1/plans", json={"horizon": HORIZON, "coalesce": False}, headers=auth)
    assert other.status_code == 202 and other.json["id"] != first.json["id"]
    hubs = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "hub_ids": [queue_db.scenario.hubs[0].id]},
        headers=auth,
    )
    assert hubs.json["id"] not in (first.json["id"], other.json["id"]), "another hub set"


@pytest.mark.db
def test_redis_down_plan_requests_get_503_with_retry_after_and_nothing_is_written(
    queue_db, make_app
):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    app = make_app(
        {"DATABASE_URL": queue_db.url, "REDIS_URL": closed, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    client, auth = _admin_client(app, queue_db)
    with queue_db.uow() as uow:
        before = len(uow.plans.list(limit=None))
    response = client.post("/api/v1/plans", json={"horizon": HORIZON}, headers=auth)
    assert response.status_code == 503, response.json
    assert "Redis" in response.json["detail"], response.json
    # (flask-limiter's header injection may replace our 10 s with its window's reset time)
    assert int(response.headers["Retry-After"]) > 0
    assert response.mimetype == "application/problem+json"
    with queue_db.uow() as uow:
        assert len(uow.plans.list(limit=None)) == before
    # Loads do not need the queue: an enterprise's view of them still answers.
    assert client.get("/api/v1/loads", headers=auth).status_code == 200


@pytest.mark.e2e
@pytest.mark.db
@pytest.mark.slow
def test_quick_start_without_redis_plans_and_publishes_in_the_worker_process(tmp_path):
    port = free_port()
    env = {**os.environ, "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance")}
    for key in ("DATABASE_URL", "REDIS_URL", "HUB_SCHEDULER_JOB_RUNNER"):
        env.pop(key, None)
    log_path = tmp_path / "serve.log"
    base = local_url(port)
    with serving(
        serve_demo_argv(port), url=base, log=log_path, env=env, cwd=tmp_path, timeout_s=120
    ):
        token = printed_value(log_path, "admin token: ")
        assert token, log_path.read_text()
        auth = {"Authorization": f"Bearer {token}"}
        job = httpx.post(
            f"{base}/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 2}, headers=auth
        )
        assert job.status_code == 202, job.text
        url = base + job.headers["Location"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            plan = httpx.get(url, headers=auth).json()
            if plan["status"] not in ("queued", "running"):
                break
            time.sleep(0.3)
        assert plan["status"] == "succeeded", plan
        published = httpx.post(f"{url}/publish", headers=auth)
        assert published.status_code == 200, published.text
    # The worker child follows gunicorn out (it watches its parent).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "worker" in _children_of_nobody(tmp_path):
        time.sleep(0.3)
    assert "worker" not in _children_of_nobody(tmp_path)


def _children_of_nobody(tmp_path: Path) -> str:
    """The command lines of leftover `api.cli worker` processes started in `tmp_path`."""
    import psutil

    left = []
    for p in psutil.process_iter(["cmdline", "cwd"]):
        try:
            if p.info["cwd"] == str(tmp_path) and "worker" in (p.info["cmdline"] or []):
                left.append(" ".join(p.info["cmdline"]))
        except psutil.Error:
            continue
    return "\n".join(left)


@pytest.mark.db
def test_the_job_list_filters_by_status_and_horizon_day_and_pages(queue_db, make_app):
    app = make_app({"DATABASE_URL": queue_db.url, "HUB_SCHEDULER_JOB_RUNNER": "database"})
    client, auth = _admin_client(app, queue_db)
    ids = [
        client.post(
            "/api/v1/plans", json={"horizon": HORIZON, "coalesce": False}, headers=auth
        ).json["id"]
        for _ in range(3)
    ]
    client.post(f"/api/v1/plans/{ids[0]}/cancel", headers=auth)
    queued = client.get("/api/v1/plans?status=queued&horizon=2026-11-28&limit=1", headers=auth)
    assert queued.status_code == 200
    assert queued.json["total"] == 2 and [p["id"] for p in queued.json["items"]] == [ids[2]]
    second = client.get("/api/v1/plans?status=queued&limit=1&offset=1", headers=auth).json
    assert [p["id"] for p in second["items"]] == [ids[1]]
    cancelled = client.get("/api/v1/plans?status=cancelled", headers=auth).json
    assert [p["id"] for p in cancelled["items"]] == [ids[0]]
    assert client.get("/api/v1/plans?horizon=2026-11-29", headers=auth).json["total"] == 0
    bad = client.get("/api/v1/plans?status=sleeping", headers=auth)
    assert bad.status_code == 422 and "status" in bad.get_data(as_text=True)
