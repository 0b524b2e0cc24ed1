"""A truck at the gate after its slot gets the earliest feasible slot from its arrival, by a repair
of the published plan that moves no other load and passes the verifier; an early truck is told
its wait. (Before: the late truck was pinned to its past slot, on top of the next truck.)"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hub_scheduler.domain import Assignment, Schedule, Unscheduled
from hub_scheduler.verify import verify
from models.scenario_store import load_scenario, store_scenario
from tests.api.live_day import key

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
PASS = {"has_pass": True}


@pytest.fixture
def published(client, tokens, uow, seeded, xunwu):
    store_scenario(uow, xunwu)
    plan = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    published = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    return _in_force(client, tokens)


def _in_force(client, tokens) -> dict:
    return client.get("/api/v1/plans/published?date=2026-11-28", headers=tokens["admin"]).json


def _violations(uow, in_force: dict) -> set[str]:
    """What the verifier finds in the plan in force, against the database as it is now."""
    start = datetime.fromisoformat(HORIZON["start"])
    scenario = load_scenario(uow, start, start + timedelta(days=1))
    schedule = Schedule(
        scenario=scenario.name,
        status="feasible",
        # the API shows ids with enterprise_id beside them; the database names loads by key
        assignments=[
            Assignment.model_validate({**a, "load_id": key(a)}) for a in in_force["assignments"]
        ],
        unscheduled=[
            Unscheduled.model_validate({**u, "load_id": key(u)}) for u in in_force["unscheduled"]
        ],
    )
    return {v.message for v in verify(scenario, schedule).violations}


def _busy_slot(in_force: dict) -> dict:
    """A slot with another truck on its dock soon after it (a late truck would overlap it)."""
    rows = sorted(in_force["assignments"], key=lambda a: (a["dock_id"], a["start"]))
    for a, b in zip(rows, rows[1:], strict=False):
        gap = datetime.fromisoformat(b["start"]) - datetime.fromisoformat(a["disinfected_at"])
        if (
            a["dock_id"] == b["dock_id"]
            and a["hub_id"] == b["hub_id"]
            and gap < timedelta(minutes=30)
        ):
            return a
    raise AssertionError("the demo day has no busy dock")


def test_a_late_truck_gets_the_earliest_feasible_slot_from_now_and_no_one_else_moves(
    client, tokens, uow, published
):
    slot = _busy_slot(published)
    before = _violations(uow, published)
    arrived = datetime.fromisoformat(slot["start"]) + timedelta(minutes=40)

    response = client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": arrived.isoformat(), **PASS},
    )

    assert response.status_code == 200, response.json
    body = response.json
    new = body["slot"]
    assert datetime.fromisoformat(new["start"]) >= arrived
    assert body["reason"]["code"] == "LATE_ARRIVAL"
    assert body["reason"]["params"]["planned_start"] == slot["start"]
    assert body["reason"]["params"]["new_start"] == new["start"]
    assert body["wait_minutes"] >= 0
    assert body["load"]["pinned"]["start"] == new["start"]
    assert body["load"]["arrived_at"] == arrived.isoformat()

    after = _in_force(client, tokens)
    mine = next(a for a in after["assignments"] if a["load_id"] == slot["load_id"])
    assert mine == new  # the plan in force shows the new slot, never the impossible one
    others = lambda plan: sorted(  # noqa: E731
        (a for a in plan["assignments"] if a["load_id"] != slot["load_id"]),
        key=lambda a: a["load_id"],
    )
    assert others(after) == others(published)
    assert _violations(uow, after) <= before
    assert not any(key(slot) in v for v in _violations(uow, after))


def test_the_repair_is_audited_with_its_reason(client, tokens, published):
    slot = _busy_slot(published)
    arrived = datetime.fromisoformat(slot["start"]) + timedelta(minutes=40)
    client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": arrived.isoformat(), **PASS},
    )
    entries = client.get(
        "/api/v1/audit",
        query_string={"target_id": key(slot), "action": "load.repair"},  # audited by key
        headers=tokens["admin"],
    )
    assert entries.status_code == 200, entries.json
    items = entries.json if isinstance(entries.json, list) else entries.json["items"]
    assert [e["details"]["code"] for e in items] == ["LATE_ARRIVAL"]


def test_an_early_truck_keeps_its_slot_and_is_told_its_wait(client, tokens, published):
    slot = min(published["assignments"], key=lambda a: a["start"])
    arrived = datetime.fromisoformat(slot["start"]) - timedelta(minutes=30)
    body = client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": arrived.isoformat(), **PASS},
    ).json
    assert body["slot"] == slot
    assert body["wait_minutes"] == 30
    assert body["reason"] is None
    assert body["load"]["pinned"]["start"] == slot["start"]


def test_a_truck_on_time_keeps_its_slot_without_a_wait(client, tokens, published):
    slot = max(published["assignments"], key=lambda a: a["start"])
    body = client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": slot["start"], **PASS},
    ).json
    assert body["slot"] == slot and body["wait_minutes"] == 0 and body["reason"] is None


def test_a_truck_too_late_for_any_gap_is_unpinned_with_a_reason(client, tokens, published):
    slot = max(published["assignments"], key=lambda a: a["start"])
    arrived = datetime.fromisoformat(HORIZON["end"]) - timedelta(minutes=5)
    body = client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": arrived.isoformat(), **PASS},
    ).json
    assert body["slot"] is None
    assert body["reason"]["code"] == "NO_SLOT_LEFT"
    assert body["load"]["pinned"] is None
    after = _in_force(client, tokens)
    assert slot["load_id"] not in {a["load_id"] for a in after["assignments"]}


# --- an ETA moved: PATCH of `release` on a scheduled load ---------------------------------------


def test_an_eta_moved_past_the_slot_repairs_it_at_once_and_the_old_slot_is_gone(
    client, tokens, uow, published
):
    slot = _busy_slot(published)
    before = _violations(uow, published)
    eta = datetime.fromisoformat(slot["start"]) + timedelta(minutes=50)

    patched = client.patch(
        f"/api/v1/loads/{slot['load_id']}",
        json={"release": eta.isoformat()},
        headers=tokens["admin"],
    )

    assert patched.status_code == 200, patched.json
    after = _in_force(client, tokens)
    mine = next(a for a in after["assignments"] if a["load_id"] == slot["load_id"])
    assert datetime.fromisoformat(mine["start"]) >= eta
    assert mine["start"] != slot["start"]
    others = lambda plan: sorted(  # noqa: E731
        (a for a in plan["assignments"] if a["load_id"] != slot["load_id"]),
        key=lambda a: a["load_id"],
    )
    assert others(after) == others(published)
    assert _violations(uow, after) <= before
    audit = client.get(
        "/api/v1/audit",
        query_string={"target_id": key(slot), "action": "load.repair"},  # audited by key
        headers=tokens["admin"],
    ).json
    items = audit if isinstance(audit, list) else audit["items"]
    assert [(e["details"]["code"], e["details"]["params"]["new_start"]) for e in items] == [
        ("ETA_CHANGED", mine["start"])
    ]


def test_an_eta_moved_earlier_keeps_the_slot(client, tokens, published):
    slot = _busy_slot(published)
    eta = datetime.fromisoformat(slot["start"]) - timedelta(hours=3)
    patched = client.patch(
        f"/api/v1/loads/{slot['load_id']}",
        json={"release": eta.isoformat()},
        headers=tokens["admin"],
    )
    assert patched.status_code == 200, patched.json
    after = _in_force(client, tokens)
    assert next(a for a in after["assignments"] if a["load_id"] == slot["load_id"]) == slot
