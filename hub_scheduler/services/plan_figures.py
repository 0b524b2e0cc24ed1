"""A stored plan's figures counted again from its rows (`hub_scheduler/plan_figures.py`), so what
`GET /plans/{id}`, `/plans/published`, the plan pages, the board and the list show follows the live
day.

Two ways, by what asks:
- a row edit (a repair, a no-show, a late start) only marks the plan's figures stale in its own
  transaction (models/repositories/plan_rows.py); after the commit the plan is counted again by
  `recount`, a job of the queue (api/figures.py; with the inline runner, or a bare unit of work,
  right after the commit). Counting a city day costs most of a second: on the gate's request it
  made every late check-in wait for it. Until the recount stores, plan views say
  `figures_pending`.
- a publish counts the plan it puts in force in its own transaction (`follow_rows`: publishing
  is rare and verifies the whole plan anyway; the merge with the gate changes its rows).

`recount` reads the plan in one snapshot (`UnitOfWork.read_snapshot`: a consistent state without
the publishing lock, so the gate never waits for it), counts outside any transaction, and stores
only figures newer than the stored ones (`PlanRepository.store_counted_figures`): of two recounts
racing, the one that read the later edit wins whatever the order they write in, and the mark is
cleared only when no edit came after what was read.

The objective is the verifier's S1-S5 over the plan's loads as they are now
(`plan_figures.counted_loads`), measured against the plan's `FigureBasis` (kept when it was
published; a plan published before it was kept counts S4 against nothing, and the automatic S1
penalty over its own horizon). A plan that claims no objective (a hub's withdrawal copy) still
claims none. When the objective changes, the solver's bound and gap no longer belong to it and are
cleared, as a publish clears them (`publish_check`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hub_scheduler.domain import Horizon, Scenario, Schedule
from hub_scheduler.plan_figures import FigureBasis, counted_loads, plan_objective, row_kpis
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.services.site import read_site

# An objective recounted within this of the stored one has not changed (publish_check's).
_SAME = 1e-6


def _fallback_basis(uow: UnitOfWork, plan: Plan) -> FigureBasis:
    """The basis of a plan published before bases were kept: no slots before it, the site's S1
    penalty or the automatic one over the plan's own horizon."""
    explicit = read_site(uow).settings.objective.unscheduled_penalty
    minutes = Horizon(start=plan.horizon_start, end=plan.horizon_end).minutes
    return FigureBasis(
        unscheduled_penalty=explicit if explicit is not None else 10.0 * minutes,
        horizon_end=plan.horizon_end,
    )


def figures_scenario(uow: UnitOfWork, plan: Plan, basis: FigureBasis) -> Scenario:
    """What `plan`'s figures are counted over: its loads as they are now (counted as the plan
    holds them), the hubs and enterprises, the site's settings with the basis's S1 penalty, and
    the plan's horizon reaching as far as the basis says."""
    schedule = plan.schedule
    assert schedule is not None  # the caller checks
    site = read_site(uow)
    ids = sorted(
        {a.load_id for a in schedule.assignments} | {u.load_id for u in schedule.unscheduled}
    )
    weights = site.settings.objective.model_copy(
        update={"unscheduled_penalty": basis.unscheduled_penalty}
    )
    return Scenario(
        name=site.name,
        timezone=str(site.timezone),
        horizon=Horizon(start=plan.horizon_start, end=max(plan.horizon_end, basis.horizon_end)),
        settings=site.settings.model_copy(update={"objective": weights}),
        hubs=uow.hubs.list(),
        enterprises=uow.enterprises.list(),
        loads=counted_loads(uow.loads.get_many(ids), basis),
    )


def refigured(schedule: Schedule, scenario: Scenario) -> Schedule:
    """`schedule` with its figures counted from its rows over `scenario` (the gate's figures are
    kept: they are counted when read, services/gate_figures.py)."""
    kpis = {**schedule.kpis, **row_kpis(scenario, schedule)}
    update: dict = {"kpis": kpis}
    if schedule.objective is not None:
        objective = plan_objective(scenario, schedule)
        if abs(objective - schedule.objective) > _SAME:
            update |= {"objective": objective, "bound": None, "gap": None}
    return schedule.model_copy(update=update)


def figure_basis(scenario: Scenario, schedule: Schedule) -> FigureBasis:
    """The basis of `schedule` over `scenario` (the state it is published against), its slots
    before the plan cut to the loads it holds."""
    basis = FigureBasis.of(scenario)
    held = {a.load_id for a in schedule.assignments} | {u.load_id for u in schedule.unscheduled}
    previous = {i: p for i, p in basis.previous.items() if i in held}
    return FigureBasis(basis.unscheduled_penalty, basis.horizon_end, previous)


def _counted_over(uow: UnitOfWork, plan_id: int) -> tuple[Schedule, Scenario] | None:
    """Inside the open unit of work: the plan's schedule as stored and what its figures are
    counted over; None when it has no schedule."""
    plan = uow.plans.get(plan_id)
    if plan is None or plan.schedule is None:
        return None
    basis = uow.plans.figure_basis(plan_id) or _fallback_basis(uow, plan)
    return plan.schedule, figures_scenario(uow, plan, basis)


def follow_rows(uow: UnitOfWork, plan_ids: Iterable[int]) -> None:
    """Inside the open unit of work: store each plan's figures counted from its rows now (they
    are no longer pending)."""
    for plan_id in sorted(set(plan_ids)):
        found = _counted_over(uow, plan_id)
        if found is not None:
            uow.plans.set_figures(plan_id, refigured(*found))


@dataclass(frozen=True)
class Reading:
    """What a recount read in its snapshot: the plan as stored at `rows_version`, and what its
    figures are counted over."""

    plan_id: int
    rows_version: int
    schedule: Schedule
    scenario: Scenario


def read_for_recount(uow: UnitOfWork, plan_id: int) -> Reading | None:
    """The plan's rows and loads as one committed state (no lock taken); None when its figures
    are not pending (counted already: a repeated recount costs one read)."""
    with uow:
        uow.read_snapshot()
        versions = uow.plans.figure_versions(plan_id)
        if versions is None or not versions.pending:
            return None
        found = _counted_over(uow, plan_id)
        uow.rollback()
    if found is None:
        return None
    return Reading(plan_id, versions.rows, *found)


def store_recount(uow: UnitOfWork, reading: Reading) -> bool:
    """Count the figures of what was read (outside any transaction) and store them unless newer
    ones are stored already; whether they were stored."""
    schedule = refigured(reading.schedule, reading.scenario)
    with uow:
        stored = uow.plans.store_counted_figures(reading.plan_id, schedule, reading.rows_version)
        uow.commit()
    return stored


def recount(make_uow: Callable[[], UnitOfWork], plan_id: int) -> bool:
    """The job after a row edit: count the plan's figures again if they are still pending, and
    store them (module docstring); whether figures were stored."""
    reading = read_for_recount(make_uow(), plan_id)
    return reading is not None and store_recount(make_uow(), reading)


def recount_plans(make_uow: Callable[[], UnitOfWork], plan_ids: Iterable[int]) -> None:
    """`recount` each plan, one after another."""
    for plan_id in sorted(set(plan_ids)):
        recount(make_uow, plan_id)
