"""A truck checked in at a hub the command centre suspends keeps its dock at the gate (the new-user
trial of 2026-12-03: the suspension's re-plan went in force without it, as H2 and H10 say, and
then the gate refused its start, `start_without_slot`, with the goods at the dock). The plan still
leaves it out (`dropped`); the gate lets it start at the dock of its slot and complete there
(services/gate_suspended.py). A truck whose dock was blocked at a hub still active, and one that
never checked in, still cannot start. On SQLite and PostgreSQL (`migrated_database_url`)."""

from __future__ import annotations

import re
from datetime import timedelta

from api.database import db
from api.web.signin import CSRF_FIELD
from tests.api.live_day import DAY, key
from tests.api.test_publish_keeps_gate import T, _by_start, _checked_in, _replan_and_publish
from tests.api.test_publish_live import day, published  # noqa: F401  (fixtures)
from tests.api.web_pages import ZH, csrf, signed_in


def _step(live, a: dict, step: str, at):
    return live.client.post(
        f"/api/v1/loads/{a['load_id']}/{step}?enterprise_id={a['enterprise_id']}",
        json={"at": at.isoformat()},
        headers=live.operator,
    )


def _suspend(live, hub_id: str) -> None:
    switched = live.client.post(
        f"/api/v1/hubs/{hub_id}/status",
        json={"status": "suspended", "reason": "positive case nearby"},
        headers=live.admin,
    )
    assert switched.status_code in (200, 202), switched.json


def _dropped(response) -> dict[str, str]:
    """The publish's `dropped`, as load key -> reason code."""
    return {key(e): e["reason_code"] for e in response.json["progress"]["publish"]["dropped"]}


def _on_site_then_suspended(live, published_day: dict) -> tuple[dict, object]:
    """A truck from 10:00 checked in 5 minutes before its slot, its hub suspended, and the
    re-plan published: the truck and its check-in time."""
    truck = next(a for a in _by_start(published_day) if a["start"][11:16] >= "10:00")
    at = T(truck["start"]) - timedelta(minutes=5)
    _checked_in(live, truck, at)
    _suspend(live, truck["hub_id"])
    _, response = _replan_and_publish(live, at + timedelta(minutes=2))
    assert response.status_code == 200, response.json
    assert key(truck) in _dropped(response), response.json["progress"]["publish"]
    assert truck["load_id"] not in live.slots()
    return truck, at


