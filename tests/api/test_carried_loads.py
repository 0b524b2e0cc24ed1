"""The fresh user's day through the API: a load entered with a release two days ago (201, warning
`release_past`) and a truck of two days ago checked in without a slot are both placed by the day's
plan, and the plan in force stays true to the database (verifier). Before: neither was in any plan
(only loads released inside the horizon were read). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.api.conftest import load_body
from tests.api.live_day import dispose, key, live_day, verify_in_force

T = datetime.fromisoformat
NOW = "2026-11-28T01:30:00+08:00"


@pytest.fixture
def day(migrated_database_url, xunwu):
    live = live_day(migrated_database_url, xunwu)
    yield live
    dispose(live)


def _submit(day, xunwu, **changes) -> dict:
    body = load_body(xunwu, 0, **changes)
    body["screening"]["test_time"] = "2026-11-26T20:00:00+08:00"  # before the release
    response = day.client.post("/api/v1/loads", json=body, headers=day.enterprise)
    assert response.status_code == 201, response.json
    return response.json


def test_loads_released_days_ago_and_waiting_are_placed_by_todays_plan(day, xunwu):
    late = _submit(
        day,
        xunwu,
        release="2026-11-26T22:00:00+08:00",
        due="2026-11-28T14:00:00+08:00",
        deadline=None,
    )
    assert late["status"] == "submitted"
    on_site = _submit(
        day,
        xunwu,
        release="2026-11-26T23:00:00+08:00",
        due="2026-11-28T12:00:00+08:00",
        deadline=None,
    )
    assert day.check_in(on_site["id"], NOW)["status"] == "checked_in"

    job = day.plan(now=NOW)
    assert day.publish(job["id"]).status_code == 200
    shown = day.in_force()
    slots = {key(a): a for a in shown["assignments"]}
    named = {key(u): u for u in shown["unscheduled"]}
    for load in (late, on_site):
        assert key(load) in slots or key(load) in named, key(load)
    assert key(late) in slots and key(on_site) in slots, named.get(key(late))
    assert T(slots[key(late)]["start"]) >= T(NOW)
    assert T(slots[key(on_site)]["start"]) >= T(NOW)  # on site since 01:30
    assert day.statuses()[key(on_site)] == "checked_in"
    verify_in_force(day)
