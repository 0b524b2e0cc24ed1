"""The plan in force per load, and publishers taking turns, on SQLite and PostgreSQL (issue 9)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from samples import DAY, at, plan, schedule

from hub_scheduler.records import JobStatus
from models.uow import SqlUnitOfWork


def _published(uow, start=DAY, end=None, placed=(), left_out=(), when=7.0) -> int:
    with uow:
        saved = uow.plans.add(
            plan(
                start=start,
                end=end,
                status=JobStatus.SUCCEEDED,
                schedule=schedule(list(placed), list(left_out)),
            )
        )
        uow.plans.publish(saved.id, actor="test", at=at(when))
        uow.commit()
    return saved.id


def test_each_load_is_held_by_the_newest_published_plan_that_holds_it(uow):
    day = _published(uow, placed=[("L1", "A1", 8), ("L2", "A1", 9)], left_out=["L3"])
    longer = _published(
        uow,
        start=DAY - timedelta(hours=12),
        placed=[("L2", "A2", 10)],
        left_out=["L1"],
        when=7.5,
    )
    with uow:
        held = uow.plans.in_force()
        assert {k: v.plan_id for k, v in held.items()} == {"L1": longer, "L2": longer, "L3": day}
        assert held["L1"].assignment is None  # left out by the newer plan: no slot in force
        assert held["L2"].assignment.dock_id == "A2"
        assert set(uow.plans.in_force(["L3"])) == {"L3"}
        # The gate and tracing read only what is in force, not the older plan's slot of L2.
        assert [(p.plan_id, p.assignment.load_id) for p in uow.plans.published_assignments()] == [
            (longer, "L2")
        ]


def test_nothing_is_in_force_before_anything_is_published(uow):
    with uow:
        assert uow.plans.in_force() == {}


def test_a_second_publisher_waits_for_the_first_to_commit(uow, session_factory):
    first_has_lock, order = threading.Event(), []

    def first() -> None:
        worker = SqlUnitOfWork(session_factory)
        with worker:
            worker.plans.lock_publishing()
            first_has_lock.set()
            time.sleep(0.6)
            order.append("first commits")
            worker.commit()

    def second() -> None:
        worker = SqlUnitOfWork(session_factory)
        first_has_lock.wait(timeout=10)
        with worker:
            worker.plans.lock_publishing()
            order.append("second has the lock")
            worker.commit()

    _published(uow, placed=[("L1", "A1", 8)])  # a plan row to lock on (SQLite)
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert order == ["first commits", "second has the lock"]
