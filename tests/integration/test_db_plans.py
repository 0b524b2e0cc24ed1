"""Publishing: one published plan per horizon, replaced atomically, guarded by the database."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from samples import DAY, at, plan, schedule
from sqlalchemy.exc import IntegrityError
from threads import all_at_once

from hub_scheduler.domain import ReasonCode, Unscheduled
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.records import JobStatus
from models.tables import PlanRow


@pytest.fixture
def uow(any_uow):
    """The repository contract: every test here runs on the fake, SQLite and PostgreSQL."""
    return any_uow


def finished_plan(uow, start=DAY, placed=(("L1", "A1", 8),)):
    with uow:
        saved = uow.plans.add(
            plan(start=start, status=JobStatus.SUCCEEDED, schedule=schedule(list(placed)))
        )
        uow.commit()
    return saved.id


def test_publishing_a_plan_unpublishes_the_previous_one_of_the_same_horizon(uow):
    first, second = finished_plan(uow), finished_plan(uow, placed=[("L1", "A2", 9)])
    with uow:
        uow.plans.publish(first, actor="manager", at=at(7))
        uow.commit()
    with uow:
        published = uow.plans.publish(second, actor="command", at=at(7.5))
        uow.commit()
    assert (published.published, published.published_by, published.published_at) == (
        True,
        "command",
        at(7.5),
    )
    with uow:
        assert uow.plans.get(first).published is False
        assert uow.plans.published_for(DAY, DAY + timedelta(days=1)).id == second
        assert [p.id for p in uow.plans.list(published=True)] == [second]


def test_publishing_leaves_other_horizons_alone(uow):
    today, tomorrow = finished_plan(uow), finished_plan(uow, start=DAY + timedelta(days=1))
    with uow:
        uow.plans.publish(today)
        uow.plans.publish(tomorrow)
        uow.commit()
    with uow:
        assert {p.id for p in uow.plans.list(published=True)} == {today, tomorrow}


def test_published_for_a_moment_finds_the_plan_covering_it(uow):
    plan_id = finished_plan(uow)
    with uow:
        assert uow.plans.published_for(at(10)) is None
        uow.plans.publish(plan_id)
        uow.commit()
    with uow:
        assert uow.plans.published_for(at(10)).id == plan_id
        assert uow.plans.published_for(at(10)).schedule.assignments  # with its rows
        assert uow.plans.published_for(at(30)) is None


def test_only_a_succeeded_plan_with_a_schedule_can_be_published(uow):
    with uow:
        queued = uow.plans.add(plan()).id
        uow.commit()
    with uow, pytest.raises(Conflict):
        uow.plans.publish(queued)
    with uow, pytest.raises(NotFound):
        uow.plans.publish(12345)


def test_the_database_refuses_two_published_plans_for_one_horizon(sql_uow):
    uow = sql_uow
    first, second = finished_plan(uow), finished_plan(uow)
    with uow:
        uow.plans.publish(first)
        uow.commit()
    # Bypass the repository, as a racing second writer would: the partial unique index says no.
    with uow:
        uow.session.get(PlanRow, second).published = True
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_unpublish_leaves_no_published_plan(uow):
    plan_id = finished_plan(uow)
    with uow:
        uow.plans.publish(plan_id)
        uow.plans.unpublish(plan_id)
        uow.commit()
    with uow:
        assert uow.plans.published_for(DAY, DAY + timedelta(days=1)) is None


def test_published_assignments_are_found_by_dock_and_time(uow):
    published = finished_plan(uow, placed=[("L1", "A1", 8), ("L2", "A1", 10), ("L3", "A2", 8)])
    finished_plan(uow, placed=[("L9", "A1", 8)])  # not published: never listed
    with uow:
        uow.plans.publish(published)
        uow.commit()
    with uow:
        on_a1 = uow.plans.published_assignments(hub_id="H1", dock_id="A1")
        overlapping = uow.plans.published_assignments(start_before=at(9), end_after=at(8.2))
        of_l3 = uow.plans.published_assignments(load_ids=["L3"])
    assert [p.assignment.load_id for p in on_a1] == ["L1", "L2"]
    assert {p.assignment.load_id for p in overlapping} == {"L1", "L3"}
    assert of_l3[0].plan_id == published and of_l3[0].assignment.dock_id == "A2"


def test_plan_list_filters_by_horizon_and_pages_newest_first(uow):
    ids = [finished_plan(uow) for _ in range(3)] + [
        finished_plan(uow, start=DAY + timedelta(days=1))
    ]
    with uow:
        assert [p.id for p in uow.plans.list(horizon_start=DAY)] == ids[2::-1]
        assert [p.id for p in uow.plans.list(limit=2, offset=1)] == [ids[2], ids[1]]


def test_concurrent_publishers_of_one_horizon_take_turns_and_leave_one_published(
    sql_uow, session_factory
):
    uow = sql_uow
    from models.uow import SqlUnitOfWork

    plan_ids = [finished_plan(uow) for _ in range(4)]

    def publish(plan_id: int) -> None:
        worker = SqlUnitOfWork(session_factory)  # one unit of work per thread
        with worker:
            worker.plans.publish(plan_id, actor=f"thread {plan_id}")
            worker.commit()

    all_at_once([partial(publish, pid) for pid in plan_ids])  # raises what a publisher raised
    with uow:
        assert len(uow.plans.list(published=True)) == 1


def test_moving_a_load_the_plan_has_no_row_for_adds_one_and_takes_it_off_the_unscheduled(uow):
    # A walk-in (services/gate_no_slot.py): the plan left L2 out; its new slot is added, and the
    # plan no longer lists it among the unscheduled (a load is placed or unscheduled, never both).
    with uow:
        saved = uow.plans.add(
            plan(
                status=JobStatus.SUCCEEDED,
                schedule=schedule([("L1", "A1", 8)], left_out=["L2", "L3"]),
            )
        )
        uow.plans.publish(saved.id)
        uow.commit()
    slot = schedule([("L2", "A2", 9)]).assignments[0]
    with uow:
        uow.plans.published_for(at(9))  # the plan read first, as the gate's walk-in does
        uow.plans.move_assignment(saved.id, slot)
        after = uow.plans.get(saved.id)
        uow.commit()
    assert [a.load_id for a in after.schedule.assignments] == ["L1", "L2"]
    assert after.schedule.assignments[1] == slot
    assert [u.load_id for u in after.schedule.unscheduled] == ["L3"]
    with uow:
        held = uow.plans.in_force(["L2", "L3"])
    assert held["L2"].assignment == slot and held["L3"].assignment is None


def test_leaving_a_load_out_takes_its_row_and_lists_it_once_with_the_reason(uow):
    # A repair with no slot left (services/repair.py): L1's row goes and the plan lists it among
    # its unscheduled loads with the code, detail and params; a second leave-out of L1 replaces
    # its entry, an entry of a load the plan had already left out (L3) is replaced too. The
    # stored figures follow the rows when the edits commit (services/plan_figures.py); figures
    # the rows do not give (the solver's own extras) stay.
    with uow:
        saved = uow.plans.add(
            plan(
                status=JobStatus.SUCCEEDED,
                schedule=schedule([("L1", "A1", 8), ("L2", "A2", 9)], left_out=["L3"]),
            )
        )
        uow.plans.publish(saved.id)
        uow.commit()
    late = Unscheduled(
        load_id="L1",
        reason_code=ReasonCode.NO_SLOT_LEFT,
        reason="no slot is left in the plan in force (LATE_ARRIVAL)",
        reason_detail="no_slot_left",
        reason_params={"cause": "LATE_ARRIVAL", "new_start": None, "moved": [], "tried": 4},
    )
    passed = late.model_copy(
        update={
            "reason_code": ReasonCode.DEADLINE_PASSED,
            "reason_detail": "deadline_passed",
            "reason_params": {"cause": "ETA_CHANGED", "deadline_field": "due"},
        }
    )
    with uow:
        uow.plans.get(saved.id)  # the rows read first, as a page in the same request would
        uow.plans.leave_out(saved.id, late)
        first = uow.plans.get(saved.id)
        uow.plans.leave_out(saved.id, passed)
        uow.plans.leave_out(saved.id, late.model_copy(update={"load_id": "L3"}))
        uow.commit()
    assert [a.load_id for a in first.schedule.assignments] == ["L2"]
    assert [(u.load_id, u.reason_code) for u in first.schedule.unscheduled] == [
        ("L3", ReasonCode.CAPACITY),
        ("L1", ReasonCode.NO_SLOT_LEFT),
    ]
    assert first.schedule.unscheduled[1] == late
    with uow:
        after = uow.plans.get(saved.id)
        held = uow.plans.in_force(["L1", "L2", "L3"])
    assert [u.load_id for u in after.schedule.unscheduled] == ["L1", "L3"]
    assert after.schedule.unscheduled[0] == passed
    assert after.schedule.unscheduled[1].reason_params == late.reason_params
    kpis = after.schedule.kpis
    assert (kpis["placed"], kpis["unscheduled"]) == (1, 2)
    assert (kpis["tardiness_minutes"], kpis["per_hub"]) == (12, {"H1": 2})
    assert held["L1"].assignment is None and held["L3"].assignment is None
    assert held["L2"].assignment == after.schedule.assignments[0]


def test_the_stored_counts_follow_a_row_added_or_dropped_when_it_commits(uow):
    with uow:
        saved = uow.plans.add(
            plan(
                status=JobStatus.SUCCEEDED,
                schedule=schedule([("L1", "A1", 8)], left_out=["L2"]),
            )
        )
        uow.commit()
    # Counted when each edit commits (services/plan_figures.py), once per transaction.
    with uow:
        uow.plans.move_assignment(saved.id, schedule([("L2", "A2", 9)]).assignments[0])
        uow.commit()
        added = uow.plans.get(saved.id).schedule.kpis
        assert uow.plans.drop_assignment(saved.id, "L1")
        uow.commit()
        dropped = uow.plans.get(saved.id).schedule.kpis
    assert (added["placed"], added["unscheduled"]) == (2, 0)
    assert (dropped["placed"], dropped["unscheduled"]) == (1, 0)
