"""Loads once submitted: read one, list a page, change one that has no truck at the hub yet.

Submitting is `services/load_submission.py` (its checks `services/load_checks.py`), naming a load
by id `services/load_lookup.py`, the truck's life at the gate `services/gate.py`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError

from hub_scheduler import load_keys
from hub_scheduler.domain import Load, LoadStatus
from hub_scheduler.errors import Conflict, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.scenario_file import pydantic_errors
from hub_scheduler.services import transfers
from hub_scheduler.services.audit import record
from hub_scheduler.services.load_checks import Known, check_load, weight_errors, with_screening
from hub_scheduler.services.load_lookup import owned_load
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.repair import repair_if_stale
from hub_scheduler.services.site import site_timezone

_EDITABLE = {LoadStatus.SUBMITTED, LoadStatus.SCHEDULED}


def get_load(uow: UnitOfWork, load_id: str, *, principal: Principal) -> Load:
    """One load with its relay partners' ids (`transfer_to`, `transfer_from`)."""
    with uow:
        return transfers.with_partners(uow, [owned_load(uow, load_id, principal)])[0]


def list_loads(
    uow: UnitOfWork,
    *,
    principal: Principal,
    status: LoadStatus | None = None,
    hub_id: str | None = None,
    enterprise_id: str | None = None,
    vehicle_plate: str | None = None,
    day: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Load], int]:
    """A page of loads (by release) and the total; an enterprise token only ever sees its own.

    `day` is a calendar day in the site's time zone (`services.site`).
    """
    if principal.is_enterprise:
        if enterprise_id and enterprise_id != principal.enterprise_id:
            return [], 0
        enterprise_id = principal.enterprise_id
    with uow:
        filters: dict[str, Any] = {
            "status": status,
            "hub_id": hub_id,
            "enterprise_id": enterprise_id,
            "vehicle_plate": vehicle_plate,
        }
        if day is not None:
            tz = site_timezone(uow)
            start = datetime.combine(day, time(0, 0), tz)
            filters.update(release_from=start, release_to=start + timedelta(days=1))
        page = uow.loads.list(**filters, limit=limit, offset=offset)
        return transfers.with_partners(uow, page), uow.loads.count(**filters)


def update_load(
    uow: UnitOfWork, load_id: str, changes: dict[str, Any], *, principal: Principal
) -> Load:
    """Change a load that has no truck at the hub yet; the whole load is checked again."""
    if "priority_weight" in changes:
        errors = weight_errors(changes["priority_weight"], principal, "priority_weight")
        if errors:
            raise ValidationFailed("the load is not valid", errors)
    with uow:
        load = owned_load(uow, load_id, principal)
        load_id = load.id
        if load.status not in _EDITABLE:
            shown = load_keys.local(load_id)
            raise Conflict(f'load "{shown}" is {load.status.value}; it can no longer be changed')
        try:
            merged = Load.model_validate({**load.model_dump(), **changes})
        except ValidationError as exc:
            raise ValidationFailed("the load is not valid", pydantic_errors(exc)) from None
        known = Known(uow)
        errors = check_load(merged, known)
        if errors:
            raise ValidationFailed("the load is not valid", errors)
        merged = with_screening(merged, known.policy)
        # Take turns with the gate and publishers before the slot in force is read (the repair).
        uow.plans.lock_publishing()
        # A conditional no-op on the status: a check-in or cancel that came first makes this a 409
        # rather than have the whole-row write below put the old status back.
        if uow.loads.transition(load_id, load.status, load.status) is None:
            shown = load_keys.local(load_id)
            raise Conflict(f'load "{shown}" was changed meanwhile; read it again')
        merged = repair_if_stale(uow, merged, principal.actor)
        uow.loads.update(merged)
        record(uow, principal.actor, "load.update", "load", load_id, {"fields": sorted(changes)})
        uow.commit()
    return merged
