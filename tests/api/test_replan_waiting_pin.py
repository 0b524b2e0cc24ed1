"""A truck checked in and pinned on a dock that another truck, overrunning at the gate, still holds:
a re-plan keeps it on its dock (H10) from when the dock is free, the trucks after it follow, the
published plan passes the verifier, the load's stored pin follows (with an audit entry, the
load's `slot_changed` and its slot event), and the gate takes its start at the new slot. (Before:
the re-plan kept its pinned start inside the other truck's run, the trucks after it were planned
from there, and the gate refused it `dock_in_use` at the start the plan in force gave it.) When
nothing overruns, the pin stays as it is."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from api.database import db
from hub_scheduler.services import events
from tests.api.calls import audit_items, busy_slot
from tests.api.live_day import DAY_START, dispose, key, live_day, verify_in_force

T = datetime.fromisoformat
GRID = timedelta(minutes=15)  # the Xunwu site's slot (settings.slot_minutes)


@pytest.fixture
def day(migrated_database_url, xunwu):
    live = live_day(migrated_database_url, xunwu)
    yield live
    dispose(live)


def _published_pair(day) -> tuple[dict, dict]:
    """A published slot (A) and the next one on its dock (B), within 30 minutes of A's
    disinfection's end."""
    first = day.plan()
    assert day.publish(first["id"]).status_code == 200
    rows = day.in_force()["assignments"]
    before = busy_slot(rows)
    on_dock = sorted(
        (a for a in rows if (a["hub_id"], a["dock_id"]) == (before["hub_id"], before["dock_id"])),
        key=lambda a: a["start"],
    )
    return before, on_dock[on_dock.index(before) + 1]


def _gate(day, slot: dict, step: str, at: datetime):
    body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
    return day.client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}", json=body, headers=day.operator
    )


def _step(day, slot: dict, step: str, at: datetime) -> None:
    response = _gate(day, slot, step, at)
    assert response.status_code == 200, response.json


def _replan_and_publish(day) -> list[dict]:
    """A re-plan job (as the API runs it), published; the plan in force's rows after it."""
    job = day.plan()
    response = day.publish(job["id"])
    assert response.status_code == 200, response.json
    return day.in_force()["assignments"]


def _stored(day, slot: dict):
    uow = db.uow(day.app)
    with uow:
        return uow.loads.get(key(slot))


def _on_grid(moment: datetime) -> bool:
    return (moment - T(DAY_START)) % GRID == timedelta(0)


def test_a_checked_in_truck_waits_for_the_truck_that_overran(day):
    """A started on time but finished late, into B's slot: its dock is disinfected after that.
    (A late start is followed by the gate at once: tests/api/test_gate_late_start.py.)"""
    a, b = _published_pair(day)
    disinfection = T(a["disinfected_at"]) - T(a["end"])
    finished = T(b["start"]) + timedelta(minutes=10)  # A overran into B's slot
    free = finished + disinfection  # when A's run frees the dock (dock_busy)
    _step(day, a, "check-in", T(a["start"]))
    _step(day, a, "start", T(a["start"]))
    _step(day, b, "check-in", T(b["start"]) - timedelta(minutes=5))  # pinned at B's slot
    _step(day, a, "complete", finished)

    rows = _replan_and_publish(day)

    verify_in_force(day)
    mine = [r for r in rows if key(r) == key(b)]
    assert [(r["hub_id"], r["dock_id"]) for r in mine] == [(b["hub_id"], b["dock_id"])], "H10"
    new = mine[0]
    assert T(new["start"]) >= free, (new["start"], free)
    assert T(new["start"]) < free + GRID and _on_grid(T(new["start"])), "the first slot after"
    later = [
        r
        for r in rows
        if (r["hub_id"], r["dock_id"]) == (b["hub_id"], b["dock_id"])
        and key(r) not in (key(a), key(b))
        and T(r["start"]) >= T(b["start"])
    ]
    assert [r for r in later if T(r["start"]) < T(new["disinfected_at"])] == []

    # The stored pin says what the plan in force says (the gate, the trace, the next re-plan).
    stored = _stored(day, b)
    assert stored.pinned is not None
    assert (stored.pinned.dock_id, stored.pinned.start) == (b["dock_id"], T(new["start"]))
    assert stored.slot_changed["code"] == "DOCK_STILL_IN_USE", stored.slot_changed
    assert stored.slot_changed["params"]["new_start"] == new["start"]
    entries = audit_items(day.client, day.admin, key(b), "load.start_moved")
    assert [e["details"]["code"] for e in entries] == ["DOCK_STILL_IN_USE"]
    uow = db.uow(day.app)
    with uow:
        told = uow.events.list([events.enterprise(b["enterprise_id"])], limit=None)
    moved = [
        e.data for e in told if e.type == events.SLOT_CHANGED and e.data["load_id"] == b["load_id"]
    ]
    assert [m["reason"]["code"] for m in moved] == ["DOCK_STILL_IN_USE"], moved

    # B starts at its new slot: the dock is free.
    response = _gate(day, b, "start", T(new["start"]))
    assert response.status_code == 200, response.json


def test_a_checked_in_truck_keeps_its_pin_when_nothing_overruns(day):
    a, b = _published_pair(day)
    _step(day, a, "check-in", T(a["start"]))
    _step(day, a, "start", T(a["start"]))
    _step(day, a, "complete", T(a["start"]) + timedelta(minutes=5))  # done early
    _step(day, b, "check-in", T(b["start"]) - timedelta(minutes=5))

    rows = _replan_and_publish(day)

    verify_in_force(day)
    kept = [(r["dock_id"], r["start"]) for r in rows if key(r) == key(b)]
    assert kept == [(b["dock_id"], b["start"])]
    stored = _stored(day, b)
    assert stored.pinned is not None and stored.pinned.start == T(b["start"])
    assert audit_items(day.client, day.admin, key(b), "load.start_moved") == []
    response = _gate(day, b, "start", T(b["start"]))
    assert response.status_code == 200, response.json
