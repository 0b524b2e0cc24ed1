"""The fresh user's day through the API: a load entered with a release two days ago (201, warning
`release_past`) and a truck of two days ago checked in without a slot are both placed by the day's
plan, and the plan in force stays true to the database (verifier). Before: neither was in any plan
(only loads released inside the horizon were read). On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from api.database import db
from tests.api.conftest import load_body
from tests.api.live_day import dispose, key, live_day, verify_in_force
from tests.api.web_pages import ZH, signed_in

T = datetime.fromisoformat
NOW = "2026-11-28T01:30:00+08:00"
TOMORROW = {"start": "2026-11-29T00:00:00+08:00", "end": "2026-11-30T00:00:00+08:00"}


@pytest.fixture
def day(migrated_database_url, xunwu):
    live = live_day(migrated_database_url, xunwu)
    yield live
    dispose(live)


def _submit(day, xunwu, tested: str = "2026-11-26T20:00:00+08:00", **changes) -> dict:
    body = load_body(xunwu, 0, **changes)
    body["screening"]["test_time"] = tested  # before the release
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


def _schedule(day, plan_id: int):
    uow = db.uow(day.app)
    with uow:
        return uow.plans.get(plan_id).schedule


def _anchors(page, day: str) -> set[str]:
    response = page.get("/gate", query_string={"date": day}, headers=ZH)
    assert response.status_code == 200
    return set(re.findall(r'id="load-([^"]+)"', response.get_data(as_text=True)))


def test_a_load_waiting_today_is_neither_on_tomorrows_gate_nor_in_tomorrows_plan(day, xunwu):
    """The clock is the training day's first minute (HUB_SCHEDULER_PLAN_NOW, 2026-11-28 00:00).
    Before: tomorrow's gate page listed both loads and tomorrow's plan placed them, so publishing
    both days gave them a slot on each day's plan."""
    today = _submit(
        day,
        xunwu,
        tested="2026-11-27T20:00:00+08:00",
        release="2026-11-28T02:00:00+08:00",
        due="2026-11-28T04:00:00+08:00",
        deadline=None,
    )
    yesterday = _submit(
        day,
        xunwu,
        tested="2026-11-27T20:00:00+08:00",
        release="2026-11-27T22:00:00+08:00",
        due="2026-11-28T06:00:00+08:00",
        deadline=None,
    )
    waiting = {f"{ld['enterprise_id']}·{ld['id']}" for ld in (today, yesterday)}
    page = signed_in(day.app, {"operator": day.operator}, "operator")
    assert waiting <= _anchors(page, "2026-11-28")
    assert waiting.isdisjoint(_anchors(page, "2026-11-29"))

    tomorrow = day.plan(horizon=TOMORROW)
    schedule = _schedule(day, tomorrow["id"])
    held = {a.load_id for a in schedule.assignments} | {u.load_id for u in schedule.unscheduled}
    assert held.isdisjoint({key(today), key(yesterday)})
    assert day.publish(tomorrow["id"]).status_code == 200
    job = day.plan()
    assert day.publish(job["id"]).status_code == 200
    # Each has one slot in force, today's (tomorrow's plan held nothing and was retired).
    assert {key(today), key(yesterday)} <= {key(a) for a in day.in_force()["assignments"]}
    assert waiting <= _anchors(page, "2026-11-28")
    assert waiting.isdisjoint(_anchors(page, "2026-11-29"))
    verify_in_force(day)
