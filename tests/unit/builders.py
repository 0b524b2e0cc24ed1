"""Builders for tiny hand-made scenarios and schedules: minutes from the horizon start in."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone

from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    Dock,
    Enterprise,
    Horizon,
    Hub,
    Load,
    OpeningPeriod,
    PlanStatus,
    Position,
    ReasonCode,
    Scenario,
    Schedule,
    Settings,
    Transfer,
    Unscheduled,
    Zone,
)
from hub_scheduler.facts import disinfection_minutes

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 27, 0, 0, tzinfo=CST)  # local midnight in Asia/Shanghai


def at(minutes: float) -> datetime:
    """The moment `minutes` after the horizon start."""
    return T0 + timedelta(minutes=minutes)


def make_zone(
    id: str = "Z1", temperature: str = "ambient", docks: Iterable[str] = ("D1",), **fields
) -> Zone:
    return Zone(id=id, temperature=temperature, docks=[Dock(id=d) for d in docks], **fields)


def make_hub(
    id: str = "H1",
    zones: list[Zone] | None = None,
    opening_hours: list[tuple[str, str]] | None = None,
    blocked: Iterable[dict] = (),
    **fields,
) -> Hub:
    """A hub (one ambient zone Z1 with dock D1 by default); blocked windows as dicts in minutes."""
    return Hub(
        id=id,
        zones=zones if zones is not None else [make_zone()],
        opening_hours=(
            None
            if opening_hours is None
            else [OpeningPeriod(start=s, end=e) for s, e in opening_hours]
        ),
        blocked=[
            BlockedWindow(**{**b, "start": at(b["start"]), "end": at(b["end"])}) for b in blocked
        ],
        **fields,
    )


def make_enterprise(id: str = "E1", **fields) -> Enterprise:
    return Enterprise(id=id, name=fields.pop("name", id), **fields)


def position(hub_id: str, dock_id: str, start: float) -> Position:
    return Position(hub_id=hub_id, dock_id=dock_id, start=at(start))


def make_load(
    id: str = "L1",
    release: float = 0,
    due: float = 120,
    handling: int = 30,
    temperature: str = "ambient",
    category: str = "medical_supplies",
    enterprise_id: str = "E1",
    deadline: float | None = None,
    **fields,
) -> Load:
    """A load with times in minutes from the horizon start."""
    return Load(
        id=id,
        enterprise_id=enterprise_id,
        category=category,
        temperature=temperature,
        handling_minutes=handling,
        release=at(release),
        due=at(due),
        deadline=None if deadline is None else at(deadline),
        **fields,
    )


def job_loads(jobs: Iterable[tuple[int, int, int, int]]) -> list[Load]:
    """Loads L0, L1, ... from (release, handling, due, weight) jobs, in minutes from T0."""
    return [
        make_load(f"L{i}", release=r, handling=p, due=d, priority_weight=w)
        for i, (r, p, d, w) in enumerate(jobs)
    ]


def one_machine_optimum(jobs: Sequence[tuple[int, int, int, int]], slot: int, gap: int) -> int:
    """The least total weighted tardiness of (release, handling, due, weight) jobs on one machine
    (one dock, or a zone with one crew), over every order: each job at its earliest start on the
    `slot` grid, `gap` minutes after the one before ends (a dock's disinfection; 0 for a crew)."""
    best = None
    for order in itertools.permutations(jobs):
        t = cost = 0
        for r, p, d, w in order:
            s = -(-max(t, r) // slot) * slot
            cost += w * max(0, s + p - d)
            t = s + p + gap
        best = cost if best is None else min(best, cost)
    assert best is not None, "no jobs"
    return best


def make_scenario(
    hubs: list[Hub] | None = None,
    loads: Iterable[Load] = (),
    enterprises: list[Enterprise] | None = None,
    transfers: Iterable[tuple[str, str, int]] = (),
    horizon_minutes: int = 1440,
    **settings,
) -> Scenario:
    """A scenario in Asia/Shanghai starting at T0; `settings` go to Settings (slot 15 default)."""
    return Scenario(
        name="tiny",
        timezone="Asia/Shanghai",
        horizon=Horizon(start=T0, end=at(horizon_minutes)),
        settings=Settings(**settings),
        hubs=hubs if hubs is not None else [make_hub()],
        enterprises=enterprises if enterprises is not None else [make_enterprise()],
        loads=list(loads),
        transfers=[Transfer(inbound=i, outbound=o, min_gap_minutes=g) for i, o, g in transfers],
    )


def assign(
    scenario: Scenario,
    load_id: str,
    start: float,
    hub_id: str = "H1",
    zone_id: str = "Z1",
    dock_id: str = "D1",
) -> Assignment:
    """An assignment whose end and disinfected_at follow from the scenario."""
    load = next(ld for ld in scenario.loads if ld.id == load_id)
    hub = scenario.hub(hub_id)
    zone = hub.zone(zone_id) if hub else None
    end = at(start) + timedelta(minutes=load.handling_minutes)
    # the precedence (load, zone, hub) is pinned by value in test_rules_hard
    d = disinfection_minutes(load, zone, hub) if zone is not None else 0
    return Assignment(
        load_id=load_id,
        hub_id=hub_id,
        zone_id=zone_id,
        dock_id=dock_id,
        start=at(start),
        end=end,
        disinfected_at=end + timedelta(minutes=d),
    )


def make_schedule(
    scenario: Scenario,
    assignments: Iterable[Assignment] = (),
    unscheduled: Iterable[str] = (),
    reason_code: ReasonCode = ReasonCode.CAPACITY,
    objective: float | None = None,
) -> Schedule:
    return Schedule(
        scenario=scenario.name,
        status=PlanStatus.FEASIBLE,
        objective=objective,
        assignments=list(assignments),
        unscheduled=[
            Unscheduled(load_id=i, reason_code=reason_code, reason="test") for i in unscheduled
        ],
    )
