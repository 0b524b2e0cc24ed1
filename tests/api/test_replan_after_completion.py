"""A re-plan after the gate has run trucks: a dock a truck really used, to its actual end and the
disinfection after it, is not given to another truck (H3), whatever the slot in force said; a
truck checked in on that dock keeps its dock (H10), from when the dock is free. (Before: a
completed truck is in no plan, so the re-plan gave its dock away from its planned end, though it
had run 20 minutes late and the dock was still being disinfected; a truck still in operation past
its slot was the same.)"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.api.calls import busy_slot
from tests.api.live_day import dispose, key, live_day

T = datetime.fromisoformat


@pytest.fixture
def day(migrated_database_url, xunwu):
    live = live_day(migrated_database_url, xunwu)
    yield live
    dispose(live)


def _published_pair(day) -> tuple[dict, dict]:
    """A published slot with another one after it on the same dock, within 30 minutes."""
    first = day.plan()
    assert day.publish(first["id"]).status_code == 200
    rows = day.in_force()["assignments"]
    before = busy_slot(rows)
    on_dock = sorted(
        (a for a in rows if (a["hub_id"], a["dock_id"]) == (before["hub_id"], before["dock_id"])),
        key=lambda a: a["start"],
    )
    return before, on_dock[on_dock.index(before) + 1]


def _gate(day, slot: dict, step: str, at: datetime) -> None:
    body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
    response = day.client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}", json=body, headers=day.operator
    )
    assert response.status_code == 200, response.json


def _replanned(day) -> list[dict]:
    job = day.plan()
    rows = day.client.get(f"/api/v1/plans/{job['id']}/assignments", headers=day.admin).json
    return rows if isinstance(rows, list) else rows["items"]


def _on_dock_within(rows: list[dict], slot: dict, start: datetime, end: datetime) -> list[str]:
    """Keys of the loads other than `slot`'s that the plan puts on its dock inside [start, end)."""
    return [
        key(a)
        for a in rows
        if (a["hub_id"], a["dock_id"]) == (slot["hub_id"], slot["dock_id"])
        and key(a) != key(slot)
        and T(a["start"]) < end
        and start < T(a["disinfected_at"])
    ]


def _disinfection(slot: dict) -> timedelta:
    return T(slot["disinfected_at"]) - T(slot["end"])


def test_a_truck_that_finished_late_keeps_its_dock_until_disinfected(day):
    before, after = _published_pair(day)
    started = T(before["start"])
    finished = T(after["start"]) + timedelta(minutes=20)  # ran into the next truck's slot
    _gate(day, before, "check-in", started)
    _gate(day, before, "start", started)
    _gate(day, before, "complete", finished)

    rows = _replanned(day)

    busy = _on_dock_within(rows, before, started, finished + _disinfection(before))
    assert busy == [], busy
    assert key(after) in {key(a) for a in rows}, "the next truck still has a slot"


def test_a_truck_still_in_operation_past_its_slot_keeps_its_dock(day):
    before, after = _published_pair(day)
    started = T(before["start"]) + timedelta(minutes=25)  # started late, still running
    _gate(day, before, "check-in", T(before["start"]))
    _gate(day, before, "start", started)
    length = T(before["disinfected_at"]) - T(before["start"])

    rows = _replanned(day)

    # Its dock, at its real run: the gate moved its slot to the first grid minute at or after
    # its start (services/late_start.py), and the re-plan keeps it there (H10).
    mine = [a for a in rows if key(a) == key(before)]
    assert [a["dock_id"] for a in mine] == [before["dock_id"]]
    assert started <= T(mine[0]["start"]) < started + timedelta(minutes=15), mine
    busy = _on_dock_within(rows, before, started, started + length)
    assert busy == [], busy


def test_a_truck_checked_in_on_that_dock_keeps_its_dock_from_when_it_is_free(day):
    """H10 keeps its dock; its start waits for the dock (tests/api/test_replan_waiting_pin.py)."""
    before, after = _published_pair(day)
    started = T(before["start"])
    finished = T(after["start"]) + timedelta(minutes=20)
    _gate(day, before, "check-in", started)
    _gate(day, before, "start", started)
    _gate(day, after, "check-in", T(after["start"]) - timedelta(minutes=5))
    _gate(day, before, "complete", finished)

    rows = _replanned(day)

    kept = [(a["dock_id"], T(a["start"])) for a in rows if key(a) == key(after)]
    assert [dock for dock, _ in kept] == [after["dock_id"]], "H10: a truck on site keeps its dock"
    assert kept[0][1] >= finished + _disinfection(before), kept


def test_the_days_gate_figures_keep_a_completed_truck_after_a_re_plan_is_published(day):
    """The re-plan drops the completed truck; the plan view still counts its arrival, dwell and
    punctuality (services/gate_figures.py; the trial's figures went from 7 arrivals to 6)."""
    before, _ = _published_pair(day)
    arrived = T(before["start"]) - timedelta(minutes=10)
    _gate(day, before, "check-in", arrived)
    _gate(day, before, "start", T(before["start"]))
    _gate(day, before, "complete", T(before["end"]))
    shown = day.in_force()["plan"]["kpis"]
    assert shown["gate_arrivals"] == 1 and shown["gate_on_time_rate"] == 1.0

    job = day.plan()
    assert day.publish(job["id"]).status_code == 200
    after = day.in_force()

    assert key(before) not in {key(a) for a in after["assignments"]}  # no longer held
    kpis = after["plan"]["kpis"]
    assert kpis["gate_arrivals"] == 1
    assert kpis["gate_on_time_rate"] == 1.0
    assert kpis["actual_dwell_max_minutes"] == shown["actual_dwell_max_minutes"]
    dwell = (T(before["end"]) - arrived).total_seconds() / 60
    assert kpis["actual_dwell_max_minutes"] == round(dwell, 2)
