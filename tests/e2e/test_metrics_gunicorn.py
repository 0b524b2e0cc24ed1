"""/metrics, /readyz and the logs under a real gunicorn with 2 workers and the packaged config:
counts summed across workers (prometheus multi-process mode), loads counted at scrape, a plan job
counted and logged with its figures, a request id on every line."""

from __future__ import annotations

import json
import os
import re
import sys
import time

import httpx
import pytest
from servers import REPO, free_port, local_url, serving

pytestmark = [pytest.mark.e2e, pytest.mark.db, pytest.mark.slow]

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn -c python:api.gunicorn_config on a seeded SQLite file, JSON logs to a file."""
    from hub_scheduler.scenario_file import read_scenario
    from hub_scheduler.services.tokens import issue_token
    from models.db import make_engine, make_session_factory
    from models.migrate import upgrade
    from models.scenario_store import store_scenario
    from models.uow import SqlUnitOfWork

    folder = tmp_path_factory.mktemp("metrics")
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    uow = SqlUnitOfWork(make_session_factory(engine))
    store_scenario(uow, read_scenario(REPO / "fixtures" / "xunwu.json"))
    token = issue_token(uow, role="admin", label="metrics admin", actor="e2e")
    engine.dispose()

    port = free_port()
    (folder / "prom").mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HUB_SCHEDULER_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "prom"),
        "WEB_CONCURRENCY": "2",
        "HUB_SCHEDULER_BIND": f"127.0.0.1:{port}",
    }
    env.pop("REDIS_URL", None)
    log_path = folder / "gunicorn.log"
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:api.gunicorn_config",
        "api:create_app()",
    ]
    with serving(argv, url=local_url(port), log=log_path, env=env, timeout_s=30):
        yield local_url(port), token, log_path, folder / "prom"


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in the Prometheus text format, or None."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"([a-zA-Z_:]+)(?:\{(.*)\})? (\S+)", line)
        if match and match[1] == name:
            got = ",".join(sorted((match[2] or "").split(","))) if match[2] else ""
            if got == wanted:
                return float(match[3])
    return None


def test_request_counts_are_summed_over_both_workers(served):
    base, _, _, prom = served
    # /readyz: the start-up polls use /healthz, and one that timed out under load may still be
    # counted later, so /healthz's count is not ours to predict.
    labels = {"endpoint": "/readyz", "method": "GET", "status": "200"}
    metrics = httpx.get(f"{base}/metrics", timeout=30)
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    before = _sample(metrics.text, "hub_http_requests_total", **labels) or 0
    for _ in range(40):
        assert httpx.get(f"{base}/readyz", timeout=30).status_code == 200
    # Each scrape lands on one worker; the total is the same from either: the files are summed.
    for _ in range(6):
        text = httpx.get(f"{base}/metrics", timeout=30).text
        assert _sample(text, "hub_http_requests_total", **labels) == before + 40
        assert (
            _sample(
                text, "hub_http_request_duration_seconds_count", endpoint="/readyz", method="GET"
            )
            == before + 40
        )
    assert len({p.name.rsplit("_", 1)[-1] for p in prom.glob("counter_*.db")}) == 2


def test_loads_are_counted_by_status_at_scrape_time(served):
    base, _, _, _ = served
    text = httpx.get(f"{base}/metrics", timeout=30).text
    by_status = {
        m[1]: float(m[2]) for m in re.finditer(r'^hub_loads\{status="(\w+)"\} (\S+)$', text, re.M)
    }
    assert sum(by_status.values()) == 200, by_status  # the Xunwu day


def test_a_plan_job_is_counted_by_outcome_and_logged_with_its_figures(served):
    base, token, log_path, _ = served
    api = httpx.Client(
        base_url=base,
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-plan-1"},
        timeout=30,
    )
    with api:
        response = api.post("/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 2})
        assert response.status_code == 202, response.text
        assert response.headers["X-Request-ID"] == "req-plan-1"
        deadline = time.monotonic() + 180
        while api.get(response.headers["Location"]).json()["status"] not in ("succeeded", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.3)
    text = httpx.get(f"{base}/metrics", timeout=30).text
    assert _sample(text, "hub_plan_jobs_total", outcome="succeeded") == 1
    assert _sample(text, "hub_plan_job_duration_seconds_count", outcome="succeeded") == 1

    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    finish = [ln for ln in lines if ln.get("event") == "plan_job_finish"]
    assert len(finish) == 1, lines[-5:]
    assert finish[0]["outcome"] == "succeeded" and finish[0]["loads"] == 200
    assert finish[0]["objective"] is not None and finish[0]["gap"] is not None
    assert finish[0]["horizon_start"].startswith("2026-11-2") and finish[0]["level"] == "INFO"
    posted = [
        ln for ln in lines if ln.get("path") == "/api/v1/plans" and ln.get("method") == "POST"
    ]
    assert posted and posted[0]["request_id"] == "req-plan-1"
    assert posted[0]["actor"] == "metrics admin (token 1)" and posted[0]["status"] == 202
    assert {"time", "level", "logger", "message"} <= posted[0].keys()


def test_readyz_is_ready_on_a_migrated_database(served):
    base, _, _, _ = served
    assert httpx.get(f"{base}/readyz", timeout=30).json()["status"] == "ready"
