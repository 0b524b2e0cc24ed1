"""A positive driver or vehicle: block the docks it used for deep disinfection, cancel its pending
loads, trace the contact operations, and re-plan around all of it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hub_scheduler.domain import Assignment, Load, LoadStatus
from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Incident, Plan
from hub_scheduler.services.audit import record
from hub_scheduler.services.block_reasons import disinfection_block
from hub_scheduler.services.hubs import block
from hub_scheduler.services.jobs import JobConfig, JobRunner
from hub_scheduler.services.replan import PUBLISHED_HORIZON, ReplanRequest, queue_replan

_PENDING = {LoadStatus.SUBMITTED, LoadStatus.SCHEDULED}


def contacts_of(
    used: list[Assignment], neighbours: list[Assignment], window: timedelta, loads: dict[str, Load]
) -> list[dict[str, Any]]:
    """Operations on the truck's dock after it (up to `window` after its disinfection) and
    operations in its zone at the same time."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    mine = {a.load_id for a in used}
    for u in used:
        for o in neighbours:
            if o.load_id in mine or o.hub_id != u.hub_id:
                continue
            kind = None
            if o.dock_id == u.dock_id and u.end <= o.start < u.disinfected_at + window:
                kind = "same_dock_after"
            elif o.zone_id == u.zone_id and o.start < u.end and u.start < o.end:
                kind = "same_zone_same_time"
            if kind and (o.load_id, kind) not in found:
                load = loads.get(o.load_id)
                found[(o.load_id, kind)] = {
                    "kind": kind,
                    "load_id": o.load_id,
                    "enterprise_id": load.enterprise_id if load else None,
                    "vehicle_plate": load.vehicle_plate if load else None,
                    "hub_id": o.hub_id,
                    "zone_id": o.zone_id,
                    "dock_id": o.dock_id,
                    "start": o.start.isoformat(),
                    "end": o.end.isoformat(),
                    "source_load_id": u.load_id,
                }
    return sorted(found.values(), key=lambda c: (c["start"], c["load_id"], c["kind"]))


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
        load = uow.loads.get(load_id)
        if load is None:
            raise ValidationFailed(
                "unknown load", [FieldError(field="load_id", message=f'unknown load "{load_id}"')]
            )
        return [load]
    loads = uow.loads.list(vehicle_plate=vehicle_plate)  # compared as domain.plate_key
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
    at: datetime,
    vehicle_plate: str | None = None,
    load_id: str | None = None,
    note: str = "",
    disinfection_minutes: int = 120,
    contact_window_minutes: int = 240,
    replan: ReplanRequest = PUBLISHED_HORIZON,
) -> tuple[Incident, Plan | None]:
    """Record the incident and everything it causes in one transaction, then start the re-plan.

    The docks the truck used (published slots that started by `at`) are blocked from `at` for
    `disinfection_minutes`; without a published plan and a horizon, no re-plan is started.
    """
    with uow:
        truck = _truck_loads(uow, vehicle_plate, load_id)
        truck_ids = [ld.id for ld in truck]
        used = [
            p.assignment
            for p in uow.plans.published_assignments(load_ids=truck_ids)
            if p.assignment.start <= at
        ]

        window_ids: list[str] = []
        until = at + timedelta(minutes=disinfection_minutes)
        for hub_id, dock_id in sorted({(a.hub_id, a.dock_id) for a in used}):
            window = disinfection_block(
                start=at, end=until, dock_id=dock_id, vehicle_plate=vehicle_plate, load_id=load_id
            )
            window_ids.append(block(uow, hub_id, window, actor=actor).id or "")

        cancelled = []
        for load in truck:
            if load.status in _PENDING:
                uow.loads.update(
                    load.model_copy(update={"status": LoadStatus.CANCELLED, "pinned": None})
                )
                record(
                    uow,
                    actor,
                    "load.cancel",
                    "load",
                    load.id,
                    {"from": load.status.value, "to": "cancelled", "reason": "positive case"},
                )
                cancelled.append(load.id)

        window = timedelta(minutes=contact_window_minutes)
        neighbours: list[Assignment] = []
        for u in used:
            neighbours += [
                p.assignment
                for p in uow.plans.published_assignments(
                    hub_id=u.hub_id, start_before=u.disinfected_at + window, end_after=u.start
                )
            ]
        others = {a.load_id for a in neighbours}
        contacts = contacts_of(
            used, neighbours, window, {ld.id: ld for ld in uow.loads.get_many(others)}
        )

        plan = None
        if replan.horizon_start is not None or uow.plans.list(published=True, limit=1):
            why = "incident: a positive case"  # plan job views are shown to operators
            plan = queue_replan(uow, config, replan, actor=actor, reason=why)
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
                "plan_id": plan.id if plan else None,
            },
        )
        uow.commit()
    if plan is not None:
        runner.submit(plan.id)
    return incident, plan


def list_incidents(uow: UnitOfWork) -> list[Incident]:
    with uow:
        return uow.incidents.list(limit=None)
