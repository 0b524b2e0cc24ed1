"""A positive driver or vehicle: block the docks it used for deep disinfection, cancel its pending
loads, trace the contact operations, and re-plan around all of it."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from hub_scheduler.domain import Assignment, Load, LoadStatus, Position
from hub_scheduler.errors import FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Incident, Plan
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.block_reasons import disinfection_block
from hub_scheduler.services.gate_times import gate_time, not_in_future
from hub_scheduler.services.hubs import block
from hub_scheduler.services.incident_open import refuse_second_report, still_open
from hub_scheduler.services.incident_trace import (
    as_run,
    blocks_of,
    may_have_met,
    neighbours_of,
    rows_of_the_day,
)
from hub_scheduler.services.jobs import JobConfig, JobRunner
from hub_scheduler.services.load_lookup import unique_key
from hub_scheduler.services.repair import repair_slot
from hub_scheduler.services.replan import (
    PUBLISHED_HORIZON,
    ReplanRequest,
    later_published,
    queue_later_days,
    queue_replan,
)
from hub_scheduler.services.site import site_timezone
from hub_scheduler.values import plate_shown

_PENDING = {LoadStatus.SUBMITTED, LoadStatus.SCHEDULED}
_GATE_SLACK = timedelta(hours=12)


def contacts_of(
    used: list[Assignment],
    neighbours: list[Assignment],
    window: timedelta,
    loads: dict[str, Load],
    tz: tzinfo,
) -> list[dict[str, Any]]:
    """Operations on the truck's dock after it (up to `window` after its disinfection) and
    operations in its zone at the same time, each at its actual gate times where known (planned
    otherwise, `times` says which); times in the site's zone `tz`, with the offset. Only trucks
    the gate saw count (`may_have_met`): one still to come is moved, not listed."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    mine = {a.load_id for a in used}
    runs = [
        as_run(o, loads.get(o.load_id)) for o in neighbours if may_have_met(loads.get(o.load_id))
    ]
    for u in used:
        for o, times in runs:
            if o.load_id in mine or o.hub_id != u.hub_id:
                continue
            kind = None
            if o.dock_id == u.dock_id and u.end <= o.start < u.disinfected_at + window:
                kind = "same_dock_after"
            elif o.zone_id == u.zone_id and o.start < u.end and u.start < o.end:
                kind = "same_zone_same_time"
            if kind and (o.load_id, kind) not in found:
                found[(o.load_id, kind)] = _contact(kind, o, loads.get(o.load_id), tz, times)
                found[(o.load_id, kind)]["source_load_id"] = u.load_id
    return sorted(found.values(), key=lambda c: (c["start"] or "", c["load_id"], c["kind"]))


def _contact(
    kind: str, a: Assignment | None, load: Load | None, tz: tzinfo, times: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "load_id": a.load_id if a else (load.id if load else None),
        "enterprise_id": load.enterprise_id if load else None,
        "vehicle_plate": plate_shown(load.vehicle_plate) if load and load.vehicle_plate else None,
        "driver_phone": load.driver_phone if load else None,
        "hub_id": a.hub_id if a else None,
        "zone_id": a.zone_id if a else None,
        "dock_id": a.dock_id if a else None,
        "start": a.start.astimezone(tz).isoformat() if a else None,
        "end": a.end.astimezone(tz).isoformat() if a else None,
        "times": times,
    }


def _hold_relay_partners(
    uow: UnitOfWork, truck: list[Load], actor: str, tz: tzinfo
) -> list[dict[str, Any]]:
    """The relay partners of the positive truck's goods (the outbound that collects them, the
    inbound that dropped what it collects) are traced and held for inspection (`Load.hold`)."""
    traced: list[dict[str, Any]] = []
    mine = {ld.id for ld in truck}
    for load in truck:
        for t in uow.transfers.for_load(load.id):
            partner_id, kind = (
                (t.outbound, "relay_outbound")
                if t.inbound == load.id
                else (t.inbound, "relay_inbound")
            )
            partner = uow.loads.get(partner_id)
            if partner is None or partner_id in mine:
                continue
            hold = {
                "code": "RELAY_OF_POSITIVE",
                "params": {"source_load_id": load.id, "kind": kind},
            }
            uow.loads.update(partner.model_copy(update={"hold": hold}))
            record(uow, actor, "load.hold", "load", partner_id, hold)
            placed = uow.plans.published_assignments(load_ids=[partner_id])
            slot = placed[-1].assignment if placed else None
            run, times = as_run(slot, partner) if slot else (None, "planned")
            contact = _contact(kind, run, partner, tz, times)
            contact["source_load_id"] = load.id
            traced.append(contact)
    return traced


