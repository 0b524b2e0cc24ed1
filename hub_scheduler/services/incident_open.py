"""When an incident is still open: the one rule the command centre's banner and the gate's
contact check (services/incident_contacts.py) share."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.domain import Load
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.moments import iso_moment
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Incident, JobStatus
from hub_scheduler.services.site import site_timezone
from hub_scheduler.values import plate_shown

# An incident is open while the command centre still has work with it: for a day after its
# report (contact tracing), while a dock it closed is still closed, and while its repair plan
# waits to be published (not failed, not overtaken by a newer published plan of its horizon).
OPEN_FOR = timedelta(hours=24)


def _repair_waiting(uow: UnitOfWork, incident: Incident) -> bool:
    plan = uow.plans.get(incident.plan_id, with_rows=False) if incident.plan_id else None
    if plan is None or plan.published or plan.status in (JobStatus.FAILED, JobStatus.CANCELLED):
        return False
    newest = uow.plans.list(
        limit=1, published=True, horizon_start=plan.horizon_start, horizon_end=plan.horizon_end
    )
    return not newest or (newest[0].id or 0) < (plan.id or 0)


def still_open(uow: UnitOfWork, incidents: list[Incident], now: datetime) -> list[Incident]:
    """Those of `incidents` open at `now` (see OPEN_FOR above), in their order; an incident
    reported after `now` counts as open. Read inside the caller's unit of work."""
    if not incidents:
        return []
    closed_until = {w.id: w.end for h in uow.hubs.list() for w in h.blocked}
    return [
        i
        for i in incidents
        if i.reported_at >= now - OPEN_FOR
        or any(closed_until.get(w, i.reported_at) > now for w in i.blocked_window_ids)
        or _repair_waiting(uow, i)
    ]


def refuse_second_report(
    uow: UnitOfWork, vehicle_plate: str | None, truck: list[Load], at: datetime
) -> None:
    """Raise Conflict (409, field `vehicle_plate`, else `load_id`, code `incident_already_open`,
    params `{incident_id, reported_at}` in the site's zone) when an incident still open at `at`
    already names this truck (its plate as stored, or the plate of one of its loads, or one of
    its loads): a second report of the
    same positive driver would block the same docks again and start a second re-plan, and two
    staff reporting one call is the likely cause. Nothing is written; the open incident's page
    has everything the second report would make. Read inside the caller's unit of work."""
    mine = {ld.id for ld in truck}
    # A report by load names no plate: its loads' plates, in the form incidents store.
    plates = {vehicle_plate} | {plate_shown(ld.vehicle_plate) for ld in truck if ld.vehicle_plate}
    plates.discard(None)
    for incident in still_open(uow, uow.incidents.list(limit=None), at):
        same_plate = incident.vehicle_plate is not None and incident.vehicle_plate in plates
        if not same_plate and not mine & {incident.load_id, *incident.cancelled_load_ids}:
            continue
        params = {
            "incident_id": incident.id,
            "reported_at": iso_moment(incident.reported_at, site_timezone(uow)),
        }
        raise Conflict(
            f"incident {incident.id} for this truck is still open",
            [
                FieldError(
                    field="vehicle_plate" if vehicle_plate is not None else "load_id",
                    message=f"incident {incident.id}, reported at {params['reported_at']}, "
                    "already names this truck and is still open",
                    code="incident_already_open",
                    params=params,
                )
            ],
        )
