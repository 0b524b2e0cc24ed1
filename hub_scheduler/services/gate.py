"""The truck's life at the gate: check-in (screened again at arrival), start, complete, no-show,
cancel. Each step follows LOAD_TRANSITIONS (transitions.py) and is audited with who and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub_scheduler import load_keys
from hub_scheduler.domain import (
    Assignment,
    Load,
    LoadStatus,
    Position,
    Screening,
    ScreeningPolicy,
)
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.screening import FailedCheck, failed_checks
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.early_start import (
    refuse_blocked_dock,
    refuse_busy_dock,
    refuse_early_start,
)
from hub_scheduler.services.gate_incidents import let_in, refuse_contact
from hub_scheduler.services.gate_incidents import local_time as _local
from hub_scheduler.services.gate_incidents import published_slot as _published_slot
from hub_scheduler.services.gate_no_slot import (
    refuse_not_whitelisted,
    refuse_start_without_slot,
    walk_in,
)
from hub_scheduler.services.gate_rejection import free_the_slot
from hub_scheduler.services.gate_suspended import start_at_kept_dock
from hub_scheduler.services.gate_times import (
    ARRIVAL_CLOCK_SKEW,
    gate_time,
    in_order,
    not_in_future,
)
from hub_scheduler.services.incident_contacts import open_contacts_of
from hub_scheduler.services.late_start import follow_start
from hub_scheduler.services.load_checks import with_screening
from hub_scheduler.services.load_lookup import owned_load
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.repair import repair_slot
from hub_scheduler.services.site import site_settings
from hub_scheduler.transitions import LOAD_TRANSITIONS


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
        shown = load_keys.local(load.id)
        text = f'load "{shown}" is {load.status.value}; it cannot become {to.value}'
        raise Conflict(text, [_status_error(text, load.status.value, to)])
    if uow.loads.transition(load.id, load.status, to) is None:
        now_status = uow.loads.current_status(load.id)
        found = now_status.value if now_status is not None else "gone"
        text = (
            f'load "{load_keys.local(load.id)}" was changed meanwhile: it is {found} now, '
            f"not {load.status.value}"
        )
        raise Conflict(text, [_status_error(text, found, to)])
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


def _status_error(text: str, status: str, to: LoadStatus) -> FieldError:
    """A refused status change names the field it is about (`status`, code `load_status`,
    params {status, to}): the load's status as found, and the one asked for."""
    return FieldError(
        field="status", message=text, code="load_status", params={"status": status, "to": to.value}
    )


def cancel_load(uow: UnitOfWork, load_id: str, *, principal: Principal) -> Load:
    """Cancel and keep the record."""
    with uow:
        placed = _published_slot(uow, load_id)
        load = move_load(
            uow,
            owned_load(uow, load_id, principal),
            LoadStatus.CANCELLED,
            principal.actor,
            "load.cancel",
        )
        if placed is not None:
            events.emit_slot(uow, load, placed.assignment, None, reason={"code": "CANCELLED"})
        uow.commit()
    return load


@dataclass(frozen=True)
class CheckIn:
    """A check-in's outcome: the load, the failed entry checks, the slot it now holds (None: no
    slot in force), minutes until that slot (an early truck waits), and the repair when the
    truck came after its slot (`reason`: code and parameters; `reasons`: why the new slot is not
    earlier, `solver/why_not_earlier.py` limits as {code, rule, params}); `checks` are the failed
    checks with their codes and parameters, for a page to translate."""

    load: Load
    failed_checks: list[str] = field(default_factory=list)
    slot: Assignment | None = None
    wait_minutes: float | None = None
    reason: dict[str, Any] | None = None
    checks: list[FailedCheck] = field(default_factory=list)
    notice: dict[str, Any] | None = None
    reasons: list[dict[str, Any]] = field(default_factory=list)


def _due_passed(uow: UnitOfWork, load: Load, at: datetime) -> dict[str, Any] | None:
    """A truck that arrives after its due is told so, whatever its slot (code and the due in
    the site's zone)."""
    if at <= load.due:
        return None
    return {"code": "DUE_PASSED", "params": {"due": _local(uow, load.due)}}