def _move_off_blocked_docks(
    uow: UnitOfWork,
    spans: dict[tuple[str, str], tuple[datetime, datetime]],
    at: datetime,
    actor: str,
    truck_ids: list[str],
) -> list[str]:
    """A checked-in truck whose slot meets the block of a dock the incident closes (`spans`: per
    hub and dock, the block's start and end) is moved to the earliest feasible slot elsewhere
    (`services/repair.py`, reason DOCK_BLOCKED), never dropped silently; the positive truck's
    own loads stay where they are (H10: the block follows their run)."""
    moved: list[str] = []
    for (hub_id, dock_id), (start, until) in sorted(spans.items()):
        for p in uow.plans.published_assignments(
            hub_id=hub_id, dock_id=dock_id, start_before=until, end_after=start
        ):
            load = uow.loads.get(p.assignment.load_id)
            if load is None or load.status is not LoadStatus.CHECKED_IN or load.id in truck_ids:
                continue
            repair = repair_slot(
                uow, load, p.plan_id, p.assignment, at, "DOCK_BLOCKED", actor=actor, now=at
            )
            after = repair.after
            pin = (
                Position(hub_id=after.hub_id, dock_id=after.dock_id, start=after.start)
                if after
                else None
            )
            reason = {"code": repair.code, "params": repair.params}
            uow.loads.update(load.model_copy(update={"pinned": pin, "slot_changed": reason}))
            record(uow, actor, "load.repair", "load", load.id, reason)
            moved.append(load.id)
    return moved


def _truck_loads(uow: UnitOfWork, vehicle_plate: str | None, load_id: str | None) -> list[Load]:
    if (vehicle_plate is None) == (load_id is None):
        raise ValidationFailed(
            "name the truck by vehicle_plate or by load_id",
            [
                FieldError(
                    field="vehicle_plate", message="give exactly one of vehicle_plate and load_id"
                )
            ],
        )
    if load_id is not None:
        load = uow.loads.get(unique_key(uow, load_id))  # ids are per enterprise (load_keys)
        if load is None:
            raise ValidationFailed(
                "unknown load", [FieldError(field="load_id", message=f'unknown load "{load_id}"')]
            )
        return [load]
    loads = uow.loads.list(vehicle_plate=vehicle_plate)  # compared as values.plate_key
    if not loads:
        raise ValidationFailed(
            "no load has this vehicle",
            [FieldError(field="vehicle_plate", message=f'no load with plate "{vehicle_plate}"')],
        )
    return loads


