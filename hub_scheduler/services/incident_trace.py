"""Where a truck really was for an incident: the plan in force forgets a load once it is done (a
re-plan leaves completed loads out), so the truck's dock and times are read from what the gate
recorded (its pinned dock; started_at, completed_at) and from every plan that was in force for
the day (published then, replaced since), newest first; the plan in force only as a last resort.
`blocks_of` says from when each of those docks is closed for deep disinfection."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.domain import Assignment, Load, LoadStatus
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import JobStatus

# Plans published for a day around the incident: the horizon reaches this far back from it.
_DAY = timedelta(hours=24)


def rows_of_the_day(uow: UnitOfWork, at: datetime) -> dict[str, Assignment]:
    """Per load, its slot in the newest plan ever published (in force or replaced) whose horizon
    overlaps the 24 hours before `at` up to `at` and beyond; loads left out of every such plan
    are absent. Read inside the caller's unit of work."""
    plans = [
        p
        for p in uow.plans.list(limit=None, status=JobStatus.SUCCEEDED)
        if p.published_at is not None and p.horizon_start <= at and at - _DAY < p.horizon_end
    ]
    rows: dict[str, Assignment] = {}
    for summary in sorted(plans, key=lambda p: (p.published_at, p.id or 0)):
        plan = uow.plans.get(summary.stored_id)
        if plan is None or plan.schedule is None:
            continue
        rows.update({a.load_id: a for a in plan.schedule.assignments})
    return rows


def _at_pinned_dock(uow: UnitOfWork, a: Assignment, load: Load) -> Assignment:
    """`a` moved to the dock the gate pinned the load to (check-in, a repair), when that differs
    from the plan's; its times shifted to the pinned start."""
    pin = load.pinned
    if pin is None or (pin.hub_id, pin.dock_id, pin.start) == (a.hub_id, a.dock_id, a.start):
        return a
    hub = uow.hubs.get(pin.hub_id)
    zone = hub.dock_zone(pin.dock_id) if hub is not None else None
    shift = pin.start - a.start
    return a.model_copy(
        update={
            "hub_id": pin.hub_id,
            "dock_id": pin.dock_id,
            "zone_id": zone.id if zone is not None else a.zone_id,
            "start": a.start + shift,
            "end": a.end + shift,
            "disinfected_at": a.disinfected_at + shift,
        }
    )


def slots_of(
    uow: UnitOfWork, loads: list[Load], at: datetime, day_rows: dict[str, Assignment]
) -> list[Assignment]:
    """The slot each of `loads` held as far as the records tell (the plan in force, else the
    newest replaced plan of the day from `day_rows`), at the dock the gate pinned it to; loads
    with no slot anywhere are left out. Gate times are applied by the caller (`as_run`)."""
    wanted = [ld.id for ld in loads]
    in_force = {
        p.assignment.load_id: p.assignment for p in uow.plans.published_assignments(load_ids=wanted)
    }
    found = []
    for load in loads:
        a = in_force.get(load.id) or day_rows.get(load.id)
        if a is not None:
            found.append(_at_pinned_dock(uow, a, load))
    return found


def as_run(a: Assignment, load: Load | None) -> tuple[Assignment, str]:
    """The operation as the gate saw it when it did (started_at, completed_at; a started truck
    not yet done keeps its planned length), else as planned; and which of the two it is."""
    if load is None or load.started_at is None:
        return a, "planned"
    end = load.completed_at or load.started_at + (a.end - a.start)
    disinfection = a.disinfected_at - a.end
    run = a.model_copy(
        update={"start": load.started_at, "end": end, "disinfected_at": end + disinfection}
    )
    return run, "actual"


def _still_on_the_dock(load: Load | None) -> bool:
    """In operation there, or checked in and pinned there waiting (`slots_of` puts the slot at
    the pinned dock): a truck on site keeps its hub, dock and start (H10)."""
    if load is None:
        return False
    return load.status is LoadStatus.IN_OPERATION or (
        load.status is LoadStatus.CHECKED_IN and load.pinned is not None
    )


def blocks_of(
    uow: UnitOfWork,
    truck: list[Load],
    at: datetime,
    day_rows: dict[str, Assignment],
    length: timedelta,
) -> tuple[list[Assignment], dict[tuple[str, str], tuple[datetime, datetime]]]:
    """The runs of `truck` that started by `at` (gate times where known, `as_run`), and per hub
    and dock they used the deep-disinfection block, `length` long: from `at` at a dock the truck
    already left; at a dock it is still on (in operation, or checked in and pinned there
    waiting) from when its row there gives the dock up (its run's end and the hub's ordinary
    disinfection, at its actual start where it started, never before its slot's), or `at` if
    later. The truck's row keeps the dock until then (H10), so no one else uses it meanwhile;
    a block from `at` would leave the truck on site with no row. A truck checked in and pinned
    to a slot that starts after `at` keeps it too (H10; checked in, its load is not cancelled)
    and will run there, so that dock is blocked alike, from when that later run gives it up;
    the run is not among the runs returned, which are what has happened by `at` (the contacts
    are traced from them). Read inside the caller's unit of work."""
    by_id = {ld.id: ld for ld in truck}
    used: list[Assignment] = []
    starts: dict[tuple[str, str], datetime] = {}
    for slot in slots_of(uow, truck, at, day_rows):
        load = by_id.get(slot.load_id)
        run, _ = as_run(slot, load)
        if run.start <= at:
            used.append(run)
        elif not _still_on_the_dock(load):
            continue  # a slot to come: cancelled with its pending load, nothing used yet
        start = at
        if _still_on_the_dock(load):
            start = max(at, run.disinfected_at, slot.disinfected_at)
        dock = (run.hub_id, run.dock_id)
        starts[dock] = max(start, starts.get(dock, start))
    return used, {dock: (start, start + length) for dock, start in starts.items()}


def neighbours_of(
    uow: UnitOfWork,
    hub_id: str,
    start: datetime,
    end: datetime,
    day_rows: dict[str, Assignment],
) -> list[Assignment]:
    """The operations at `hub_id` overlapping [start, end): the plan in force's, and the day's
    replaced plans' for loads the plan in force no longer holds (done, dropped by a re-plan),
    each at the dock the gate pinned its load to."""
    in_force = {
        p.assignment.load_id: p.assignment
        for p in uow.plans.published_assignments(hub_id=hub_id, start_before=end, end_after=start)
    }
    rows = dict(in_force)
    held = uow.plans.in_force(list(day_rows))
    for load_id, a in day_rows.items():
        h = held.get(load_id)
        gone = h is None or h.assignment is None
        if gone and load_id not in rows and a.hub_id == hub_id and a.start < end and start < a.end:
            rows[load_id] = a
    loads = {ld.id: ld for ld in uow.loads.get_many(rows)}
    return [
        _at_pinned_dock(uow, a, loads[i]) if i in loads else a
        for i, a in rows.items()
        # a replaced plan's slot counts only for a truck the gate saw at the dock
        if i in in_force or (i in loads and loads[i].started_at is not None)
    ]


def may_have_met(load: Load | None) -> bool:
    """Whether a neighbouring truck is judged as a possible contact of an incident: only one the
    gate saw, that really shared the place (started at its dock, judged at its gate times; or
    checked in and waiting on site, at its slot). A truck still to come met no one, whether its
    slot starts after the report (the re-plan moves it off the closed dock; listed, it would be
    told it is a contact and turned away for nothing) or began before it and the truck had not
    come by then. A load the records do not hold counts, to be safe."""
    return load is None or load.started_at is not None or load.arrived_at is not None
