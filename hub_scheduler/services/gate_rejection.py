"""A driver turned away at the gate's screening (services/gate.py's check-in): the truck's slot is
freed at once, for the trucks behind it, and its enterprise is told as for any withdrawn slot.

The slot's row leaves the plan in force and the plan lists the load among its unscheduled loads
with code `SCREENING_FAILED` (detail `screening_failed`, the failed checks as params), like a
repair that finds no slot; the enterprise hears `slot.withdrawn` with that code (and, as before,
`screening.failed` with the checks, told to the command centre and the slot's hub too). The load
stays `rejected` until the driver comes back with a fresh test: a later screening of the same load
checks it in again when it passes (transitions.py: rejected -> checked_in), and it gets a gap in
the plan covering that moment, as a walk-in does.
"""

from __future__ import annotations

from typing import Any

from hub_scheduler import load_keys
from hub_scheduler.domain import Load, ReasonCode, Unscheduled
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.screening import FailedCheck
from hub_scheduler.services import events
from hub_scheduler.services.gate_incidents import published_slot


def left_out_at_screening(load_id: str, checks: list[FailedCheck]) -> Unscheduled:
    """The plan's unscheduled entry of a load whose driver was turned away at the gate."""
    what = "; ".join(f"{c.code}: {c.message}" for c in checks)
    return Unscheduled(
        load_id=load_id,
        reason_code=ReasonCode.SCREENING_FAILED,
        reason=f"the driver was turned away at the gate's screening ({what})",
        reason_detail="screening_failed",
        reason_params={"checks": [{"code": c.code, "params": dict(c.params)} for c in checks]},
    )


def free_the_slot(
    uow: UnitOfWork,
    rejected: Load,
    checks: list[FailedCheck],
    failed: list[str],
    at: str,
) -> None:
    """Inside the check-in's unit of work, after `rejected` was stored `rejected`: its slot in
    force (if any) is withdrawn (`left_out_at_screening`, the pin cleared) and its enterprise told
    (`slot.withdrawn`, code `SCREENING_FAILED` with `failed_checks`); then `screening.failed`
    goes to the enterprise, the command centre and the slot's hub. `failed` are the checks as
    "CODE: English words"; `at` the arrival in the site's zone (ISO 8601)."""
    placed = published_slot(uow, rejected.id)
    hub_id = placed.assignment.hub_id if placed is not None else None
    tz = events.site_timezone(uow)
    if placed is not None:
        uow.plans.leave_out(placed.plan_id, left_out_at_screening(rejected.id, checks))
        uow.loads.update(rejected.model_copy(update={"pinned": None}))
        reason: dict[str, Any] = {
            "code": ReasonCode.SCREENING_FAILED.value,
            "failed_checks": failed,
        }
        events.emit_slot(
            uow, rejected, placed.assignment, None, reason=reason, plan_id=placed.plan_id, tz=tz
        )
    data = {
        "load_id": load_keys.local(rejected.id),
        "enterprise_id": rejected.enterprise_id,
        "vehicle_plate": rejected.vehicle_plate,
        "at": at,
        "failed_checks": failed,
        "hub_id": hub_id,
    }
    audiences = [events.enterprise(rejected.enterprise_id), events.COMMAND]
    if hub_id is not None:
        audiences.append(events.hub(hub_id))
    events.emit(uow, events.SCREENING_FAILED, audiences, data)