def report_incident(
    uow: UnitOfWork,
    runner: JobRunner,
    config: JobConfig,
    *,
    actor: str,
    at: datetime | None = None,
    vehicle_plate: str | None = None,
    load_id: str | None = None,
    note: str = "",
    disinfection_minutes: int = 120,
    contact_window_minutes: int = 240,
    replan: ReplanRequest = PUBLISHED_HORIZON,
) -> tuple[Incident, Plan | None]:
    """Record the incident and everything it causes in one transaction, then start the re-plan.

    The docks the truck used (its slots that started by `at`, at the dock the gate pinned it
    to and at its gate times; a slot a re-plan dropped is read from the day's replaced plans,
    `services/incident_trace.py`) are blocked for `disinfection_minutes`: from `at` where it
    left, from when its row gives the dock up where it is still on it (the truck on site keeps
    its row, H10: `incident_trace.blocks_of`); without a published plan and a horizon, no
    re-plan is started.
    `at` None: the service's clock (`config.now`, else the real one); an `at` later than that
    clock (or the real one, whichever is later: `gate_times.gate_time`, as at the gate) beyond the
    gate's skew is refused as a gate time is (ValidationFailed, field `at`, code
    `time_in_future`) and nothing is written.
    """
    at, now = gate_time(at, config.now)
    if vehicle_plate is not None:  # stored and shown in one form, whatever way it was typed
        vehicle_plate = plate_shown(vehicle_plate) or vehicle_plate
    with uow:
        not_in_future(uow, at, now, "incident.create")
        # First: take turns with publishers and the gate (plans.lock_publishing), so a check-in
        # at a dock this blocks is either moved off it here or sees the block itself.
        uow.plans.lock_publishing()
        truck = _truck_loads(uow, vehicle_plate, load_id)
        load_id = truck[0].id if load_id is not None else None  # the key (load_keys)
        truck_ids = [ld.id for ld in truck]
        refuse_second_report(uow, vehicle_plate, truck, at)
        tz = site_timezone(uow)
        # Where the truck really was: gate times at its pinned dock, else the newest plan of the
        # day that held it (a re-plan drops completed loads from the plan in force); and how long
        # each of those docks is closed (from its run's end where the truck is still on it).
        day_rows = rows_of_the_day(uow, at)
        used, spans = blocks_of(uow, truck, at, day_rows, timedelta(minutes=disinfection_minutes))
        window_ids: list[str] = []
        for (hub_id, dock_id), (start, end) in sorted(spans.items()):
            window = disinfection_block(
                start=start, end=end, dock_id=dock_id, vehicle_plate=vehicle_plate, load_id=load_id
            )
            window_ids.append(block(uow, hub_id, window, actor=actor).id or "")

        # Contacts first, at the slots they had: a truck waiting at the blocked dock is moved off
        # it below, and judged at its new slot it would no longer be a contact (the trial's
        # truck checked in at the positive truck's dock was missed so).
        contact_window = timedelta(minutes=contact_window_minutes)
        neighbours: list[Assignment] = []
        for u in used:
            # Planned rows; gate times may differ from them by hours, hence the slack.
            neighbours += neighbours_of(
                uow,
                u.hub_id,
                u.start - _GATE_SLACK,
                u.disinfected_at + contact_window + _GATE_SLACK,
                day_rows,
            )
        others = {a.load_id for a in neighbours}
        contacts = contacts_of(
            used,
            neighbours,
            contact_window,
            {ld.id: ld for ld in uow.loads.get_many(others)},
            tz,
        )

        moved = _move_off_blocked_docks(uow, spans, at, actor, truck_ids)

        ahead = events.hubs_ahead(uow, truck)  # before the truck's slots are withdrawn
        in_force = {
            p.assignment.load_id: p.assignment
            for p in uow.plans.published_assignments(load_ids=truck_ids)
        }
        cancelled = []
        for load in truck:
            # Conditional on the status read: a check-in racing the report wins or loses whole.
            if load.status in _PENDING and uow.loads.transition(
                load.id, load.status, LoadStatus.CANCELLED
            ):
                uow.loads.update(
                    load.model_copy(update={"status": LoadStatus.CANCELLED, "pinned": None})
                )
                record(
                    uow,
                    actor,
                    "load.cancel",
                    "load",
                    load.id,
                    {"from": load.status.value, "to": "cancelled", "reason_code": "POSITIVE_CASE"},
                )
                cancelled.append(load.id)

        contacts += _hold_relay_partners(uow, truck, actor, tz)

        plan = None
        later: list[Plan] = []
        if replan.horizon_start is not None or uow.plans.list(published=True, limit=1):
            why = "incident: a positive case"  # plan job views are shown to operators
            # The day in force at the report (not the newest published: tomorrow's).
            plan = queue_replan(uow, config, replan, actor=actor, reason=why, now=at)
            # Tomorrow's published plan too, when the block reaches into it or it held a slot
            # of the truck that is now cancelled.
            touched = [(a.start, a.end) for i, a in in_force.items() if i in cancelled]
            touched += list(spans.values())
            later += queue_later_days(
                uow,
                config,
                replan,
                plan,
                [h for h in later_published(uow, plan.horizon_end) if _touches(h, touched)],
                actor=actor,
                reason=why,
            )
        incident = uow.incidents.add(
            Incident(
                vehicle_plate=vehicle_plate,
                load_id=load_id,
                reported_at=at,
                actor=actor,
                note=note,
                blocked_window_ids=window_ids,
                cancelled_load_ids=cancelled,
                contacts=contacts,
                plan_id=plan.id if plan else None,
            )
        )
        record(
            uow,
            actor,
            "incident.create",
            "incident",
            str(incident.id),
            {
                "vehicle_plate": vehicle_plate,
                "load_id": load_id,
                "blocked": window_ids,
                "cancelled": cancelled,
                "contacts": len(contacts),
                "moved": moved,
                "plan_id": plan.id if plan else None,
            },
        )
        _tell_incident(uow, incident, truck, ahead, in_force, tz)
        uow.commit()
    if plan is not None:
        runner.submit(plan.stored_id)
    for extra in later:
        runner.submit(extra.stored_id)
    return incident, plan


