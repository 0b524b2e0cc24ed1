"""Hubs: create, change, switch status, and block docks, zones or whole hubs for a period."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hub_scheduler.domain import (
    HUB_TRANSITIONS,
    BlockedWindow,
    Horizon,
    Hub,
    HubStatus,
    Scenario,
    hub_may_become,
)
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.scenario_file import parse_model, reference_errors
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.jobs import JobConfig, JobRunner
from hub_scheduler.services.publishing import withdraw_hub_slots
from hub_scheduler.services.replan import ReplanRequest, queue_replan


def hub_errors(hub: Hub) -> list[FieldError]:
    """A hub's consistency errors (ids, opening hours, blocked windows), paths from the hub."""
    today = datetime.now(UTC)  # any day will do for the reference checks; inside the time window
    probe = Scenario(horizon=Horizon(start=today, end=today + timedelta(days=1)), hubs=[hub])
    return [
        FieldError(field=e.field.removeprefix("hubs[0].") if e.field else None, message=e.message)
        for e in reference_errors(probe)
        if e.field and e.field.startswith("hubs")
    ]


def _check(hub: Hub) -> None:
    errors = hub_errors(hub)
    if errors:
        raise ValidationFailed("the hub is not consistent", errors)


def _get(uow: UnitOfWork, hub_id: str) -> Hub:
    hub = uow.hubs.get(hub_id)
    if hub is None:
        raise NotFound(f'no hub "{hub_id}"')
    return hub


def list_hubs(uow: UnitOfWork) -> list[Hub]:
    with uow:
        return uow.hubs.list()


def get_hub(uow: UnitOfWork, hub_id: str) -> Hub:
    with uow:
        return _get(uow, hub_id)


def create_hub(uow: UnitOfWork, hub: Hub, *, actor: str) -> Hub:
    _check(hub)
    with uow:
        if uow.hubs.get(hub.id) is not None:
            raise Conflict(
                f'a hub "{hub.id}" exists already', [FieldError(field="id", message="is taken")]
            )
        uow.hubs.add(hub)
        record(uow, actor, "hub.create", "hub", hub.id, {"status": hub.status.value})
        uow.commit()
    return hub


def update_hub(uow: UnitOfWork, hub_id: str, changes: dict[str, Any], *, actor: str) -> Hub:
    """Apply a partial change (name, kind, zones, opening hours...) and re-check the whole hub."""
    with uow:
        hub = _get(uow, hub_id)
        merged = parse_model(Hub, {**hub.model_dump(), **changes}, "hub")
        _check(merged)
        uow.hubs.update(merged)
        record(uow, actor, "hub.update", "hub", hub_id, {"fields": sorted(changes)})
        uow.commit()
    return merged


def _switch(uow: UnitOfWork, hub_id: str, status: HubStatus, *, reason: str, actor: str) -> Hub:
    """Switch the hub inside the open unit of work, if HUB_TRANSITIONS allow it (else Conflict)."""
    hub = _get(uow, hub_id)
    before = hub.status
    if not hub_may_become(before, status):
        allowed = ", ".join(sorted(s.value for s in HUB_TRANSITIONS[before])) or "nothing"
        raise Conflict(
            f'hub "{hub_id}" is {before.value}; it cannot become {status.value} '
            f"(a {before.value} hub can become: {allowed})",
            [FieldError(field="status", message=f"cannot follow {before.value}")],
        )
    hub = uow.hubs.set_status(hub_id, status)
    record(
        uow,
        actor,
        "hub.status",
        "hub",
        hub_id,
        {"from": before.value, "to": status.value, "reason": reason},
    )
    return hub


def _switch_and_withdraw(
    uow: UnitOfWork, hub_id: str, status: HubStatus, *, reason: str, actor: str
) -> tuple[Hub, list[tuple[datetime, datetime]]]:
    """The switch; a hub that stops taking trucks loses its slots in force at once (the plan in
    force never sends a truck to a closed hub). Gives the horizons whose plans changed."""
    before = _get(uow, hub_id).status
    hub = _switch(uow, hub_id, status, reason=reason, actor=actor)
    events.hub_status_changed(uow, hub, before, reason)
    if status is HubStatus.ACTIVE:
        return hub, []
    return hub, withdraw_hub_slots(uow, hub_id, actor=actor, reason=reason)



def set_status(uow: UnitOfWork, hub_id: str, status: HubStatus, *, reason: str, actor: str) -> Hub:
    """Switch a hub's status (Conflict when the transition is not allowed), audited, no re-plan;
    a hub leaving `active` loses its slots in force at once."""
    with uow:
        hub, _ = _switch_and_withdraw(uow, hub_id, status, reason=reason, actor=actor)
        uow.commit()
    return hub


def set_status_and_replan(
    uow: UnitOfWork,
    runner: JobRunner,
    config: JobConfig,
    hub_id: str,
    status: HubStatus,
    replan: ReplanRequest | None,
    *,
    reason: str,
    actor: str,
) -> tuple[Hub, Plan | None]:
    """Switch a hub and queue the re-plan in one transaction (neither happens without the
    other), then submit the re-plan. `replan` None: re-plan the horizon whose slots the switch
    withdrew, if any (else no plan)."""
    with uow:
        hub, withdrawn = _switch_and_withdraw(uow, hub_id, status, reason=reason, actor=actor)
        if replan is None and withdrawn:
            replan = ReplanRequest(*withdrawn[0])
        plan = None
        if replan is not None:
            why = f"hub {hub_id} {status.value}: {reason}"
            plan = queue_replan(uow, config, replan, actor=actor, reason=why)
        uow.commit()
    if plan is not None:
        runner.submit(plan.stored_id)
    return hub, plan


def block(uow: UnitOfWork, hub_id: str, window: BlockedWindow, *, actor: str) -> BlockedWindow:
    """Inside the open unit of work: check, store and audit a blocked window (it gets an id)."""
    hub = _get(uow, hub_id)
    window = window.model_copy(update={"id": window.id or f"B-{uuid.uuid4().hex[:10]}"})
    _check(hub.model_copy(update={"blocked": [*hub.blocked, window]}))
    window = uow.hubs.add_blocked(hub_id, window)
    details = {"window_id": window.id, "start": window.start.isoformat()}
    details |= {"end": window.end.isoformat(), "reason": window.reason}
    details |= {"zone_id": window.zone_id, "dock_id": window.dock_id}
    record(uow, actor, "hub.block", "hub", hub_id, details)
    return window


def add_blocked_window(
    uow: UnitOfWork, hub_id: str, window: BlockedWindow, *, actor: str
) -> BlockedWindow:
    """Block a dock, a zone or the whole hub; the window gets an id to delete it by."""
    with uow:
        window = block(uow, hub_id, window, actor=actor)
        uow.commit()
    return window


def remove_blocked_window(uow: UnitOfWork, hub_id: str, window_id: str, *, actor: str) -> None:
    with uow:
        hub = _get(uow, hub_id)
        if not any(w.id == window_id for w in hub.blocked):
            raise NotFound(f'no blocked window "{window_id}" at hub "{hub_id}"')
        uow.hubs.remove_blocked(hub_id, window_id)
        record(uow, actor, "hub.unblock", "hub", hub_id, {"window_id": window_id})
        uow.commit()
