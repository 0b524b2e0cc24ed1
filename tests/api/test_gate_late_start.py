"""A truck that starts well after its slot (beyond the gate's clock skew): the plan in force follows
its real run at once. Its row and pin move to the first grid minute at or after its start; a truck
checked in and pinned behind it on that dock waits in turn on the same dock (H10); a scheduled
truck whose slot the run now takes is repaired (`DOCK_TAKEN_BY_LATE_START`); every plan after the
step passes the verifier. A start within the skew whose run meets no other slot moves nothing
(one that does: test_gate_start_overrun.py). (Before: the plan kept the late truck at its planned
time, and showed the truck behind it a slot the dock could not honour.)"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from api.database import db
from api.web.audit_messages import LABELS
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
    job = day.plan()
    assert day.publish(job["id"]).status_code == 200
    rows = day.in_force()["assignments"]
    a = busy_slot(rows)
    on_dock = sorted(
        (r for r in rows if (r["hub_id"], r["dock_id"]) == (a["hub_id"], a["dock_id"])),
        key=lambda r: r["start"],
    )
    return a, on_dock[on_dock.index(a) + 1]


def _step(day, slot: dict, step: str, at: datetime) -> dict:
    body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
    response = day.client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}", json=body, headers=day.operator
    )
    assert response.status_code == 200, response.json
    return response.json


def _row(day, slot: dict) -> dict:
    return next(r for r in day.in_force()["assignments"] if key(r) == key(slot))


def _stored(day, slot: dict):
    uow = db.uow(day.app)
    with uow:
        return uow.loads.get(key(slot))


def _told(day, slot: dict) -> list[dict]:
    uow = db.uow(day.app)
    with uow:
        told = uow.events.list([events.enterprise(slot["enterprise_id"])], limit=None)
    return [
        e.data["reason"]
        for e in told
        if e.type == events.SLOT_CHANGED and e.data["load_id"] == slot["load_id"]
    ]


def _on_grid(moment: datetime) -> bool:
    return (moment - T(DAY_START)) % GRID == timedelta(0)


def _up(moment: datetime) -> datetime:
    """The first grid minute at or after `moment`."""
    return moment + (-(moment - T(DAY_START))) % GRID


def _late(a: dict, b: dict) -> datetime:
    """A start of A late enough that its run, on the grid, reaches into B's slot."""
    started = T(a["start"]) + timedelta(minutes=22)
    assert started + (T(a["disinfected_at"]) - T(a["start"])) > T(b["start"])
    return started


def test_a_late_start_moves_the_trucks_row_and_pin_to_its_real_run(day):
    a, b = _published_pair(day)
    _step(day, a, "check-in", T(a["start"]))
    started = _late(a, b)

    _step(day, a, "start", started)

    row = _row(day, a)
    assert (row["hub_id"], row["dock_id"]) == (a["hub_id"], a["dock_id"])
    assert T(row["start"]) >= started and T(row["start"]) - started < GRID
    assert _on_grid(T(row["start"])), row
    assert T(row["end"]) - T(row["start"]) == T(a["end"]) - T(a["start"])
    assert T(row["disinfected_at"]) - T(row["end"]) == T(a["disinfected_at"]) - T(a["end"])
    stored = _stored(day, a)
    assert stored.status.value == "in_operation" and stored.started_at == started
    assert stored.pinned is not None and stored.pinned.start == T(row["start"])
    assert stored.slot_changed["code"] == "LATE_START", stored.slot_changed
    assert stored.slot_changed["params"]["planned_start"] == a["start"]
    entries = audit_items(day.client, day.admin, key(a), "load.repair")
    assert [e["details"]["code"] for e in entries] == ["LATE_START"]
    assert set(entries[0]["details"]["params"]) <= set(LABELS), "the audit page says each"
    assert [r["code"] for r in _told(day, a)] == ["LATE_START"]
    verify_in_force(day)


def test_a_checked_in_truck_behind_waits_in_turn_on_its_dock(day):
    a, b = _published_pair(day)
    _step(day, a, "check-in", T(a["start"]))
    _step(day, b, "check-in", T(a["start"]))  # early: pinned at its slot, waiting
    started = _late(a, b)

    _step(day, a, "start", started)

    late, new = _row(day, a), _row(day, b)
    assert (new["hub_id"], new["dock_id"]) == (b["hub_id"], b["dock_id"]), "H10"
    assert T(new["start"]) >= T(late["disinfected_at"]), (new, late)
    assert T(new["start"]) < T(late["disinfected_at"]) + GRID and _on_grid(T(new["start"]))
    stored = _stored(day, b)
    assert stored.status.value == "checked_in"
    assert stored.pinned is not None
    assert (stored.pinned.dock_id, stored.pinned.start) == (b["dock_id"], T(new["start"]))
    assert stored.slot_changed["code"] == "DOCK_TAKEN_BY_LATE_START", stored.slot_changed
    assert stored.slot_changed["params"]["new_start"] == new["start"]
    entries = audit_items(day.client, day.admin, key(b), "load.start_moved")
    assert [e["details"]["code"] for e in entries] == ["DOCK_TAKEN_BY_LATE_START"]
    assert set(entries[0]["details"]["params"]) <= set(LABELS), "the audit page says each"
    assert [r["code"] for r in _told(day, b)] == ["DOCK_TAKEN_BY_LATE_START"]
    # No other row of the dock meets B's new span: the trucks after it were repaired.
    rows = day.in_force()["assignments"]
    dock = [r for r in rows if (r["hub_id"], r["dock_id"]) == (b["hub_id"], b["dock_id"])]
    for r in dock:
        if key(r) not in (key(a), key(b)):
            assert not (
                T(r["start"]) < T(new["disinfected_at"])
                and T(new["start"]) < T(r["disinfected_at"])
            ), r
    verify_in_force(day)

    # A finishes in its planned length; B starts at its new slot: the gate takes it.
    _step(day, a, "complete", started + (T(a["end"]) - T(a["start"])))
    _step(day, b, "start", T(new["start"]))