def _touches(horizon: tuple[datetime, datetime], spans: list[tuple[datetime, datetime]]) -> bool:
    return any(s < horizon[1] and horizon[0] < e for s, e in spans)


def _tell_incident(
    uow: UnitOfWork,
    incident: Incident,
    truck: list[Load],
    ahead: list[str],
    in_force: dict[str, Assignment],
    tz: tzinfo,
) -> None:
    """incident.reported: the command centre gets the whole incident; every hub ahead (a hub
    sharing a relay or the truck's trip) gets what it must act on, without personal data (no
    plate, no phone); the truck's enterprise hears that its cancelled slots are withdrawn."""
    at = events.local(tz, incident.reported_at)
    events.emit(
        uow,
        events.INCIDENT_REPORTED,
        [events.COMMAND],
        {
            "incident_id": incident.id,
            "reported_at": at,
            "vehicle_plate": incident.vehicle_plate,
            "load_id": incident.load_id,
            "blocked_window_ids": incident.blocked_window_ids,
            "cancelled_load_ids": incident.cancelled_load_ids,
            "contacts": len(incident.contacts),
            "hubs_ahead": ahead,
            "plan_id": incident.plan_id,
        },
    )
    for hub_id in ahead:
        here = sorted({c["load_id"] for c in incident.contacts if c.get("hub_id") == hub_id})
        truck_here = sorted(i for i, a in in_force.items() if a.hub_id == hub_id)
        events.emit(
            uow,
            events.INCIDENT_REPORTED,
            [events.hub(hub_id)],
            {
                "incident_id": incident.id,
                "reported_at": at,
                "hub_id": hub_id,
                "positive_truck_load_ids": truck_here,
                "contact_load_ids": here,
                "relay_or_trip": True,
            },
        )
    by_id = {ld.id: ld for ld in truck}
    for load_id in incident.cancelled_load_ids:
        events.emit_slot(
            uow,
            by_id[load_id],
            in_force.get(load_id),
            None,
            reason={"code": "INCIDENT", "incident_id": incident.id},
            tz=tz,
        )


def list_incidents(uow: UnitOfWork) -> list[Incident]:
    with uow:
        return uow.incidents.list(limit=None)


def get_incident(uow: UnitOfWork, incident_id: int) -> Incident:
    """One incident; NotFound when there is none."""
    with uow:
        incident = uow.incidents.get(incident_id)
    if incident is None:
        raise NotFound(f"no incident {incident_id}")
    return incident


def open_incidents(uow: UnitOfWork, now: datetime) -> list[Incident]:
    """The open incidents at `now` (`services/incident_open.py`), newest first."""
    with uow:
        return still_open(uow, uow.incidents.list(limit=None), now)
