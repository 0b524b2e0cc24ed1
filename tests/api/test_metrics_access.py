"""/metrics is not public: with HUB_SCHEDULER_METRICS_TOKEN set it answers only that bearer token
(401 without, 403 with another), and with none set only loopback clients (403 from elsewhere)."""

from __future__ import annotations

import pytest

from api import create_app
from api.database import db

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def make_app(api_database_url):
    apps = []

    def make(**config):
        app = create_app(
            {"DATABASE_URL": api_database_url, "HUB_SCHEDULER_JOB_RUNNER": "inline", **config}
        )
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        db.dispose(app)


def test_without_a_token_setting_only_loopback_clients_get_metrics(make_app):
    client = make_app()
    outside = client.get("/metrics", environ_base=OUTSIDE)
    assert outside.status_code == 403
    assert outside.mimetype == "application/problem+json"
    assert "hub_http_requests" not in outside.get_data(as_text=True)
    assert "本机" in outside.json["detail"]
    loopback = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert loopback.status_code == 200
    assert "hub_loads" in loopback.get_data(as_text=True)


def test_with_a_token_setting_metrics_need_that_bearer_token(make_app):
    client = make_app(HUB_SCHEDULER_METRICS_TOKEN="s3cret-scrape")
    for environ in (OUTSIDE, {"REMOTE_ADDR": "127.0.0.1"}):  # loopback is no exception then
        missing = client.get("/metrics", environ_base=environ)
        assert missing.status_code == 401
        assert missing.headers["WWW-Authenticate"] == "Bearer"
        wrong = client.get(
            "/metrics", environ_base=environ, headers={"Authorization": "Bearer guess"}
        )
        assert wrong.status_code == 403
        assert "hub_http_requests" not in wrong.get_data(as_text=True)
    right = client.get(
        "/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer s3cret-scrape"}
    )
    assert right.status_code == 200
    assert right.headers["content-type"].startswith("text/plain")
    assert "hub_http_requests_total" in right.get_data(as_text=True)
