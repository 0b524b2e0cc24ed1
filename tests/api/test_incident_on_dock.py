"""A positive driver reported while his truck is still on the dock (the trial's L110: in operation
on LP-AMB1 from 16:10, reported at 16:11:47): the dock's deep disinfection starts when his row
gives the dock up (his run's end and its ordinary disinfection), not at the report, so the re-plan
keeps his row (H10) and the published plan passes the verifier; the scheduled truck behind him on
that dock is moved off until the block ends; once he completes, no plan lists him unscheduled. A
truck that checked in and waits pinned on the dock is treated alike (H10 keeps it there), and so is
one checked in early for a slot that starts after the report: he keeps that slot (H10) and the
dock is blocked from when his later run gives it up (before: no block at all, as only runs that
had started by the report were blocked). (Before: the block ran from the report, over his own
run; the re-plan left him out with CAPACITY, publish kept nothing on site, and the completed
truck stayed in the plan's unscheduled list.)"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from api.database import db
from tests.api.calls import busy_slot
from tests.api.live_day import dispose, key, live_day, verify_in_force

T = datetime.fromisoformat
MIN = timedelta(minutes=1)
DEEP = timedelta(minutes=120)  # the incident's default disinfection_minutes


@pytest.fixture
def day(migrated_database_url, xunwu):
    """The Xunwu day planned as of 00:00 and published."""
    live = live_day(migrated_database_url, xunwu)
    assert live.publish(live.plan()["id"]).status_code == 200
    yield live
    dispose(live)


def _pair(day) -> tuple[dict, dict]:
    """A published slot (P, the positive truck) and the next one on its dock (B, scheduled)."""
    rows = day.in_force()["assignments"]
    mine = busy_slot(rows)
    lane = sorted(
        (a for a in rows if (a["hub_id"], a["dock_id"]) == (mine["hub_id"], mine["dock_id"])),
        key=lambda a: a["start"],
    )
    return mine, lane[lane.index(mine) + 1]


def _gate(day, slot: dict, step: str, at: datetime) -> None:
    body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
    url = f"/api/v1/loads/{slot['load_id']}/{step}?enterprise_id={slot['enterprise_id']}"
    response = day.client.post(url, json=body, headers=day.operator)
    assert response.status_code == 200, (step, response.json)


def _report(day, slot: dict, at: datetime) -> dict:
    body = {
        "load_id": slot["load_id"],
        "enterprise_id": slot["enterprise_id"],
        "at": at.isoformat(),
        "time_limit_s": 1,
    }
    response = day.client.post("/api/v1/incidents", json=body, headers=day.admin)
    assert response.status_code == 201, response.json
    return response.json


def _block(day, slot: dict, incident: dict) -> tuple[datetime, datetime]:
    """The incident's one block, on `slot`'s dock: its start and end."""
    assert len(incident["blocked_window_ids"]) == 1, incident
    hub = day.client.get(f"/api/v1/hubs/{slot['hub_id']}", headers=day.admin).json
    window = next(b for b in hub["blocked"] if b["id"] == incident["blocked_window_ids"][0])
    assert window["dock_id"] == slot["dock_id"]
    return T(window["start"]), T(window["end"])


def _publish_the_repair(day, reported: dict) -> dict:
    """The incident's re-plan (run inline), published; the publish's answer."""
    plan_id = reported["plan"]["id"]
    job = day.client.get(f"/api/v1/plans/{plan_id}", headers=day.admin).json
    assert job["status"] == "succeeded", job
    response = day.publish(plan_id)
    assert response.status_code == 200, response.json
    return response.json


def _at(a: dict) -> tuple[str, str, datetime]:
    return a["hub_id"], a["dock_id"], T(a["start"])


def _unscheduled(day) -> set[str]:
    return {key(u) for u in day.in_force()["unscheduled"]}


def _status(day, load_key: str) -> str:
    uow = db.uow(day.app)
    with uow:
        load = uow.loads.get(load_key)
    assert load is not None
    return load.status.value


IN_OPERATION, WAITING, BEFORE_SLOT = "in_operation", "checked_in", "checked_in_before_slot"
ON_DOCK = pytest.mark.parametrize("when", [IN_OPERATION, WAITING, BEFORE_SLOT])


def _reported_on_dock(day, when: str) -> tuple[dict, dict, dict]:
    """P checked in 5 minutes early and (IN_OPERATION) started at its slot; his driver reported
    positive 1:47 into the slot. BEFORE_SLOT: P checked in 40 minutes early, his driver reported
    20 minutes before his slot starts. (P, B behind him, the incident's answer.)"""
    p, behind = _pair(day)
    if when == BEFORE_SLOT:
        _gate(day, p, "check-in", T(p["start"]) - 40 * MIN)
        return p, behind, _report(day, p, T(p["start"]) - 20 * MIN)
    _gate(day, p, "check-in", T(p["start"]) - 5 * MIN)
    if when == IN_OPERATION:
        _gate(day, p, "start", T(p["start"]))
    at = T(p["start"]) + MIN + timedelta(seconds=47)  # 16:11:47 in the trial
    return p, behind, _report(day, p, at)


@ON_DOCK
def test_the_block_of_the_dock_he_is_on_starts_when_his_row_gives_it_up(day, when):
    p, _, reported = _reported_on_dock(day, when)

    start, end = _block(day, p, reported["incident"])
    assert start == T(p["disinfected_at"]) > T(reported["incident"]["reported_at"]), (start, p)
    assert end == start + DEEP
    assert _status(day, key(p)) == ("in_operation" if when == IN_OPERATION else "checked_in")
    assert reported["incident"]["cancelled_load_ids"] == []  # on site: he keeps his slot (H10)


@ON_DOCK
def test_the_repair_keeps_his_row_and_moves_the_truck_behind_him(day, when):
    p, behind, reported = _reported_on_dock(day, when)
    start, end = _block(day, p, reported["incident"])

    published = _publish_the_repair(day, reported)

    slots = day.slots()
    assert p["load_id"] in slots, (published, day.in_force()["unscheduled"])
    assert _at(slots[p["load_id"]]) == _at(p)  # H10: his row where he is
    assert key(p) not in _unscheduled(day)
    verify_in_force(day)
    # Nobody else on his dock from his start until the deep disinfection is over.
    for load_id, a in slots.items():
        if load_id != p["load_id"] and (a["hub_id"], a["dock_id"]) == (p["hub_id"], p["dock_id"]):
            assert T(a["disinfected_at"]) <= T(p["start"]) or T(a["start"]) >= end, a
    # The scheduled truck behind him is moved off (as before).
    moved = slots.get(behind["load_id"])
    assert moved is None or _at(moved) != _at(behind), moved


@ON_DOCK
def test_once_he_completes_no_plan_lists_him_unscheduled(day, when):
    p, _, reported = _reported_on_dock(day, when)
    _publish_the_repair(day, reported)
    if when != IN_OPERATION:  # his slot on the dock is his to start (the block follows it)
        _gate(day, p, "start", T(p["start"]))

    _gate(day, p, "complete", T(p["end"]))

    assert key(p) not in _unscheduled(day)
    again = day.plan(now=(T(p["end"]) + MIN).isoformat())
    assert day.publish(again["id"]).status_code == 200
    assert key(p) not in _unscheduled(day)
    verify_in_force(day)


def test_a_dock_the_positive_truck_already_left_is_blocked_from_the_report(day):
    """Completed before the report: his dock is closed from `at` (as before)."""
    p, _ = _pair(day)
    _gate(day, p, "check-in", T(p["start"]))
    _gate(day, p, "start", T(p["start"]))
    _gate(day, p, "complete", T(p["end"]))
    at = T(p["end"]) + MIN

    reported = _report(day, p, at)

    assert _block(day, p, reported["incident"]) == (at, at + DEEP)
    _publish_the_repair(day, reported)
    assert key(p) not in _unscheduled(day)
    verify_in_force(day)
