"""A truck that starts before its slot: allowed only on a dock free and disinfected for the whole
early operation (H3 one truck at a time, disinfection after each; H5 blocked windows), so that no
other truck's slot on that dock is touched; else refused, naming the slot's start. At any time, a
start while another truck really holds the dock (at the gate: still in operation, or its
disinfection not yet over) is refused, naming when the dock is free; so is a start on a dock a
blocked window closes (H5: a positive case's deep disinfection), naming when it opens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from hub_scheduler import load_keys
from hub_scheduler.domain import Assignment, BlockedWindow, Hub, Load, LoadStatus
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.site import site_timezone

# Loads that hold no dock: their slots in a published plan free it.
_GONE = {LoadStatus.CANCELLED, LoadStatus.REJECTED, LoadStatus.NO_SHOW}


def dock_busy(a: Assignment, load: Load | None) -> tuple[datetime, datetime] | None:
    """(from, until): when `a`'s load keeps its dock busy, operation and disinfection (UTC). At its
    gate times when the gate has them (started; completed, or still running: at least its planned
    length from its start), else as planned; None for a load that holds no dock any more. Also
    used by a re-plan (`models/scenario_store.py`), so that a dock a truck really used is not
    given to another truck before it is disinfected (H3)."""
    if load is None or load.status in _GONE:
        return None
    disinfection = a.disinfected_at - a.end
    if load.started_at is None:
        return a.start, a.disinfected_at
    end = load.completed_at or max(a.end, load.started_at + (a.end - a.start))
    return load.started_at, end + disinfection


def _others_on_dock(
    uow: UnitOfWork, load: Load, slot: Assignment, start: datetime, end: datetime
) -> list[tuple[Assignment, Load | None]]:
    """The other loads' published slots on `slot`'s dock near `[start, end]` (12 hours either
    side: gate times may differ from the plan's by that much), each with its load (None when
    gone)."""
    others = uow.plans.published_assignments(
        hub_id=slot.hub_id,
        dock_id=slot.dock_id,
        start_before=end + timedelta(hours=12),
        end_after=start - timedelta(hours=12),
    )
    loads = {ld.id: ld for ld in uow.loads.get_many({p.assignment.load_id for p in others})}
    return [
        (p.assignment, loads.get(p.assignment.load_id))
        for p in others
        if p.assignment.load_id != load.id
    ]


def _blocked_over(
    uow: UnitOfWork, slot: Assignment, start: datetime, end: datetime
) -> list[BlockedWindow]:
    """The blocked windows of `slot`'s hub (the whole hub, its zone or its dock) overlapping
    [start, end) on `slot`'s dock (H5)."""
    hub = uow.hubs.get(slot.hub_id)
    if hub is None:
        return []
    return [
        w
        for w in hub.blocked
        if w.zone_id in (None, slot.zone_id)
        and w.dock_id in (None, slot.dock_id)
        and w.start < end
        and start < w.end
    ]


def refuse_blocked_dock(uow: UnitOfWork, load: Load, slot: Assignment, at: datetime) -> None:
    """Raise Conflict (409, field `at`, code `dock_blocked`, params `{at, until, dock}` in the
    site's zone) when the operation started at `at` on `slot`'s dock (its planned length, then
    its disinfection) would overlap a blocked window over that dock (H5): a truck waiting since
    before a positive case was reported must not start on the dock closed for its deep
    disinfection. `until` is when the last such window ends. Runs inside the caller's unit of
    work, after `plans.lock_publishing()`."""
    windows = _blocked_over(uow, slot, at, at + (slot.disinfected_at - slot.start))
    if not windows:
        return
    tz = site_timezone(uow)
    params = {
        "at": at.astimezone(tz).isoformat(),
        "until": _minute_up(max(w.end for w in windows)).astimezone(tz).isoformat(),
        "dock": slot.dock_id,
    }
    shown = load_keys.local(load.id)
    raise Conflict(
        f'load "{shown}" cannot start at {params["at"]}: dock {slot.dock_id} is closed until '
        f"{params['until']}",
        [
            FieldError(
                field="at",
                message=f"dock {slot.dock_id} is closed until {params['until']}",
                code="dock_blocked",
                params=params,
            )
        ],
    )


