"""The gate's list: a day's arrivals (site zone) with their slots in force, found by plate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hub_scheduler.day_horizon import carried, carry_start, plan_horizons
from hub_scheduler.domain import Assignment, Load, LoadStatus, Unscheduled
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.plans import LoadInForce
from hub_scheduler.services.gate_suspended import on_site_at_switched_off_hub
from hub_scheduler.services.jobs import utc_now
from hub_scheduler.services.site import site_timezone
from hub_scheduler.transitions import PLANNABLE
from hub_scheduler.values import plate_key

# The statuses of a truck that has not come to the gate yet (check-in takes it from these).
NOT_ARRIVED = frozenset({LoadStatus.SUBMITTED, LoadStatus.SCHEDULED})


@dataclass(frozen=True)
class Arrival:
    """A truck expected at the gate: its load, its slot in force (None: no slot) and its
    enterprise's name (the id where it has none)."""

    load: Load
    slot: Assignment | None
    enterprise: str
    # Why it has no slot: the plan in force's entry for it (a withdrawn slot's reason: a repair
    # that found none, a closed hub, a screening failed at the gate); None when no plan holds it.
    left_out: Unscheduled | None = None
    # On site with no slot, at the dock it had at a hub switched off since it checked in: it may
    # start and finish there (services/gate_suspended.py); None for any other truck.
    kept_dock: Assignment | None = None

    @property
    def withdrawn(self) -> bool:
        """Its slot was taken away and it has none now, not arrived yet: still `scheduled` (a
        repair found no slot left for it), or sent back to `submitted` with the reason it needs a
        new one (a hub closed). The gate says so, with the reason, instead of "scheduled"."""
        if self.slot is not None or self.load.status not in NOT_ARRIVED:
            return False
        return self.load.status is LoadStatus.SCHEDULED or self.load.needs_new_slot is not None

    def overdue(self, now: datetime) -> bool:
        """Its slot ended by `now` (aware; compared as instants, so in the site's zone as in any)
        and the truck has not arrived (still `submitted` or `scheduled`, no arrival time): the
        gate marks it for the operator's no-show or late check-in. A truck without a slot, or
        checked in or later, never is."""
        return (
            self.slot is not None
            and self.load.status in NOT_ARRIVED
            and self.load.arrived_at is None
            and self.slot.end <= now
        )


def plate_matches(query: str, plate: str | None) -> bool:
    """Whether a typed plate (赣B12345, 赣B·12345, 赣b12345, or a part such as 12345) names this
    plate; both are compared in `values.plate_key` form."""
    wanted = plate_key(query)
    return bool(wanted) and plate is not None and wanted in plate_key(plate)


def arrivals(
    uow: UnitOfWork, day: date, *, plate: str | None = None, now: datetime | None = None
) -> list[Arrival]:
    """The trucks of `day` (a site-local date): every load whose slot in force starts that day,
    every load released that day without one, and every load released in the days before that
    still waits for a slot and is carried into that day's plan as of `now` (the services' clock
    when None: today's list, a later day's once today's plan in force left it out; see
    hub_scheduler/day_horizon.py); in time order per hub and dock, the ones without a slot last.
    `plate` keeps only the trucks it names (`plate_matches`)."""
    with uow:
        zone = site_timezone(uow)
        start = datetime.combine(day, time(0, 0), zone)
        end = start + timedelta(days=1)
        held = uow.plans.in_force()
        slots = {
            load_id: h.assignment
            for load_id, h in held.items()
            if h.assignment is not None and start <= h.assignment.start < end
        }
        loads = {ld.id: ld for ld in uow.loads.get_many(slots)}
        for ld in uow.loads.list(release_from=start, release_to=end):
            if getattr(held.get(ld.id), "assignment", None) is None:  # else: on its slot's day
                loads.setdefault(ld.id, ld)
        # Released earlier and still without a slot: carried into this day's plan, so here too.
        earlier = uow.loads.list(
            status=tuple(sorted(PLANNABLE)), release_from=carry_start(start), release_to=start
        )
        for ld in carried(earlier, (start, end), now or utc_now(), held, plan_horizons(uow)):
            loads.setdefault(ld.id, ld)
        names = {e.id: e.name or e.id for e in uow.enterprises.list()}
        left_out = _left_out(uow, held, [i for i in loads if i not in slots])
        kept = {
            i: on_site_at_switched_off_hub(uow, ld) for i, ld in loads.items() if i not in slots
        }
    rows = [
        Arrival(
            ld,
            slots.get(ld.id),
            names.get(ld.enterprise_id, ld.enterprise_id),
            left_out.get(ld.id),
            kept.get(ld.id),
        )
        for ld in loads.values()
        if plate is None or plate_matches(plate, ld.vehicle_plate) or plate.strip() == ld.id
    ]

    def order(row: Arrival) -> tuple:
        if row.slot is None:
            return (1, "", "", row.load.release, row.load.id)
        return (0, row.slot.hub_id, row.slot.dock_id, row.slot.start, row.load.id)

    return sorted(rows, key=order)


def _left_out(
    uow: UnitOfWork, held: Mapping[str, LoadInForce], load_ids: list[str]
) -> dict[str, Unscheduled]:
    """Load id -> the entry of the plan in force that holds it without a slot (each such plan
    read once)."""
    by_plan: dict[int, set[str]] = {}
    for load_id in load_ids:
        in_force = held.get(load_id)
        if in_force is not None and in_force.assignment is None:
            by_plan.setdefault(in_force.plan_id, set()).add(load_id)
    found: dict[str, Unscheduled] = {}
    for plan_id, wanted in by_plan.items():
        plan = uow.plans.get(plan_id)
        schedule = plan.schedule if plan is not None else None
        for entry in schedule.unscheduled if schedule is not None else []:
            if entry.load_id in wanted:
                found[entry.load_id] = entry
    return found
