"""A plan's figures counted again after its rows were edited, off the edit's transaction
(services/plan_figures.recount), on SQLite and PostgreSQL:

- an edit only marks the figures pending; the job after its commit counts them;
- a recount that read before a later edit never stores over the figures of that edit, whatever
  the order the two recounts write in, and the mark is cleared only when nothing newer came;
- edits and recounts racing in real threads end with the figures a recount from scratch gives.

The Xunwu day, planned first come first served and published, its figures counted at publish.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services.plan_figures import (
    figure_basis,
    follow_rows,
    read_for_recount,
    recount,
    store_recount,
)
from hub_scheduler.solver import fcfs
from models.scenario_store import keyed, store_scenario
from models.uow import SqlUnitOfWork
from tests.threads import all_at_once

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def plan_id(session_factory) -> int:
    scenario = parse_scenario(json.loads((FIXTURES / "xunwu.json").read_text(encoding="utf-8")))
    uow = SqlUnitOfWork(session_factory)
    store_scenario(uow, scenario)
    scenario = keyed(scenario)
    schedule = fcfs(scenario)
    at = scenario.horizon.start
    with uow:
        plan = uow.plans.add(
            Plan(
                horizon_start=scenario.horizon.start,
                horizon_end=scenario.horizon.end,
                status=JobStatus.SUCCEEDED,
                requested_by="test",
                requested_at=at,
                schedule=schedule,
            )
        )
        uow.plans.publish(plan.stored_id, actor="test", at=at)
        uow.plans.set_figure_basis(plan.stored_id, figure_basis(scenario, schedule))
        follow_rows(uow, [plan.stored_id])
        uow.commit()
    return plan.stored_id


def _held(session_factory, held: list[int]) -> SqlUnitOfWork:
    """A unit of work whose commits queue their recounts in `held` (the job not run yet)."""
    return SqlUnitOfWork(session_factory, on_stale_figures=held.extend)


def _later(uow: SqlUnitOfWork, plan_id: int, index: int, minutes: int = 15) -> None:
    """Move the plan's `index`-th row `minutes` later, as a repair does (under the lock)."""
    with uow:
        uow.plans.lock_publishing()
        plan = uow.plans.get(plan_id)
        assert plan is not None and plan.schedule is not None
        row = sorted(plan.schedule.assignments, key=lambda a: a.load_id)[index]
        step = timedelta(minutes=minutes)
        uow.plans.move_assignment(
            plan_id,
            row.model_copy(
                update={
                    "start": row.start + step,
                    "end": row.end + step,
                    "disinfected_at": row.disinfected_at + step,
                }
            ),
        )
        uow.commit()


def _figures(plan: Plan | None) -> tuple:
    assert plan is not None and plan.schedule is not None
    s = plan.schedule
    return s.objective, s.bound, s.gap, s.kpis


def _stored(session_factory, plan_id: int) -> tuple[tuple, bool]:
    """The plan's stored figures and whether they are pending."""
    uow = SqlUnitOfWork(session_factory)
    with uow:
        plan = uow.plans.get(plan_id, with_rows=False)
        assert plan is not None
        return _figures(plan), plan.figures_pending


def _from_scratch(session_factory, plan_id: int) -> tuple:
    """The figures of the plan's rows as they are, counted anew (and not kept)."""
    uow = SqlUnitOfWork(session_factory)
    with uow:
        follow_rows(uow, [plan_id])
        figures = _figures(uow.plans.get(plan_id, with_rows=False))
        uow.rollback()
    return figures


def _recount(session_factory, plan_id: int) -> bool:
    return recount(lambda: SqlUnitOfWork(session_factory), plan_id)


def test_an_edit_marks_the_figures_pending_and_the_job_after_its_commit_counts_them(
    session_factory, plan_id
):
    before, pending = _stored(session_factory, plan_id)
    assert not pending
    held: list[int] = []

    _later(_held(session_factory, held), plan_id, 0, minutes=240)

    assert held == [plan_id]  # one job for the plan, asked after the commit
    stored, pending = _stored(session_factory, plan_id)
    assert pending and stored == before  # the edit did not count them
    assert _from_scratch(session_factory, plan_id) != before
    assert _recount(session_factory, plan_id) is True
    assert _stored(session_factory, plan_id) == (_from_scratch(session_factory, plan_id), False)
    assert _recount(session_factory, plan_id) is False  # a repeated job costs one read


def test_a_recount_that_read_before_a_later_edit_never_writes_over_its_figures(
    session_factory, plan_id
):
    held: list[int] = []
    _later(_held(session_factory, held), plan_id, 0, minutes=240)
    a = read_for_recount(SqlUnitOfWork(session_factory), plan_id)  # recount A reads
    assert a is not None
    _later(_held(session_factory, held), plan_id, 1, minutes=240)  # edit 2
    assert _recount(session_factory, plan_id) is True  # recount B: edit 2's figures

    assert store_recount(SqlUnitOfWork(session_factory), a) is False  # A writes last: refused
    assert _stored(session_factory, plan_id) == (_from_scratch(session_factory, plan_id), False)


def test_a_recount_that_read_before_a_later_edit_stores_but_leaves_them_pending(
    session_factory, plan_id
):
    held: list[int] = []
    _later(_held(session_factory, held), plan_id, 0, minutes=240)
    a = read_for_recount(SqlUnitOfWork(session_factory), plan_id)
    assert a is not None
    _later(_held(session_factory, held), plan_id, 1, minutes=240)

    # A writes first: newer than what was stored, yet older than the rows: still pending.
    assert store_recount(SqlUnitOfWork(session_factory), a) is True
    stored, pending = _stored(session_factory, plan_id)
    assert pending and stored != _from_scratch(session_factory, plan_id)
    assert _recount(session_factory, plan_id) is True  # edit 2's job
    assert _stored(session_factory, plan_id) == (_from_scratch(session_factory, plan_id), False)


def test_edits_and_recounts_racing_in_threads_end_with_the_figures_of_the_rows(
    session_factory, plan_id
):
    # A bare unit of work counts right after its commit, in the editing thread: each edit is
    # followed by its recount, and two more recounts read while the edits commit.
    for round_ in range(4):
        all_at_once(
            [
                lambda r=round_: _later(SqlUnitOfWork(session_factory), plan_id, 2 * r),
                lambda r=round_: _later(SqlUnitOfWork(session_factory), plan_id, 2 * r + 1),
                lambda: _recount(session_factory, plan_id),
                lambda: _recount(session_factory, plan_id),
            ]
        )
        assert _stored(session_factory, plan_id) == (
            _from_scratch(session_factory, plan_id),
            False,
        )
