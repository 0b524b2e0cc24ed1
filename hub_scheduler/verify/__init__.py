"""The independent verifier: checks a schedule against its scenario, rule by rule; recomputes S1-S5.

It shares no code with the solver. It reads the definitions (docs/rules.md, domain.py, facts.py,
weights.py, screening.py, travel.py) and checks each hard rule by its id with plain pairwise
comparisons and sweeps, so that a wrong plan from a clever solver is caught by dull code. Every
plan the service stores or publishes has passed it.

Layout: `findings` (what a check reports: a `Violation` is a code and params, said in English by
its kind's one template), `plan` (the indexed plan and the report), `checks` (one function per
hard rule, and `CHECKS`), `objective` (S1-S5 recomputed). This module puts them together.
"""

from __future__ import annotations

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.verify.checks import CHECKS, Check
from hub_scheduler.verify.findings import FINDINGS, OBJECTIVE, STRUCTURE, Violation
from hub_scheduler.verify.objective import objective_terms, reported_objective_is_true
from hub_scheduler.verify.plan import Placed, Plan, VerificationReport, index_plan

__all__ = [
    "CHECKS",
    "FINDINGS",
    "OBJECTIVE",
    "STRUCTURE",
    "Check",
    "Placed",
    "Plan",
    "VerificationReport",
    "Violation",
    "index_plan",
    "objective_terms",
    "reported_objective_is_true",
    "verify",
    "violations",
]


def verify(scenario: Scenario, schedule: Schedule) -> VerificationReport:
    """Every violation of the schedule, by rule id, and its objective recomputed from scratch."""
    plan = index_plan(scenario, schedule)
    found = [v for check in CHECKS for v in check(plan)]
    terms = objective_terms(plan)
    objective = sum(terms.values())
    return VerificationReport(found, objective, terms, schedule.objective)


def violations(scenario: Scenario, schedule: Schedule) -> list[Violation]:
    """Every violation of the schedule, as `verify` finds them, without recomputing the objective
    when the schedule reports none (a repair's candidate plans: the S1-S5 sums are a third of a
    verification's time there, `python -m bench.bench_repair --days city --push`)."""
    plan = index_plan(scenario, schedule)
    return [v for check in CHECKS for v in check(plan)]