def check_in(
    uow: UnitOfWork,
    load_id: str,
    *,
    principal: Principal,
    at: datetime | None = None,
    screening: Screening | None = None,
    has_pass: bool | None = None,
    policy: ScreeningPolicy | None = None,
    clock: datetime | None = None,
    override_note: str | None = None,
) -> CheckIn:
    """The truck is at the gate (`at`; None: the service's `clock`, see `gate_time`): screen the
    driver again; a pass pins its slot and records `arrived_at`.

    A truck after its slot's start is not pinned to the past: it gets the earliest feasible slot
    from `at` by a repair of the plan in force (`services/repair.py`, verified; a gap when there
    is one by its due, else the fewest later `scheduled` loads of one dock are pushed, each
    audited `SHIFTED_FOR_REPAIR`), with the reason recorded (`LATE_ARRIVAL`, or `NO_SLOT_LEFT`
    and no pin when the horizon holds no slot). An early truck keeps its slot and is told its
    wait; a truck whose dock was blocked over its slot since (a positive case) is repaired the
    same way from `at` (`DOCK_BLOCKED`); a truck after its due is told so (`notice`). A driver
    who fails is `rejected` (kept, with reasons). An arrival later than now (beyond
    ARRIVAL_CLOCK_SKEW, `gate_time`) is refused and nothing changes.

    A truck with no published slot (a walk-in) gets a gap from `at` in the plan covering `at`
    (`WALK_IN`; pushes no one; none: as before). An enterprise off the white-list on the arrival
    day is refused, no override (`gate_not_whitelisted`). Both: services/gate_no_slot.py.

    A load traced as a contact of an incident open at `at`, or carried by that incident's
    positive truck (the same plate: `services/incident_contacts.py`), is refused (Conflict, code
    `gate_incident_contact`, or `gate_positive_vehicle` for that truck; `refuse_contact`) and
    nothing changes,
    unless `override_note` (the operator's reason, not blank) is given: the override is then
    audited as `load.contact_override`, told to the command centre and the slot's hub
    (`incident.contact_let_in`), and the check-in goes on as for any truck.
    """
    at, now = gate_time(at, clock)
    note = (override_note or "").strip()
    with uow:
        # First: take turns with publishers, repairs, ETA changes, incidents and the other gate
        # (the slot read below is then the one in force when this commits; two late trucks are
        # never repaired into one gap).
        uow.plans.lock_publishing()
        load = owned_load(uow, load_id, principal)
        not_in_future(uow, at, now, "load.check_in")
        load_id = load.id  # the key (load_keys)
        # Only a truck that could be checked in is judged (else move_load names its status).
        may_enter = LoadStatus.CHECKED_IN in LOAD_TRANSITIONS[load.status]
        if may_enter:
            refuse_not_whitelisted(uow, load, at)  # H11, before screening and contacts
        contacts = (
            open_contacts_of(uow, load_id, at, vehicle_plate=load.vehicle_plate)
            if may_enter
            else []
        )
        if contacts and not note:
            refuse_contact(uow, load_id, contacts)
        if contacts:
            let_in(uow, principal, load, contacts, note, at)
        update: dict[str, Any] = {}
        if screening is not None:
            update["screening"] = screening
        if has_pass is not None:
            update["has_pass"] = has_pass
        probe = load.model_copy(update=update)
        policy = policy or site_settings(uow).screening
        probe = with_screening(probe, policy, at)
        # The audit log, the events (webhooks) and the answer keep "CODE: English words"
        # strings, as before; the load keeps the codes and params (said at the edge).
        failed = [str(f) for f in probe.screening_failures or []]
        if failed:
            # Turned away: the slot is freed for the trucks behind it (services/gate_rejection).
            moved = move_load(
                uow,
                probe,
                LoadStatus.REJECTED,
                principal.actor,
                "load.reject",
                {"at": _local(uow, at), "failed_checks": failed},
            )
            checks = failed_checks(probe, policy, at)
            free_the_slot(uow, moved, checks, failed, _local(uow, at))
            uow.commit()
            return CheckIn(moved, failed, checks=checks)
        placed = _published_slot(uow, load_id)
        slot = placed.assignment if placed is not None else None
        # The slot it came for, kept as it is: on time at the gate counts from it (gate_kpis).
        update["arrival_slot_start"] = slot.start if slot is not None else None
        reason = None
        reasons: list[dict[str, Any]] = []
        details: dict[str, Any] = {"at": _local(uow, at)}
        # The status first (the conditional UPDATE decides races), then the repair.
        moved = move_load(
            uow, probe, LoadStatus.CHECKED_IN, principal.actor, "load.check_in", details
        )
        blocked = slot is not None and _on_blocked_dock(uow, slot)
        repair = None
        if placed is not None and slot is not None and (at > slot.start or blocked):
            # Late, or its dock closed since the plan (a positive case's deep disinfection).
            code = "LATE_ARRIVAL" if at > slot.start else "DOCK_BLOCKED"
            repair = repair_slot(
                uow, probe, placed.plan_id, slot, at, code, actor=principal.actor, now=at
            )
        elif placed is None:  # a walk-in: a gap in the plan covering `at`, if there is one
            repair = walk_in(uow, probe, at, actor=principal.actor)
        if repair is not None:
            slot = repair.after
            reason = {"code": repair.code, "params": repair.params}
            reasons = list(repair.limits)
            record(uow, principal.actor, "load.repair", "load", load_id, reason)
            update["slot_changed"] = repair.slot_changed
        update["pinned"] = (
            Position(hub_id=slot.hub_id, dock_id=slot.dock_id, start=slot.start) if slot else None
        )
        moved = moved.model_copy(update={**update, "arrived_at": at})
        uow.loads.update(moved)
        notice = _due_passed(uow, moved, at)
        uow.commit()
    wait = max(0.0, (slot.start - at).total_seconds() / 60) if slot is not None else None
    return CheckIn(moved, [], slot, wait, reason, notice=notice, reasons=reasons)


