"""The verifier's view of a plan: the scenario and schedule indexed once, and what a check reports.

Part of the independent verifier (`hub_scheduler.verify`): it shares no code with the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    Assignment,
    Dock,
    Enterprise,
    Hub,
    Load,
    Scenario,
    Schedule,
    Zone,
)
from hub_scheduler.facts import (
    disinfection_minutes,
)
from hub_scheduler.transitions import NOT_PLANNABLE
from hub_scheduler.verify.findings import Violation

MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Placed:
    """One assignment whose load, hub, zone and dock all exist, with the times the rules use."""

    assignment: Assignment
    load: Load
    hub: Hub
    zone: Zone
    dock: Dock
    start: datetime
    end: datetime  # start + handling, whatever the schedule says (a wrong `end` is STRUCTURE)
    span_end: datetime  # end + disinfection


@dataclass
class VerificationReport:
    """`violations`: each finding (code, params, English `text`), structure first, then the
    hard rules by id, then the objective; `objective` and `terms` (S1-S5) recomputed."""

    violations: list[Violation]
    objective: float
    terms: dict[str, float]
    reported_objective: float | None = None

    @property
    def ok(self) -> bool:
        return not self.violations

    def rules_broken(self) -> set[str]:
        return {v.rule for v in self.violations}


@dataclass
class Plan:
    """The scenario and schedule, indexed once so every check reads plainly."""

    scenario: Scenario
    schedule: Schedule
    tz: ZoneInfo
    loads: dict[str, Load]
    hubs: dict[str, Hub]
    enterprises: dict[str, Enterprise]
    placed: list[Placed] = field(default_factory=list)
    first_placement: dict[str, Placed] = field(default_factory=dict)


# --- per-load facts (docs/rules.md "Per-load facts") ---------------------------------------------


def plannable(load: Load) -> bool:
    return load.status not in NOT_PLANNABLE


def minutes_between(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60


def index_plan(scenario: Scenario, schedule: Schedule) -> Plan:
    """Resolve each assignment to its load, hub, zone and dock (STRUCTURE reports the
    unresolvable)."""
    plan = Plan(
        scenario=scenario,
        schedule=schedule,
        tz=ZoneInfo(scenario.timezone),
        loads={ld.id: ld for ld in scenario.loads},
        hubs={h.id: h for h in scenario.hubs},
        enterprises={e.id: e for e in scenario.enterprises},
    )
    for a in schedule.assignments:
        load, hub = plan.loads.get(a.load_id), plan.hubs.get(a.hub_id)
        zone = hub.zone(a.zone_id) if hub else None
        dock = next((d for d in zone.docks if d.id == a.dock_id), None) if zone else None
        if load is None or hub is None or zone is None or dock is None:
            continue
        end = a.start + timedelta(minutes=load.handling_minutes)
        span_end = end + timedelta(minutes=disinfection_minutes(load, zone, hub))
        placed = Placed(a, load, hub, zone, dock, a.start, end, span_end)
        plan.placed.append(placed)
        if plannable(load):
            plan.first_placement.setdefault(load.id, placed)
    return plan
