"""What moved and why: each reason code from the facts that cause it, on hand-made slots."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    BlockedWindow,
    HubStatus,
    PlanStatus,
    ReasonCode,
    Schedule,
    Unscheduled,
)
from hub_scheduler.services.job_run import with_params
from hub_scheduler.services.plan_changes import MoveReason, compare
from tests.hand_made import HandMade

T0 = datetime(2026, 11, 28, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MADE = HandMade(T0)
at, hub, load, slot = MADE.at, MADE.hub, MADE.load, MADE.slot


def schedule(assignments, unscheduled=()) -> Schedule:
    return Schedule(
        scenario="t",
        status=PlanStatus.FEASIBLE,
        assignments=list(assignments),
        unscheduled=list(unscheduled),
    )


def test_every_reason_from_its_cause_and_kept_loads_are_only_counted():
    loads = {i: load(i) for i in ("kept", "new", "blocked", "late_truck", "less", "room", "gone")}
    loads["late_truck"] = load("late_truck", release=3, due=5)  # arrives after its old slot
    loads["less"] = load("less", due=1.5)  # old slot ended at 3.0: 90 min late; new 30 min
    in_force = {
        "kept": slot("kept", 0),
        "blocked": slot("blocked", 0, dock="D2"),
        "late_truck": slot("late_truck", 1),
        "less": slot("less", 2),
        "room": slot("room", 0.5),
        "gone": slot("gone", 4),
        "new": None,  # held by a published plan, left out there
    }
    new = schedule(
        [
            slot("kept", 0),
            slot("new", 6),
            slot("blocked", 3),
            slot("late_truck", 3.5),
            slot("less", 1, dock="D2"),
            slot("room", 4.5, dock="D2"),
        ],
        [Unscheduled(load_id="gone", reason_code=ReasonCode.CAPACITY, reason="full")],
    )
    window = BlockedWindow(
        id="B1", start=at(0), end=at(1), zone_id="Z1", dock_id="D2", reason="repair"
    )
    changes = compare(new, in_force, loads, [hub(blocked=[window])], plan_id=9)
    reasons = {m.load_id: m.reason for m in changes.moves}
    assert reasons == {
        "new": MoveReason.NEW,
        "blocked": MoveReason.DOCK_BLOCKED,
        "late_truck": MoveReason.ARRIVES_LATER,
        "less": MoveReason.LESS_LATE,
        "room": MoveReason.MADE_ROOM,
        "gone": MoveReason.DROPPED,
    }
    assert changes.kept == 1
    assert changes.moved == 5  # NEW had no slot in force: not a moved truck
    gone = next(m for m in changes.moves if m.load_id == "gone")
    assert gone.new is None and gone.detail == "CAPACITY"
    less = next(m for m in changes.moves if m.load_id == "less")
    assert (less.old_late_minutes, less.new_late_minutes) == (90, 30)
    # late: the new plan's assignments ending after `due` (2 h after T0 by default), worst first
    assert [(a.load_id, m) for a, m in changes.late] == [
        ("new", 300),
        ("room", 210),
        ("blocked", 120),
        ("less", 30),
    ]
    assert changes.late_minutes == 660
    assert changes.unscheduled == 1
    # in time order of the new slot (the old one for a dropped load)
    starts = [(m.new or m.old).start for m in changes.moves]
    assert starts == sorted(starts)


def test_a_suspended_hub_is_the_reason_before_anything_else():
    loads = {"a": load("a", release=5, due=9)}
    changes = compare(
        schedule([slot("a", 6, hub_id="H2")]),
        {"a": slot("a", 0)},
        loads,
        [hub("H1", status=HubStatus.SUSPENDED), hub("H2")],
    )
    assert [m.reason for m in changes.moves] == [MoveReason.HUB_NOT_ACTIVE]


def test_a_job_s_stability_weight_reaches_the_solver_s_objective():
    from hub_scheduler.domain import Horizon, Scenario

    scenario = Scenario(horizon=Horizon(start=at(0), end=at(24)))
    assert scenario.settings.objective.stability == 300.0
    moved = with_params(scenario, {"stability": 0.0, "now": at(1).isoformat()})
    assert moved.settings.objective.stability == 0.0
    assert moved.settings.now == at(1)
    kept = with_params(scenario, {"now": at(1).isoformat()})
    assert kept.settings.objective.stability == 300.0
