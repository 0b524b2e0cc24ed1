"""What a command-centre action would change, before it is confirmed: which trucks a hub switch
moves and whose they are, and how a repair plan differs from the plan in force."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    Assignment,
    Hub,
    Load,
    LoadStatus,
    PlanStatus,
    Schedule,
)
from hub_scheduler.errors import NotFound
from hub_scheduler.facts import opening_periods
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.services.site import read_site, site_settings, site_timezone
from hub_scheduler.solver.eligibility import screening_reason, whitelist_reason
from hub_scheduler.transitions import ON_SITE

_PENDING = (LoadStatus.SUBMITTED, LoadStatus.SCHEDULED)


@dataclass(frozen=True)
class SwitchImpact:
    """A hub switch's preview. `suspend`: `moving` lose their slot there at once and go to the
    re-plan, `staying` are on site and keep their dock. `activate`: `waiting` have no slot in
    force and could be placed at this hub; `may_move` hold a slot elsewhere and may be moved to
    it by the re-plan; both only loads H11 lets in (white-listed on the release day, screening
    passed, as `solver/eligibility.py` decides for the planner). `enterprises`: the ids of
    every enterprise in those lists, sorted."""

    hub: Hub
    action: str
    moving: list[Load] = field(default_factory=list)
    staying: list[Load] = field(default_factory=list)
    waiting: list[Load] = field(default_factory=list)
    may_move: list[Load] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)


def _fits(hub: Hub, load: Load) -> bool:
    """The hub could take this load: a zone at its temperature, and the load allows the hub."""
    allowed = load.allowed_hubs is None or hub.id in load.allowed_hubs
    return allowed and any(z.temperature == load.temperature for z in hub.zones)


def hub_switch_impact(uow: UnitOfWork, hub_id: str, action: str) -> SwitchImpact:
    """The preview of `action` ("activate" or "suspend") on the hub, read from the plan in
    force; nothing is changed. NotFound for an unknown hub or action."""
    if action not in ("activate", "suspend"):
        raise NotFound(f"no action {action}")
    with uow:
        hub = uow.hubs.get(hub_id)
        if hub is None:
            raise NotFound(f'no hub "{hub_id}"')
        held = uow.plans.in_force()
        loads = {ld.id: ld for ld in uow.loads.get_many(held)}
        if action == "suspend":
            here = [
                loads[i]
                for i, h in held.items()
                if h.assignment is not None and h.assignment.hub_id == hub_id and i in loads
            ]
            moving = [ld for ld in here if ld.status in _PENDING]
            staying = [ld for ld in here if ld.status in ON_SITE]
            chosen = {ld.enterprise_id for ld in moving}
            return SwitchImpact(
                hub,
                action,
                moving=_by_id(moving),
                staying=_by_id(staying),
                enterprises=sorted(chosen),
            )
        waiting = [ld for i, h in held.items() if h.assignment is None and (ld := loads.get(i))]
        waiting += uow.loads.list(status=LoadStatus.SUBMITTED)
        waiting = list({ld.id: ld for ld in waiting if ld.status in _PENDING}.values())
        may_move = [
            loads[i]
            for i, h in held.items()
            if h.assignment is not None
            and h.assignment.hub_id != hub_id
            and i in loads
            and loads[i].status in _PENDING
            and loads[i].pinned is None
        ]
        # H11 as the planner applies it (solver/eligibility.py): a load of an enterprise not on
        # the white-list on its release day, or whose driver fails screening, goes nowhere.
        enterprises = {e.id: e for e in uow.enterprises.list()}
        policy, tz = site_settings(uow).screening, site_timezone(uow)

        def eligible(ld: Load) -> bool:
            return (
                _fits(hub, ld)
                and not ld.screening_failures
                and whitelist_reason(ld, enterprises, tz) is None
                and screening_reason(ld, policy) is None
            )

        waiting = [ld for ld in waiting if eligible(ld)]
        may_move = [ld for ld in may_move if eligible(ld)]
        chosen = {ld.enterprise_id for ld in waiting + may_move}
        return SwitchImpact(
            hub,
            action,
            waiting=_by_id(waiting),
            may_move=_by_id(may_move),
            enterprises=sorted(chosen),
        )


def _by_id(loads: list[Load]) -> list[Load]:
    return sorted(loads, key=lambda ld: ld.id)


@dataclass(frozen=True)
class SlotChange:
    """A load whose slot differs between the plan in force (`before`) and another plan
    (`after`); None on a side: no slot there."""

    load_id: str
    before: Assignment | None
    after: Assignment | None


@dataclass(frozen=True)
class PlanSide:
    """One plan's headline figures: trucks placed, left out, and finishing after their wish."""

    placed: int
    unscheduled: int
    late: int


def _side(assignments: list[Assignment], unscheduled: int, loads: dict[str, Load]) -> PlanSide:
    late = sum(1 for a in assignments if (ld := loads.get(a.load_id)) and a.end > ld.due)
    return PlanSide(len(assignments), unscheduled, late)


def compare_with_plan_in_force(
    uow: UnitOfWork, schedule: Schedule
) -> tuple[PlanSide, PlanSide, list[SlotChange]]:
    """The plan in force and `schedule` side by side over the loads `schedule` holds (in force,
    new), and the loads whose hub, dock or start differ, in load-id order."""
    ids = _held_ids(schedule)
    with uow:
        held = uow.plans.in_force(ids)
        loads = {ld.id: ld for ld in uow.loads.get_many(ids)}
    return _compared(schedule, {i: h.assignment for i, h in held.items()}, loads)