def refuse_early_start(
    uow: UnitOfWork, load: Load, slot: Assignment, at: datetime, tolerance: timedelta
) -> None:
    """Raise Conflict (409, field `at`, code `start_before_slot`, params `{slot_start, at}` in the
    site's zone) when `at` is more than `tolerance` before `slot.start` and the early operation
    (its planned length from `at`, then its disinfection) would overlap another truck's use of the
    dock or a blocked window over it. A start at or after the slot (less the tolerance) passes.
    Runs inside the caller's unit of work, after `plans.lock_publishing()`."""
    if at >= slot.start - tolerance:
        return
    until = at + (slot.disinfected_at - slot.start)
    clash = False
    for a, other in _others_on_dock(uow, load, slot, at, until):
        busy = dock_busy(a, other)
        if busy is not None and busy[0] < until and at < busy[1]:
            clash = True
    if _blocked_over(uow, slot, at, until):
        clash = True
    if not clash:
        return
    tz = site_timezone(uow)
    params = {
        "slot_start": slot.start.astimezone(tz).isoformat(),
        "at": at.astimezone(tz).isoformat(),
        "dock": slot.dock_id,
    }
    shown = load_keys.local(load.id)
    raise Conflict(
        f'load "{shown}" cannot start before its slot at {params["slot_start"]}: '
        f"dock {slot.dock_id} is not free and disinfected until then",
        [
            FieldError(
                field="at",
                message=(
                    f"is before the slot's start ({params['slot_start']}) and dock "
                    f"{slot.dock_id} is not free until then"
                ),
                code="start_before_slot",
                params=params,
            )
        ],
    )


def refuse_busy_dock(
    uow: UnitOfWork,
    load: Load,
    slot: Assignment,
    at: datetime,
    off_plan: Iterable[tuple[Assignment, Load]] = (),
) -> None:
    """Raise Conflict (409, field `at`, code `dock_in_use`, params `{at, until, dock}` in the
    site's zone) when at `at` another truck's run on `slot`'s dock, by its gate times, is not over
    and disinfected (`dock_busy`; H3: one truck at a time, disinfection after each). Trucks the
    gate has not started do not count: their slots are the plan's, and a late truck's own start
    is checked against those by `refuse_early_start`. `off_plan`: runs no published row holds
    (trucks at a hub switched off, services/gate_suspended.py), checked the same way. Runs inside
    the caller's unit of work, after `plans.lock_publishing()`."""
    until = None
    for a, other in [*_others_on_dock(uow, load, slot, at, at), *off_plan]:
        if other is None or other.started_at is None:
            continue
        busy = dock_busy(a, other)
        if busy is not None and busy[0] <= at < busy[1]:
            until = busy[1] if until is None else max(until, busy[1])
    if until is None:
        return
    tz = site_timezone(uow)
    params = {
        "at": at.astimezone(tz).isoformat(),
        # To the next whole minute: the gate's pages say minutes, and 16:27:54 said "16:27" is
        # a start the dock still refuses.
        "until": _minute_up(until).astimezone(tz).isoformat(),
        "dock": slot.dock_id,
    }
    shown = load_keys.local(load.id)
    raise Conflict(
        f'load "{shown}" cannot start at {params["at"]}: dock {slot.dock_id} is in use or being '
        f"disinfected until {params['until']}",
        [
            FieldError(
                field="at",
                message=(
                    f"dock {slot.dock_id} is in use or being disinfected until {params['until']}"
                ),
                code="dock_in_use",
                params=params,
            )
        ],
    )


def _minute_up(moment: datetime) -> datetime:
    """`moment` rounded up to a whole minute (unchanged when it is one)."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def with_gate_runs(
    hubs: list[Hub], spans: list[tuple[Assignment, datetime, datetime]]
) -> list[Hub]:
    """`hubs` with a blocked window on each `(a, lo, hi)`: `a`'s dock taken by its load's run at
    the gate over [lo, hi) where no row holds it (H3), so a plan or a repair built on them never
    gives a slot the gate's `dock_in_use` would refuse. Used by the re-plan
    (`models/scenario_store.py`) and the repair (`services/repair.py`); empty spans are skipped."""
    windows: dict[str, list[BlockedWindow]] = {}
    for a, lo, hi in spans:
        if lo < hi:
            n = len(windows.setdefault(a.hub_id, [])) + 1
            windows[a.hub_id].append(
                BlockedWindow(
                    id=f"gate-{n}",
                    start=lo,
                    end=hi,
                    zone_id=a.zone_id,
                    dock_id=a.dock_id,
                    reason=f"load {a.load_id} uses this dock at the gate",
                )
            )
    return [
        h.model_copy(update={"blocked": [*h.blocked, *windows[h.id]]}) if h.id in windows else h
        for h in hubs
    ]
