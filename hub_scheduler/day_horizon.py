"""How far a plan of a day may reach past the day's end: a truck that arrives late in the day
(23:30) at a hub open across midnight is planned by that day's plan, its span running into the
next day, rather than left out with WINDOW_TOO_SHORT because the horizon ended at midnight.

The loads of a plan are still those released inside the requested horizon; only the end of the
planning horizon moves, as far as the latest of them may be done (its deadline, else its due,
at least its release plus handling) plus a disinfection and a slot of grid rounding. A later
day's plan sees the span that crosses into it as taken (models.scenario_store: docks blocked).

A load released before a horizon and still waiting for a slot (plannable, placed by no plan in
force, on site or not) is carried into it, looked back `CARRY_DAYS` days (`carry_start`,
`carried`): the plan takes it (from now at the earliest) or names why not, and the gate lists it
on that day. Without it, a load entered after its release day's plan was never planned.

Only where no earlier day can still place it (`carried`): into the horizon that holds now (the
days before it are over), or into a later one when the plan in force that holds the load left
it out and reaches that horizon's start (today's published plan found no room: tomorrow's takes
it). A later day's plan made while the load's own day still runs leaves it to that day's plan,
so two days' plans never both place it; the gate shows it on the same days (services.arrivals).
Once a later day's plan gives it a slot, its own day's re-plan leaves it there (`held_later`),
and publishing a plan that still holds a load another day's plan gives a slot leaves that slot
in force and says so (services.publishing, `held_elsewhere`): no load has two slots in force.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from functools import cache

from hub_scheduler.domain import Hub, Load
from hub_scheduler.facts import disinfection_minutes
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.plans import LoadInForce
from hub_scheduler.transitions import ON_SITE, PLANNABLE

# How far back a horizon looks for loads released before it and still waiting for a slot.
CARRY_DAYS = 3


def carry_start(start: datetime) -> datetime:
    """The earliest release a load may have to be carried into a horizon starting at `start`."""
    return start - timedelta(days=CARRY_DAYS)


def carried(
    loads: Iterable[Load],
    horizon: tuple[datetime, datetime],
    now: datetime,
    in_force: Mapping[str, LoadInForce],
    horizons: Callable[[int], tuple[datetime, datetime] | None],
) -> list[Load]:
    """The loads among `loads` (released before `horizon`'s start) carried into it: plannable,
    placed by no plan in `in_force` (load id -> where the plan in force holds it), and either
    `now` lies in the horizon or the plan in force left the load out and reaches the horizon's
    start (`horizons`: `plan_horizons`). See the module docstring."""
    start, end = horizon
    begun = start <= now < end
    out = []
    for ld in loads:
        held = in_force.get(ld.id)
        if ld.status not in PLANNABLE or ld.release >= start:
            continue
        if held is not None and held.assignment is not None:
            continue  # placed: the plan in force gives its slot
        holder = horizons(held.plan_id) if held is not None and not begun else None
        if begun or (holder is not None and holder[1] >= start):
            out.append(ld)
    return out


def plan_horizons(uow: UnitOfWork) -> Callable[[int], tuple[datetime, datetime] | None]:
    """A plan's horizon (None: no such plan), each plan read once."""

    @cache
    def horizon(plan_id: int) -> tuple[datetime, datetime] | None:
        plan = uow.plans.get(plan_id, with_rows=False)
        return (plan.horizon_start, plan.horizon_end) if plan is not None else None

    return horizon


def held_later(
    load_id: str,
    end: datetime,
    in_force: Mapping[str, LoadInForce],
    horizons: Callable[[int], tuple[datetime, datetime] | None],
) -> bool:
    """Whether a later horizon's plan (starting at or after `end`) gives the load its slot in
    force: carried there because its own day's plan left it out, it keeps that slot; its own
    day's re-plan leaves it alone (a load has one slot in force, on one day)."""
    held = in_force.get(load_id)
    if held is None or held.assignment is None:
        return False
    horizon = horizons(held.plan_id)
    return horizon is not None and horizon[0] >= end


def reach_end(
    end: datetime, loads: Iterable[Load], hubs: Iterable[Hub], slot_minutes: int
) -> datetime:
    """`end`, or later when a load may be done after it (see the module docstring)."""
    hubs = list(hubs)
    disinfection = max(
        [h.disinfection_minutes for h in hubs]
        + [z.disinfection_minutes or 0 for h in hubs for z in h.zones],
        default=0,
    )
    slot = max([h.slot_minutes or 0 for h in hubs] + [slot_minutes])
    latest = end
    for ld in loads:
        done_by = ld.deadline or max(ld.due, ld.release + timedelta(minutes=ld.handling_minutes))
        extra = max(disinfection, ld.disinfection_minutes or 0) + slot
        latest = max(latest, done_by + timedelta(minutes=extra))
    return latest


def reach_on_site(
    end: datetime, loads: Iterable[Load], hubs: Iterable[Hub], slot_minutes: int
) -> datetime:
    """`end`, or later when a truck on site (checked in or working) is pinned so that its span
    (pinned start, handling, the disinfection of its dock's zone) ends after it, plus a slot of
    grid rounding. A truck that came late is pinned where the gate found room, maybe well after
    its due (a late arrival at 22:50 pinned at 23:30): `reach_end` counts from the due, so
    without this its span crossed the horizon's end, the re-plan could not keep the pin and left
    the truck out (H10: a checked-in truck never loses its dock)."""
    zones = {(h.id, d.id): (h, z) for h in hubs for z in h.zones for d in z.docks}
    latest = end
    for ld in loads:
        pin = ld.pinned
        found = zones.get((pin.hub_id, pin.dock_id)) if pin is not None else None
        if pin is None or found is None or ld.status not in ON_SITE:
            continue
        hub, zone = found
        step = hub.slot_minutes or slot_minutes
        span = ld.handling_minutes + disinfection_minutes(ld, zone, hub) + step
        latest = max(latest, pin.start + timedelta(minutes=span))
    return latest


def plan_reach(
    uow: UnitOfWork,
    horizon: tuple[datetime, datetime],
    loads: Iterable[Load],
    hubs: Iterable[Hub],
    slot_minutes: int,
) -> datetime:
    """How far the plan of `horizon` (its requested start and end) reaches, as the planner
    reached it (`models.scenario_store.load_scenario`: `reach_end` over the plannable loads
    released in the horizon and every hub), and as far as `loads` may be done too. A repair
    (services/repair.py, start_rules.py) works inside this end, not one it works out from the
    few rows it reads: a load the plan placed late, in the part of the day another load's
    reach opened (a truck released at 23:30, a later due at another hub), may be placed late
    there again. (Before, a tardy load moved by anything was `horizon_reached` where the plan
    itself had placed it.) Read inside the caller's unit of work."""
    start, end = horizon
    released = uow.loads.list(status=tuple(sorted(PLANNABLE)), release_from=start, release_to=end)
    hubs = list(hubs)
    reach = reach_end(end, [*released, *loads], hubs, slot_minutes)
    return reach_on_site(reach, [*released, *loads], hubs, slot_minutes)