def compare_with_plan_replaced(
    uow: UnitOfWork, plan: Plan
) -> tuple[PlanSide, PlanSide, list[SlotChange]]:
    """A published plan beside what was in force when it was published, as `compare_with_plan_
    in_force` puts them: once published it is the plan in force, so its moves are read from the
    slots it replaced, stored with it at the publish (its figures' basis, `FigureBasis.previous`:
    each slot's end by the load's handling minutes, its disinfection not kept). A plan stored
    without a basis (published before bases were kept) is compared with the plan in force."""
    schedule = plan.schedule or Schedule(scenario="", status=PlanStatus.UNKNOWN)
    ids = _held_ids(schedule)
    with uow:
        basis = uow.plans.figure_basis(plan.stored_id)
        loads = {ld.id: ld for ld in uow.loads.get_many(ids)}
        zones = {(h.id, d.id): z for h in uow.hubs.list() for z in h.zones for d in z.docks}
    if basis is None:
        return compare_with_plan_in_force(uow, schedule)
    before: dict[str, Assignment | None] = {}
    for load_id, was in basis.previous.items():
        zone, load = zones.get((was.hub_id, was.dock_id)), loads.get(load_id)
        if load is None:
            continue
        end = was.start + timedelta(minutes=load.handling_minutes)
        before[load_id] = Assignment(
            load_id=load_id,
            hub_id=was.hub_id,
            zone_id=zone.id if zone else "",
            dock_id=was.dock_id,
            start=was.start,
            end=end,
            disinfected_at=end,  # not kept with the basis; a comparison reads the slot only
        )
    return _compared(schedule, before, loads)


def _held_ids(schedule: Schedule) -> list[str]:
    """The loads a schedule holds: placed, then left out."""
    return [a.load_id for a in schedule.assignments] + [u.load_id for u in schedule.unscheduled]


def _compared(
    schedule: Schedule, before: dict[str, Assignment | None], loads: dict[str, Load]
) -> tuple[PlanSide, PlanSide, list[SlotChange]]:
    after: dict[str, Assignment | None] = {a.load_id: a for a in schedule.assignments}
    after.update({u.load_id: None for u in schedule.unscheduled})
    changes = []
    for load_id in sorted(after):
        old, new = before.get(load_id), after[load_id]
        key = lambda a: (a.hub_id, a.dock_id, a.start) if a else None  # noqa: E731
        if key(old) != key(new):
            changes.append(SlotChange(load_id, old, new))
    old_slots = [a for i, a in before.items() if a is not None and i in after]
    in_force = _side(old_slots, sum(1 for i in after if before.get(i) is None), loads)
    proposed = _side(schedule.assignments, len(schedule.unscheduled), loads)
    return in_force, proposed, changes


@dataclass(frozen=True)
class StrandedSlot:
    """A slot of the plan in force that a hub's docks, hours or blocked windows no longer allow:
    `why` is "dock_gone" (the dock was removed), "blocked" (a blocked window covers it) or
    "closed" (outside the opening hours). `plan_id`: the published plan holding it."""

    load_id: str
    plan_id: int
    assignment: Assignment
    why: str


@dataclass(frozen=True)
class HubChangeImpact:
    """What the plan in force holds at a hub and which of those slots the hub as it is now
    no longer allows; `plan_ids`: the published plans holding slots there (re-plan those)."""

    hub_id: str
    slots: int
    stranded: list[StrandedSlot] = field(default_factory=list)
    plan_ids: list[int] = field(default_factory=list)


def why_stranded(hub: Hub, a: Assignment, zone: ZoneInfo) -> str | None:
    dock_zone = hub.dock_zone(a.dock_id)
    if dock_zone is None:
        return "dock_gone"
    busy_until = max(a.end, a.disinfected_at or a.end)
    for w in hub.blocked:
        covers = (w.zone_id is None or w.zone_id == dock_zone.id) and (
            w.dock_id is None or w.dock_id == a.dock_id
        )
        if covers and w.start < busy_until and a.start < w.end:
            return "blocked"
    first = a.start.astimezone(zone).date()
    periods = opening_periods(hub, zone, first - timedelta(days=1), first)
    if periods is not None and not any(s <= a.start and a.end <= e for s, e in periods):
        return "closed"
    return None


def hub_change_impact(uow: UnitOfWork, hub_id: str, now: datetime | None = None) -> HubChangeImpact:
    """The slots of the plan in force at `hub_id`, and those its docks, opening hours and blocked
    windows as stored now no longer allow (a dock removed, a window blocked over a slot, hours
    cut), among the slots whose handling has not ended by `now` (None: every slot). Nothing is
    changed; NotFound for an unknown hub. Read after a change to show what must be re-planned."""
    with uow:
        hub = uow.hubs.get(hub_id)
        if hub is None:
            raise NotFound(f'no hub "{hub_id}"')
        zone = read_site(uow).timezone
        held = uow.plans.in_force()
    here = [
        (load_id, h.plan_id, h.assignment)
        for load_id, h in sorted(held.items())
        if h.assignment is not None and h.assignment.hub_id == hub_id
    ]
    stranded = []
    for load_id, plan_id, a in here:
        if now is not None and a.end <= now:
            continue
        why = why_stranded(hub, a, zone)
        if why is not None:
            stranded.append(StrandedSlot(load_id, plan_id, a, why))
    return HubChangeImpact(hub_id, len(here), stranded, sorted({p for _, p, _ in here}))
