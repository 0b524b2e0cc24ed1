"""The objective S1-S5 recomputed from the assignments alone (docs/rules.md "Objective")."""

from __future__ import annotations

from collections.abc import Iterator

from hub_scheduler.facts import (
    unscheduled_penalty,
)
from hub_scheduler.travel import travel_minutes
from hub_scheduler.verify.findings import Violation
from hub_scheduler.verify.plan import Plan, minutes_between, plannable
from hub_scheduler.weights import load_weight

# --- the objective (docs/rules.md "Objective") ---------------------------------------------


def objective_terms(plan: Plan) -> dict[str, float]:
    """S1-S5 over the plannable loads, from the assignments alone."""
    s = plan.scenario
    weights = s.settings.objective
    u = unscheduled_penalty(s)
    terms = {"S1": 0.0, "S2": 0.0, "S3": 0.0, "S4": 0.0, "S5": 0.0}
    for load in s.loads:
        if not plannable(load):
            continue
        w = load_weight(load, plan.enterprises.get(load.enterprise_id))
        p = plan.first_placement.get(load.id)
        if p is None:
            terms["S1"] += u * w
        else:
            terms["S2"] += w * max(0.0, minutes_between(p.end, load.due))
            terms["S3"] += weights.waiting * w * minutes_between(p.start, load.release)
            terms["S5"] += weights.travel * travel_minutes(load.origin, p.hub.location)
        if load.previous is not None:
            prev = load.previous
            moved = p is None or (p.hub.id, p.dock.id, p.start) != (
                prev.hub_id,
                prev.dock_id,
                prev.start,
            )
            terms["S4"] += weights.stability * moved
    return terms


def reported_objective_is_true(plan: Plan) -> Iterator[Violation]:
    """OBJECTIVE the reported objective equals the recomputed one; the bound does not exceed it."""
    reported = plan.schedule.objective
    bound = plan.schedule.bound
    if reported is None and bound is None:
        return  # nothing reported to check (a candidate plan of a repair): skip the sums
    objective = sum(objective_terms(plan).values())
    tolerance = max(0.01, 1e-6 * abs(objective))
    if reported is not None and abs(reported - objective) > tolerance:
        yield Violation.of("objective_differs", reported=reported, objective=objective)
    if bound is not None and bound > objective + tolerance:
        yield Violation.of("bound_above", bound=bound, objective=objective)