def _on_blocked_dock(uow: UnitOfWork, slot: Assignment) -> bool:
    """Whether a blocked window of the slot's hub (the whole hub, its zone or its dock) overlaps
    the slot from its start to its disinfection's end (H5)."""
    hub = uow.hubs.get(slot.hub_id)
    return hub is not None and any(
        w.zone_id in (None, slot.zone_id)
        and w.dock_id in (None, slot.dock_id)
        and w.start < slot.disinfected_at
        and slot.start < w.end
        for w in hub.blocked
    )


def _step(
    uow: UnitOfWork,
    load_id: str,
    principal: Principal,
    at: datetime | None,
    to: LoadStatus,
    action: str,
    stamp: str | None = None,
    clock: datetime | None = None,
    **update: Any,
) -> Load:
    """One audited gate step of the load, at `at` (None: the service's `clock`), in its own
    transaction; `stamp` names the gate-time field the step records (started_at, completed_at).
    A time later than now (beyond ARRIVAL_CLOCK_SKEW, `gate_time`) is refused as for a check-in,
    and nothing changes."""
    typed = at is not None
    at, now = gate_time(at, clock)
    with uow:
        load = owned_load(uow, load_id, principal)
        not_in_future(uow, at, now, action)
        if stamp is not None:
            at = in_order(uow, load, stamp, at, typed, ARRIVAL_CLOCK_SKEW)
            update[stamp] = at
        details = {"at": _local(uow, at)}
        load = move_load(uow, load, to, principal.actor, action, details, **update)
        uow.commit()
    return load


