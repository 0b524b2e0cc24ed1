"""Hubs: create, change, switch status, and block docks, zones or whole hubs for a period."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hub_scheduler.domain import (
    BlockedWindow,
    Horizon,
    Hub,
    HubStatus,
    Scenario,
)
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.scenario_file import parse_model, reference_errors
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.jobs import JobConfig, JobRunner
from hub_scheduler.services.publishing import withdraw_hub_slots
from hub_scheduler.services.replan import (
    ReplanRequest,
    queue_later_days,
    queue_replan,
    replan_horizon,
)
from hub_scheduler.transitions import (
    HUB_TRANSITIONS,
    hub_may_become,
)


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


def _switch_and_tell(
    uow: UnitOfWork, hub_id: str, status: HubStatus, *, reason: str, actor: str
) -> tuple[Hub, HubStatus]:
    """Commit the switch, its audit row and its hub.status_changed event on their own, before
    any withdrawal or re-plan work: the commit wakes the sender, so the affected enterprises
    hear of it at once (issue 13: within a second of the request). Gives the hub and its status
    before."""
    with uow:
        before = _get(uow, hub_id).status
        hub = _switch(uow, hub_id, status, reason=reason, actor=actor)
        events.hub_status_changed(uow, hub, before, reason)
        uow.commit()

    return hub, before


def _undo_switch(uow: UnitOfWork, hub: Hub, before: HubStatus, *, reason: str, actor: str) -> None:
    """The withdrawal after a switch failed: put the status back (audited, and told as one more
    hub.status_changed), so a hub never stays closed while the plan in force still sends trucks
    there."""
    with uow:
        restored = uow.hubs.set_status(hub.id, before)
        why = f"undone, the slots could not be withdrawn: {reason}"
        details = {"from": hub.status.value, "to": before.value, "reason": why}
        record(uow, actor, "hub.status", "hub", hub.id, details)
        events.hub_status_changed(uow, restored, hub.status, why)
        uow.commit()


def _switch_then_withdraw(
    uow: UnitOfWork,
    hub_id: str,
    status: HubStatus,
    *,
    reason: str,
    actor: str,
    then: Callable[[list[tuple[datetime, datetime]]], Plan | None] = lambda _: None,
    told: Callable[[], None] | None = None,
) -> tuple[Hub, Plan | None]:
    """The switch (committed and told at once), then in a second transaction: a hub that stops
    taking trucks loses its slots in force (the plan in force never sends a truck to a closed
    hub) and `then(horizons withdrawn)` queues the re-plan. Should the second transaction fail,
    the switch is undone and the error raised. `told` runs between the two (the API lets the
    events go out there: on SQLite the withdrawal would hold the only write lock)."""
    hub, before = _switch_and_tell(uow, hub_id, status, reason=reason, actor=actor)
    if told is not None:
        told()
    try:
        with uow:
            withdrawn = []
            if status is not HubStatus.ACTIVE:
                withdrawn = withdraw_hub_slots(uow, hub_id, actor=actor, reason=reason)
            plan = then(withdrawn)
            uow.commit()
    except Exception:
        _undo_switch(uow, hub, before, reason=reason, actor=actor)
        raise
    return hub, plan


def set_status(
    uow: UnitOfWork,
    hub_id: str,
    status: HubStatus,
    *,
    reason: str,
    actor: str,
    told: Callable[[], None] | None = None,
) -> Hub:
    """Switch a hub's status (Conflict when the transition is not allowed), audited, no re-plan;
    a hub leaving `active` loses its slots in force right after (see `_switch_then_withdraw`)."""
    hub, _ = _switch_then_withdraw(uow, hub_id, status, reason=reason, actor=actor, told=told)
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
    told: Callable[[], None] | None = None,
) -> tuple[Hub, Plan | None]:
    """Switch a hub (committed and told at once; `told` runs then), then withdraw its slots and
    queue the re-plan in one transaction (the switch is undone if that fails), then submit the
    re-plan. `replan` None: re-plan the horizon whose slots the switch withdrew, if any
    (else no plan)."""

    later: list[Plan] = []

    def queue(withdrawn: list[tuple[datetime, datetime]]) -> Plan | None:
        # The day in force now first (a published tomorrow never takes its place); then each
        # later published day whose slots the switch withdrew (replan.queue_later_days).
        request = replan
        if request is None and withdrawn:
            request = ReplanRequest()
            start, end = replan_horizon(uow, None, None, config.now)
            if (start, end) not in withdrawn:
                request = ReplanRequest(*min(withdrawn))
        if request is None:
            return None
        why = f"hub {hub_id} {status.value}: {reason}"
        plan = queue_replan(uow, config, request, actor=actor, reason=why)
        later.extend(
            queue_later_days(uow, config, request, plan, withdrawn, actor=actor, reason=why)
        )
        return plan

    hub, plan = _switch_then_withdraw(
        uow, hub_id, status, reason=reason, actor=actor, then=queue, told=told
    )
    if plan is not None:
        runner.submit(plan.stored_id)
    for extra in later:
        runner.submit(extra.stored_id)
    return hub, plan


def block(uow: UnitOfWork, hub_id: str, window: BlockedWindow, *, actor: str) -> BlockedWindow:
    """Inside the open unit of work: check, store and audit a blocked window (it gets an id)."""
    hub = _get(uow, hub_id)
    window = window.model_copy(update={"id": window.id or f"B-{uuid.uuid4().hex[:10]}"})
    _check(hub.model_copy(update={"blocked": [*hub.blocked, window]}))
    window = uow.hubs.add_blocked(hub_id, window)
    details = {"window_id": window.id, "start": window.start.isoformat()}
    details["end"] = window.end.isoformat()
    # A system-made window (disinfection after a positive case) is logged by its code, which the
    # pages translate; a typed reason as typed.
    details |= (
        {"reason_code": window.reason_code} if window.reason_code else {"reason": window.reason}
    )
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
