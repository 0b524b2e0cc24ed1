"""The truck's life at the gate: check-in (screened again at arrival), start, complete, no-show,
cancel. Each step follows LOAD_TRANSITIONS (domain) and is audited with who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub_scheduler.domain import (
    LOAD_TRANSITIONS,
    Assignment,
    Load,
    LoadStatus,
    Position,
    Screening,
    ScreeningPolicy,
)
from hub_scheduler.errors import Conflict
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.audit import record
from hub_scheduler.services.jobs import utc_now
from hub_scheduler.services.loads import owned_load, with_screening
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.site import site_settings


def move_load(
    uow: UnitOfWork,
    load: Load,
    to: LoadStatus,
    actor: str,
    action: str,
    details: dict[str, Any] | None = None,
    **update: Any,
) -> Load:
    """Change the load's status from the one read to `to`, atomically: the status is written by a
    conditional UPDATE (`WHERE status = <the status read>`) before anything else, so of two
    requests racing on one load (ten check-ins, a cancel and a check-in) exactly one moves it and
    writes its audit entry; the other gets a 409 naming the status it found."""
    if to not in LOAD_TRANSITIONS[load.status]:
        raise Conflict(f'load "{load.id}" is {load.status.value}; it cannot become {to.value}')
    if uow.loads.transition(load.id, load.status, to) is None:
        now_status = uow.loads.current_status(load.id)
        found = now_status.value if now_status is not None else "gone"
        raise Conflict(
            f'load "{load.id}" was changed meanwhile: it is {found} now, not {load.status.value}'
        )
    moved = load.model_copy(update={"status": to, **update})
    uow.loads.update(moved)
    record(
        uow,
        actor,
        action,
        "load",
        load.id,
        {"from": load.status.value, "to": to.value, **(details or {})},
    )
    return moved


def cancel_load(uow: UnitOfWork, load_id: str, *, principal: Principal) -> Load:
    """Cancel and keep the record."""
    with uow:
        load = move_load(
            uow,
            owned_load(uow, load_id, principal),
            LoadStatus.CANCELLED,
            principal.actor,
            "load.cancel",
        )
        uow.commit()
    return load


def _published_slot(uow: UnitOfWork, load_id: str) -> Assignment | None:
    """The load's slot in a published plan, if any."""
    placed = uow.plans.published_assignments(load_ids=[load_id])
    return placed[-1].assignment if placed else None


def check_in(
    uow: UnitOfWork,
    load_id: str,
    *,
    principal: Principal,
    at: datetime | None = None,
    screening: Screening | None = None,
    has_pass: bool | None = None,
    policy: ScreeningPolicy | None = None,
) -> tuple[Load, list[str]]:
    """The truck is at the gate: screen the driver again at arrival; a pass pins its slot.

    Returns the load and the failed checks; a driver who fails is `rejected` (kept, with reasons).
    """
    at = at or utc_now()
    with uow:
        load = owned_load(uow, load_id, principal)
        update: dict[str, Any] = {}
        if screening is not None:
            update["screening"] = screening
        if has_pass is not None:
            update["has_pass"] = has_pass
        probe = load.model_copy(update=update)
        policy = policy or site_settings(uow).screening
        probe = with_screening(probe, policy, at)
        failed = probe.screening_failures
        if failed:
            moved = move_load(
                uow,
                probe,
                LoadStatus.REJECTED,
                principal.actor,
                "load.reject",
                {"at": at.isoformat(), "failed_checks": failed},
            )
            uow.commit()
            return moved, failed
        slot = _published_slot(uow, load_id)
        if slot is not None:
            update["pinned"] = Position(hub_id=slot.hub_id, dock_id=slot.dock_id, start=slot.start)
        moved = move_load(
            uow,
            probe,
            LoadStatus.CHECKED_IN,
            principal.actor,
            "load.check_in",
            {"at": at.isoformat(), "pinned": slot is not None},
            arrived_at=at,
            **update,
        )
        uow.commit()
    return moved, []


def _step(
    uow: UnitOfWork,
    load_id: str,
    principal: Principal,
    at: datetime | None,
    to: LoadStatus,
    action: str,
    stamp: str | None = None,
    **update: Any,
) -> Load:
    """One audited gate step of the load, at `at` (now when None), in its own transaction;
    `stamp` names the gate-time field the step records (started_at, completed_at)."""
    at = at or utc_now()
    if stamp is not None:
        update[stamp] = at
    with uow:
        load = owned_load(uow, load_id, principal)
        details = {"at": at.isoformat()}
        load = move_load(uow, load, to, principal.actor, action, details, **update)
        uow.commit()
    return load


def start_load(
    uow: UnitOfWork, load_id: str, *, principal: Principal, at: datetime | None = None
) -> Load:
    return _step(uow, load_id, principal, at, LoadStatus.IN_OPERATION, "load.start", "started_at")


def complete_load(
    uow: UnitOfWork, load_id: str, *, principal: Principal, at: datetime | None = None
) -> Load:
    return _step(uow, load_id, principal, at, LoadStatus.COMPLETED, "load.complete", "completed_at")


def no_show(
    uow: UnitOfWork, load_id: str, *, principal: Principal, at: datetime | None = None
) -> Load:
    """The truck did not come: its slot is freed (unpinned, out of the next plans)."""
    return _step(uow, load_id, principal, at, LoadStatus.NO_SHOW, "load.no_show", pinned=None)