def start_load(
    uow: UnitOfWork,
    load_id: str,
    *,
    principal: Principal,
    at: datetime | None = None,
    clock: datetime | None = None,
) -> Load:
    """The truck starts at its dock (`at`; None: the service's `clock`, see `gate_time`). A start
    earlier than its slot's start (beyond ARRIVAL_CLOCK_SKEW) is taken only when the dock is free
    and disinfected from `at` until the early operation and its disinfection end (no other
    truck's slot or actual run, no blocked window there, H3/H5); else 409 with code
    `start_before_slot` naming the slot's start (`services/early_start.py`). At any time, a start
    while another truck's gate run still holds the dock (in operation, or not yet disinfected) is
    409 with code `dock_in_use` naming when it is free. A load with no slot while a published
    plan covers `at` is 409 `start_without_slot` (services/gate_no_slot.py), unless it checked in
    at a hub switched off since: it starts at the dock of the slot it had, which its audit entry
    names (services/gate_suspended.py). The actual start is
    recorded (`started_at`); a start more than ARRIVAL_CLOCK_SKEW after the slot's, or one
    within it (or early) whose real run meets another truck's slot on the dock, moves its row and
    pin to the real run, and the others as the rules need (services/late_start.py)."""
    typed = at is not None
    at, now = gate_time(at, clock)
    with uow:
        # Take turns with check-ins, repairs and publishers: the dock read below stays as read.
        uow.plans.lock_publishing()
        load = owned_load(uow, load_id, principal)
        not_in_future(uow, at, now, "load.start")
        at = in_order(uow, load, "started_at", at, typed, ARRIVAL_CLOCK_SKEW)
        placed = _published_slot(uow, load.id)
        kept = None  # the dock kept at a hub switched off since check-in (gate_suspended)
        if placed is not None:
            refuse_early_start(uow, load, placed.assignment, at, ARRIVAL_CLOCK_SKEW)
            refuse_busy_dock(uow, load, placed.assignment, at)
            refuse_blocked_dock(uow, load, placed.assignment, at)
        elif LoadStatus.IN_OPERATION in LOAD_TRANSITIONS[load.status]:  # else move_load says why
            kept = start_at_kept_dock(uow, load, at)
            if kept is None:
                refuse_start_without_slot(uow, load, at)
        details = {"at": _local(uow, at)}
        if kept is not None:
            details |= {"hub_id": kept.hub_id, "dock_id": kept.dock_id}
        moved = move_load(
            uow,
            load,
            LoadStatus.IN_OPERATION,
            principal.actor,
            "load.start",
            details,
            started_at=at,
        )
        if placed is not None:  # the plan follows its real run when it leaves its slot
            moved = follow_start(uow, moved, placed, at, actor=principal.actor)
        uow.commit()
    return moved


def complete_load(
    uow: UnitOfWork,
    load_id: str,
    *,
    principal: Principal,
    at: datetime | None = None,
    clock: datetime | None = None,
) -> Load:
    """Handling finished at the dock (`at`; None: the service's `clock`): `completed_at`."""
    return _step(
        uow, load_id, principal, at, LoadStatus.COMPLETED, "load.complete", "completed_at", clock
    )


def no_show(
    uow: UnitOfWork,
    load_id: str,
    *,
    principal: Principal,
    at: datetime | None = None,
    clock: datetime | None = None,
) -> Load:
    """The truck did not come (`at`; None: the service's `clock`, see `gate_time`): its slot is
    freed (unpinned, its row dropped from the plan in force, whose figures follow). Before its
    slot in force starts it may still come: refused (Conflict, field `at`, code
    `no_show_before_slot`, params `{slot_start, at}` in the site's zone), nothing written. A
    load without a slot in force is marked as before."""
    at, now = gate_time(at, clock)
    with uow:
        # Take turns with publishers and repairs: the slot read below stays the one in force.
        uow.plans.lock_publishing()
        load = owned_load(uow, load_id, principal)
        not_in_future(uow, at, now, "load.no_show")
        if LoadStatus.NO_SHOW in LOAD_TRANSITIONS[load.status]:  # else move_load says why
            refuse_no_show_before_slot(uow, load, at)
        details = {"at": _local(uow, at)}
        moved = move_load(
            uow, load, LoadStatus.NO_SHOW, principal.actor, "load.no_show", details, pinned=None
        )
        placed = _published_slot(uow, moved.id)
        if placed is not None:  # the dock is free now: the plan in force shows it free at once
            uow.plans.drop_assignment(placed.plan_id, moved.id)
        uow.commit()
    return moved


def refuse_no_show_before_slot(uow: UnitOfWork, load: Load, at: datetime) -> None:
    """Raise Conflict (409, field `at`, code `no_show_before_slot`, params `{slot_start, at}` in
    the site's zone) when `at` is before the start of the load's slot in force: until then the
    truck may still come. No slot in force, or `at` at or after its start: nothing."""
    placed = _published_slot(uow, load.id)
    if placed is None or at >= placed.assignment.start:
        return
    params = {"slot_start": _local(uow, placed.assignment.start), "at": _local(uow, at)}
    shown = load_keys.local(load.id)
    raise Conflict(
        f'load "{shown}" cannot be marked as not come before its slot starts at '
        f"{params['slot_start']}",
        [
            FieldError(
                field="at",
                message=f"is before the slot's start ({params['slot_start']})",
                code="no_show_before_slot",
                params=params,
            )
        ],
    )