def test_two_checked_in_trucks_behind_wait_in_turn_one_after_the_other(day):
    a, b = _published_pair(day)
    rows = sorted(
        (
            r
            for r in day.in_force()["assignments"]
            if (r["hub_id"], r["dock_id"]) == (a["hub_id"], a["dock_id"])
        ),
        key=lambda r: r["start"],
    )
    c = rows[rows.index(b) + 1]
    whole = {key(r): T(r["disinfected_at"]) - T(r["start"]) for r in (a, b)}
    # A late start whose run pushes B into C's slot (predicted on the 15-minute grid).
    for minutes in range(20, 300, 5):
        started = T(a["start"]) + timedelta(minutes=minutes)
        b_start = _up(_up(started) + whole[key(a)])
        if b_start + whole[key(b)] > T(c["start"]):
            break
    for slot in (a, b, c):
        _step(day, slot, "check-in", T(a["start"]))  # B and C early: pinned, waiting

    _step(day, a, "start", started)

    late, new_b, new_c = _row(day, a), _row(day, b), _row(day, c)
    assert [r["dock_id"] for r in (new_b, new_c)] == [a["dock_id"]] * 2, "H10"
    assert T(new_b["start"]) == b_start
    assert T(new_b["start"]) >= T(late["disinfected_at"])
    assert T(new_c["start"]) == _up(T(new_b["disinfected_at"])) > T(c["start"])
    for slot, new in ((b, new_b), (c, new_c)):
        stored = _stored(day, slot)
        assert stored.pinned is not None and stored.pinned.start == T(new["start"])
        assert stored.slot_changed["code"] == "DOCK_TAKEN_BY_LATE_START"
        assert stored.slot_changed["params"]["for_load"] == key(a)
    verify_in_force(day)


def test_a_scheduled_truck_behind_is_repaired_with_the_reason(day):
    a, b = _published_pair(day)
    _step(day, a, "check-in", T(a["start"]))
    started = _late(a, b)

    _step(day, a, "start", started)

    late = _row(day, a)
    new = _row(day, b)
    same_dock = (new["hub_id"], new["dock_id"]) == (a["hub_id"], a["dock_id"])
    assert not (
        same_dock
        and T(new["start"]) < T(late["disinfected_at"])
        and started < T(new["disinfected_at"])
    ), (new, late)
    stored = _stored(day, b)
    assert stored.status.value == "scheduled" and stored.pinned is None
    assert stored.slot_changed["code"] == "DOCK_TAKEN_BY_LATE_START", stored.slot_changed
    assert stored.slot_changed["params"]["planned_start"] == b["start"]
    assert stored.slot_changed["params"]["new_start"] == new["start"]
    entries = audit_items(day.client, day.admin, key(b), "load.repair")
    assert [e["details"]["code"] for e in entries] == ["DOCK_TAKEN_BY_LATE_START"]
    assert [r["code"] for r in _told(day, b)] == ["DOCK_TAKEN_BY_LATE_START"]
    verify_in_force(day)


def test_a_start_within_the_clock_skew_that_meets_no_slot_moves_nothing(day):
    a, b = _published_pair(day)
    assert T(b["start"]) >= T(a["disinfected_at"]) + timedelta(minutes=5), "B starts after A's run"
    _step(day, a, "check-in", T(a["start"]))
    _step(day, b, "check-in", T(a["start"]))
    before = {key(r): r for r in day.in_force()["assignments"]}

    _step(day, a, "start", T(a["start"]) + timedelta(minutes=5))  # the skew: on time

    after = {key(r): r for r in day.in_force()["assignments"]}
    assert after == before
    for slot in (a, b):
        stored = _stored(day, slot)
        assert stored.slot_changed is None, stored.slot_changed
        assert stored.pinned is not None and stored.pinned.start == T(slot["start"])
    assert audit_items(day.client, day.admin, key(a), "load.repair") == []
    verify_in_force(day)
