"""Reality wins at a hub switched off: a truck already checked in there when the command centre
suspended its hub (or stood it down) may still start at the dock of the slot it had, and finish.

The plan's rules stay as they are: no plan places a load at a hub that is not active (H2), and a
pinned load whose position is impossible is left out, never moved (H10); so the re-plan after a
suspension publishes without that truck (`dropped`, services/publish_losses.py `taken_by_command`)
and it has no slot in force. The goods are at the dock, though, so the gate lets it work there
instead of refusing `start_without_slot` (services/gate_no_slot.py). A truck whose dock was
blocked (a positive case's deep disinfection) at a hub still active gets no such start: that dock
is closed, and a blocked window over the dock refuses the start at a switched-off hub too.
"""

from __future__ import annotations

from datetime import datetime

from hub_scheduler.day_horizon import carry_start
from hub_scheduler.domain import Assignment, HubStatus, Load, LoadStatus
from hub_scheduler.facts import assignment, disinfection_minutes
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.early_start import refuse_blocked_dock, refuse_busy_dock
from hub_scheduler.transitions import ON_SITE

# Trucks whose run at the gate may still hold a dock (in operation, or done and disinfecting).
_RAN = (LoadStatus.IN_OPERATION, LoadStatus.COMPLETED)


def dock_kept_at_switched_off_hub(uow: UnitOfWork, load: Load) -> Assignment | None:
    """The slot `load` had, as an assignment, when it is checked in (not started) and pinned to a
    hub that is not active now; None otherwise (a hub still active: a slot taken by a blocked
    dock, or no pin: a walk-in that got no slot).

    The source is the load's own `pinned` position: the gate writes it at check-in (the slot in
    force then) and every repair or late start that moves the truck moves it too, while neither
    the hub's switch (services/publishing.py `withdraw_hub_slots` keeps trucks on site) nor the
    re-plan's publish that drops the truck clears it. It is on the load row the start reads
    anyway; the publish's `dropped` entry, its audit and the unscheduled entry name no dock, and
    the replaced plan's row may be older than a repair's pin. Its end and disinfection follow
    from the load's handling minutes and the dock's zone (`facts.assignment`)."""
    if load.status is not LoadStatus.CHECKED_IN or load.started_at is not None:
        return None
    return on_site_at_switched_off_hub(uow, load)


def on_site_at_switched_off_hub(uow: UnitOfWork, load: Load) -> Assignment | None:
    """The slot a truck on site (checked in, or working) is pinned to, as an assignment, when its
    hub is not active now (the gate page says it may work there until done); else None."""
    pin = load.pinned
    if load.status not in ON_SITE or pin is None:
        return None
    hub = uow.hubs.get(pin.hub_id)
    if hub is None or hub.status is HubStatus.ACTIVE:
        return None
    zone = hub.dock_zone(pin.dock_id)
    if zone is None:
        return None
    return assignment(
        load.id,
        (hub.id, zone.id, pin.dock_id),
        pin.start,
        load.handling_minutes,
        disinfection_minutes(load, zone, hub),
    )


def start_at_kept_dock(uow: UnitOfWork, load: Load, at: datetime) -> Assignment | None:
    """The dock `load` starts at, at `at`, when it has no slot in force and its hub was switched
    off since it checked in (`dock_kept_at_switched_off_hub`); None when that is not its case
    (the caller refuses as before). The dock rules the gate applies to any start still hold:
    another truck's run at the gate still on that dock refuses it (409 `dock_in_use`, H3; the
    trucks there have lost their rows too, so their runs are read from their pins and gate
    times), and so does a blocked window over it (409 `dock_blocked`, H5). There is no slot
    to be early for, and no plan places anything at a hub that is not active. Runs inside the
    caller's unit of work, after `plans.lock_publishing()`."""
    slot = dock_kept_at_switched_off_hub(uow, load)
    if slot is None:
        return None
    refuse_busy_dock(uow, load, slot, at, off_plan=_runs_on_dock(uow, load, slot, at))
    refuse_blocked_dock(uow, load, slot, at)
    return slot


def _runs_on_dock(
    uow: UnitOfWork, load: Load, slot: Assignment, at: datetime
) -> list[tuple[Assignment, Load]]:
    """The other trucks started at the gate on `slot`'s dock (pinned there; released at most
    CARRY_DAYS before `at`), each with its run as an assignment from its pin (their gate times
    count, `early_start.dock_busy`)."""
    found = []
    hub = uow.hubs.get(slot.hub_id)
    ran = uow.loads.list(status=_RAN, hub_id=slot.hub_id, release_from=carry_start(at))
    for other in ran:
        pin = other.pinned
        if other.id == load.id or pin is None or other.started_at is None or hub is None:
            continue
        zone = hub.dock_zone(pin.dock_id)
        if pin.dock_id != slot.dock_id or zone is None:
            continue
        where = (hub.id, zone.id, pin.dock_id)
        d = disinfection_minutes(other, zone, hub)
        found.append((assignment(other.id, where, pin.start, other.handling_minutes, d), other))
    return found