def test_a_truck_on_site_at_a_suspended_hub_starts_at_its_dock_and_completes(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck, at = _on_site_then_suspended(day, published)

    started = _step(day, truck, "start", at + timedelta(minutes=6))

    assert started.status_code == 200, started.json
    assert started.json["status"] == "in_operation"
    assert started.json["pinned"]["hub_id"] == truck["hub_id"]
    assert started.json["pinned"]["dock_id"] == truck["dock_id"]
    uow = db.uow(day.app)
    with uow:
        entry = uow.audit.list(action="load.start", target_id=key(truck))[0]
    assert entry.details["hub_id"] == truck["hub_id"]
    assert entry.details["dock_id"] == truck["dock_id"]
    # The plan still holds no slot for it (H2): reality is the gate's, not the plan's.
    assert truck["load_id"] not in day.slots()

    done = _step(day, truck, "complete", at + timedelta(minutes=90))
    assert done.status_code == 200, done.json
    assert done.json["status"] == "completed"


def test_a_second_truck_on_that_dock_waits_until_the_first_run_is_disinfected(
    day,  # noqa: F811
    published,  # noqa: F811
):
    by_dock: dict[tuple[str, str], list[dict]] = {}
    for a in _by_start(published):
        if a["start"][11:16] >= "09:00":
            by_dock.setdefault((a["hub_id"], a["dock_id"]), []).append(a)
    first, second = next(rows[:2] for rows in by_dock.values() if len(rows) >= 2)
    at = T(first["start"]) - timedelta(minutes=5)
    _checked_in(day, first, at)
    _checked_in(day, second, at)
    assert _step(day, first, "start", T(first["start"])).status_code == 200
    _suspend(day, first["hub_id"])
    _, response = _replan_and_publish(day, T(first["start"]) + timedelta(minutes=2))
    assert response.status_code == 200, response.json
    assert {key(first), key(second)} <= set(_dropped(response))

    # The first truck's run holds the dock (no plan row says so any more: the hub is suspended).
    busy = _step(day, second, "start", T(first["start"]) + timedelta(minutes=10))
    assert busy.status_code == 409, busy.json
    error = busy.json["errors"][0]
    assert (error["code"], error["params"]["dock"]) == ("dock_in_use", first["dock_id"])
    assert error["params"]["until"] == first["disinfected_at"]

    assert _step(day, first, "complete", T(first["end"])).status_code == 200
    free = _step(day, second, "start", T(first["disinfected_at"]))
    assert free.status_code == 200, free.json
    assert free.json["pinned"]["dock_id"] == second["dock_id"] == first["dock_id"]


def test_a_truck_whose_dock_was_blocked_at_an_active_hub_is_still_refused(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck = next(a for a in _by_start(published) if a["start"][11:16] >= "10:00")
    at = T(truck["start"]) - timedelta(minutes=5)
    _checked_in(day, truck, at)
    window = {
        "start": at.isoformat(),
        "end": T(truck["disinfected_at"]).isoformat(),
        "dock_id": truck["dock_id"],
        "reason": "positive case: deep disinfection",
    }
    blocked = day.client.post(
        f"/api/v1/hubs/{truck['hub_id']}/blocked-windows", json=window, headers=day.operator
    )
    assert blocked.status_code == 201, blocked.json
    _, response = _replan_and_publish(day, at + timedelta(minutes=2))
    assert response.status_code == 200, response.json
    assert key(truck) in _dropped(response)

    refused = _step(day, truck, "start", at + timedelta(minutes=6))

    assert refused.status_code == 409, refused.json
    assert refused.json["errors"][0]["code"] == "start_without_slot"
    assert day.statuses()[key(truck)] == "checked_in"


def test_a_truck_that_never_checked_in_at_the_suspended_hub_cannot_start(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck, at = _on_site_then_suspended(day, published)
    waiting = next(
        a
        for a in _by_start(published)
        if a["hub_id"] == truck["hub_id"] and a["start"] > truck["start"]
    )

    refused = _step(day, waiting, "start", at + timedelta(minutes=6))

    assert refused.status_code == 409, refused.json
    assert refused.json["errors"][0]["code"] == "load_status"
    assert day.statuses()[key(waiting)] == "submitted"


def _row(page: str, a: dict) -> str:
    anchor = f"load-{a['enterprise_id']}·{a['load_id']}"
    found = re.search(rf'<li[^>]*id="{re.escape(anchor)}".*?</li>', page, re.S)
    assert found, anchor
    return found.group(0)


def test_the_gate_page_offers_the_start_and_says_why_in_chinese_and_english(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck, _ = _on_site_then_suspended(day, published)
    operator = signed_in(day.app, {"operator": day.operator}, "operator")

    page = operator.get(f"/gate?date={DAY}", headers=ZH).get_data(as_text=True)
    row = _row(page, truck)
    said = re.search(r'data-role="kept-dock"[^>]*>([^<]+)<', row)
    assert said, row
    assert "已暂停" in said.group(1) and truck["dock_id"] in said.group(1), said.group(1)
    assert "直至完成" in said.group(1)
    assert 'data-role="why-no-slot"' not in row  # the plan's words would contradict it
    assert 'data-role="start"' in row and "开始作业" in row

    english = operator.get(f"/gate?date={DAY}", headers={"Accept-Language": "en"})
    said = re.search(
        r'data-role="kept-dock"[^>]*>([^<]+)<', _row(english.get_data(as_text=True), truck)
    )
    assert said and "suspended" in said.group(1).lower() and "dock" in said.group(1)

    tapped = operator.post(
        f"/gate/loads/{key(truck)}/start",
        data={"date": DAY, CSRF_FIELD: csrf(operator, f"/gate?date={DAY}")},
    )
    assert tapped.status_code == 303, tapped.get_data(as_text=True)[:2000]
    assert day.statuses()[key(truck)] == "in_operation"


def test_a_blocked_window_over_the_dock_at_the_suspended_hub_still_refuses_the_start(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck, at = _on_site_then_suspended(day, published)
    window = {
        "start": at.isoformat(),
        "end": (at + timedelta(hours=3)).isoformat(),
        "dock_id": truck["dock_id"],
        "reason": "positive case: deep disinfection",
    }
    blocked = day.client.post(
        f"/api/v1/hubs/{truck['hub_id']}/blocked-windows", json=window, headers=day.operator
    )
    assert blocked.status_code == 201, blocked.json

    refused = _step(day, truck, "start", at + timedelta(minutes=6))

    assert refused.status_code == 409, refused.json
    error = refused.json["errors"][0]
    assert (error["code"], error["params"]["dock"]) == ("dock_blocked", truck["dock_id"])
    assert day.statuses()[key(truck)] == "checked_in"
