"""Issue 8 regressions: one settings table (README equal to it, every variable honoured from
the environment, re-plans included), the site's own time zone, hub status rules in the API."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from api import create_app
from api.database import db
from api.settings import AppSettings, configuration_table
from api.web.zone import local_zone
from hub_scheduler.services.site import SCENARIO_CONFIG_KEY
from tests.api.conftest import silence

README = Path(__file__).resolve().parents[2] / "README.md"
HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


def test_readme_configuration_table_is_the_settings_table():
    text = README.read_text(encoding="utf-8")
    start = text.index("| variable | default | meaning |")
    end = text.index("\n\n", start)
    assert text[start:end] == configuration_table()
    assert set(re.findall(r"^\| `(\w+)` \|", text[start:end], re.M)) == set(
        AppSettings.model_fields
    )


@pytest.fixture
def env_app(api_database_url, monkeypatch):
    """A fresh app configured only by the environment (nothing overridden but the database)."""
    monkeypatch.setenv("HUB_SCHEDULER_PLAN_TIME_LIMIT_S", "2.5")
    monkeypatch.setenv("HUB_SCHEDULER_JOB_GRACE_S", "7")
    monkeypatch.setenv("HUB_SCHEDULER_JOB_RUNNER", "inline")
    app = create_app({"DATABASE_URL": api_database_url, "TESTING": True})
    yield app
    db.dispose(app)


def test_time_limit_and_grace_from_the_environment_reach_a_status_change_replan(
    env_app, seeded, tokens
):
    client = env_app.test_client()
    response = client.post(
        "/api/v1/hubs/XW-SA-N/status",
        json={"status": "active", "reason": "outbreak", "replan": {"horizon": HORIZON}},
        headers=tokens["admin"],
    )
    assert response.status_code == 200, response.json
    assert response.json["plan"]["params"]["time_limit_s"] == 2.5  # not the 10 s default

    # Grace 7 s: a job silent for its 2.5 s limit plus 8 s is dead (with the default 120 s, alive).
    plan_id = response.json["plan"]["id"]
    silence(env_app, plan_id, timedelta(seconds=10.5))
    job = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json
    assert job["status"] == "failed" and "stopped" in job["error"]


def test_a_bad_setting_in_the_environment_stops_the_app_at_start(monkeypatch, api_database_url):
    monkeypatch.setenv("HUB_SCHEDULER_JOB_GRACE_S", "two minutes")
    with pytest.raises(ValueError, match="HUB_SCHEDULER_JOB_GRACE_S"):
        create_app({"DATABASE_URL": api_database_url})


def test_a_hub_status_change_the_rules_forbid_is_a_409_and_changes_nothing(client, tokens):
    standby_to_suspended = client.post(
        "/api/v1/hubs/XW-SA-N/status",
        json={"status": "suspended", "reason": "no staff"},
        headers=tokens["admin"],
    )
    assert standby_to_suspended.status_code == 409
    assert standby_to_suspended.json["status"] == 409
    assert standby_to_suspended.json["errors"][0]["field"] == "status"
    assert "standby" in standby_to_suspended.json["detail"]
    again = client.post(
        "/api/v1/hubs/XW-LP/status",
        json={"status": "active", "reason": "still open"},
        headers=tokens["admin"],
    )
    assert again.status_code == 409
    assert client.get("/api/v1/hubs/XW-SA-N", headers=tokens["admin"]).json["status"] == "standby"
    audit = client.get("/api/v1/audit?action=hub.status", headers=tokens["admin"]).json["items"]
    assert audit == []


def test_a_status_change_whose_replan_is_refused_is_not_half_written(client, tokens):
    response = client.post(
        "/api/v1/hubs/XW-SA-N/status",
        json={"status": "active", "reason": "drill", "replan": {}},
        headers=tokens["admin"],
    )
    assert response.status_code == 422  # no plan published, no horizon given
    assert client.get("/api/v1/hubs/XW-SA-N", headers=tokens["admin"]).json["status"] == "standby"


def test_a_site_in_berlin_gets_berlin_offsets_in_responses_and_pages(app, client, uow, tokens):
    with uow:
        uow.config.set(SCENARIO_CONFIG_KEY, {"name": "Berlin drill", "timezone": "Europe/Berlin"})
        uow.commit()
    client.patch("/api/v1/hubs/XW-LP", json={"name": "park"}, headers=tokens["admin"])
    entries = client.get("/api/v1/audit?limit=1", headers=tokens["admin"]).json["items"]
    assert entries[0]["at"].endswith("+01:00")  # CET in late November, not +08:00
    with app.test_request_context("/board"):
        assert str(local_zone()) == "Europe/Berlin"


def test_the_timezone_setting_overrides_the_seeded_zone(api_database_url, seeded, uow):
    app = create_app({"DATABASE_URL": api_database_url, "HUB_SCHEDULER_TIMEZONE": "UTC"})
    with app.test_request_context("/"):
        assert str(local_zone()) == "UTC"
    db.dispose(app)
