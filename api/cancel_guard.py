"""Whether a load may still be cancelled: only while it is submitted or scheduled and its slot in
force (if any) has not begun by the service's clock (`HUB_SCHEDULER_PLAN_NOW` when set, else now).

A truck at the gate, at work, done or gone (checked in, in operation, completed, no-show) and a
slot already begun are past cancelling: the loads page shows no "取消" for them and the API and
the page's form refuse with a 409 naming the load's status (said in Chinese at the edge,
api/problem_words.py). The status change itself stays `services.gate.cancel_load`'s (atomic).
"""

from __future__ import annotations

from datetime import datetime

from api.clock import service_now
from api.database import db
from api.respond import site_timezone
from hub_scheduler import load_keys
from hub_scheduler.domain import Assignment, Load, LoadStatus
from hub_scheduler.errors import Conflict
from hub_scheduler.services.load_lookup import owned_load
from hub_scheduler.services.principal import Principal

CANCELLABLE = frozenset({LoadStatus.SUBMITTED, LoadStatus.SCHEDULED})


def _now() -> datetime:
    return service_now()


def may_cancel(load: Load, slot: Assignment | None) -> bool:
    """Whether the loads page offers "取消" for `load` holding `slot` (None: no slot in force)."""
    return load.status in CANCELLABLE and (slot is None or slot.start > _now())


def refuse_late_cancel(load_id: str, principal: Principal) -> None:
    """Raise Conflict (409) when the load `load_id` names (an id or a key) may no longer be
    cancelled: its status is past cancelling, or its slot in force began at or before now.
    NotFound (404) as `owned_load` when the principal may not see it."""
    uow = db.uow()
    with uow:
        load = owned_load(uow, load_id, principal)
        held = uow.plans.in_force([load.id]).get(load.id)
    shown = load_keys.local(load.id)
    if load.status not in CANCELLABLE:
        raise Conflict(f'load "{shown}" is {load.status.value}; it can no longer be cancelled')
    slot = held.assignment if held is not None else None
    if slot is not None and slot.start <= _now():
        start = slot.start.astimezone(site_timezone()).strftime("%m-%d %H:%M")
        raise Conflict(
            f'load "{shown}" is {load.status.value} and its slot began at {start}; '
            "it can no longer be cancelled"
        )
