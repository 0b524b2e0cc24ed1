"""A stored plan's figures counted again from its rows (`hub_scheduler/plan_figures.py`), so what
`GET /plans/{id}`, `/plans/published`, the plan pages, the board and the list show follows the live
day: the unit of work calls `follow_rows` for every plan whose rows a repair, a no-show or a late
start edited, once, before it commits (`models/uow.py`); a publish calls it for the plan it puts in
force (the merge with the gate changes its rows).

The objective is the verifier's S1-S5 over the plan's loads as they are now
(`plan_figures.counted_loads`), measured against the plan's `FigureBasis` (kept when it was
published; a plan published before it was kept counts S4 against nothing, and the automatic S1
penalty over its own horizon). A plan that claims no objective (a hub's withdrawal copy) still
claims none. When the objective changes, the solver's bound and gap no longer belong to it and are
cleared, as a publish clears them (`publish_check`)."""

from __future__ import annotations

from collections.abc import Iterable

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


def follow_rows(uow: UnitOfWork, plan_ids: Iterable[int]) -> None:
    """Inside the open unit of work: store each plan's figures counted from its rows now."""
    for plan_id in sorted(set(plan_ids)):
        plan = uow.plans.get(plan_id)
        if plan is None or plan.schedule is None:
            continue
        basis = uow.plans.figure_basis(plan_id) or _fallback_basis(uow, plan)
        scenario = figures_scenario(uow, plan, basis)
        uow.plans.set_figures(plan_id, refigured(plan.schedule, scenario))
