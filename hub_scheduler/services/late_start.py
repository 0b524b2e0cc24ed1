"""A truck whose real run at the gate leaves its slot: the plan in force follows it at once, so it
never shows a slot the dock cannot honour.

When: a start more than ARRIVAL_CLOCK_SKEW after the slot's start (`LATE_START`; the others'
code `DOCK_TAKEN_BY_LATE_START`); or a start within the skew, or early, whose real run (from the
actual start, the planned length, then disinfection: `early_start.dock_busy`, what the gate's
`dock_in_use` refuses) meets another truck's row on that dock (`RUN_OVERLAPS_SLOT`; the
others' `DOCK_TAKEN_BY_RUN`): left alone, the gate would refuse that truck's start at its slot and
nothing would move it. A start within the skew that meets no one moves nothing.

- The started truck's row and pin move to its real run on the same dock: from the first slot-grid
  minute at or after its actual start (H9; rounded up, so the row never claims time before the
  truck began), as long as before; the dock is held from the actual start to that row's end plus
  disinfection (`dock_turns.held_by_run`). Audited `load.repair`.
- Trucks checked in and pinned on that dock, not started, wait in turn (`dock_turns.wait_in_turn`):
  each one the held run (or the truck before it) meets moves right, to the first grid minute after,
  never to another dock (H10). Pin and row move together; audited `load.start_moved`.
- Scheduled trucks (not on site) whose slots meet a held span are repaired
  (`start_rules.repair_for_start`, from their planned start or the start, whichever is later; a
  pinned one's pin moves with its row), their reason the others' code (or `NO_SLOT_LEFT` /
  `DEADLINE_PASSED` with that `cause`).
- Then the rules the moved rows touch beyond the dock (crews, site capacity, relays, deadlines,
  the horizon's end) hold again: `start_rules.hold_rules` (the started truck keeps its row,
  others move).

Each moved truck gets `slot_changed` and a slot event for its enterprise, as a repair gives them.
Runs inside the gate's unit of work, after `plans.lock_publishing()` and the status change.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from hub_scheduler.dock_turns import Span, held_by_run, wait_in_turn
from hub_scheduler.domain import Assignment, Load, LoadStatus, Position
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.plans import PlacedLoad
from hub_scheduler.services.audit import record
from hub_scheduler.services.early_start import dock_busy
from hub_scheduler.services.events import emit_slot
from hub_scheduler.services.gate_times import ARRIVAL_CLOCK_SKEW
from hub_scheduler.services.site import read_site
from hub_scheduler.services.start_rules import hold_rules, repair_for_start

# The started truck's reason, and that of each truck its run displaced: a late start, or a start
# within the skew (or early) whose real run meets another truck's slot on its dock.
LATE_START = "LATE_START"
DOCK_TAKEN = "DOCK_TAKEN_BY_LATE_START"
RUN_OVERLAPS = "RUN_OVERLAPS_SLOT"
DOCK_TAKEN_BY_RUN = "DOCK_TAKEN_BY_RUN"
_NEAR = timedelta(hours=12)  # rows read around the run: gate times may lie that far off
_MAX_REPAIRS = 50  # scheduled trucks repaired at one start, at most
# Loads whose rows no one waits for: gone, or run at the gate (their runs are what others wait
# for; the gate refuses a start inside one).
_NOT_WAITING = {
    LoadStatus.CANCELLED,
    LoadStatus.REJECTED,
    LoadStatus.NO_SHOW,
    LoadStatus.COMPLETED,
    LoadStatus.IN_OPERATION,
}


def follow_start(
    uow: UnitOfWork, load: Load, placed: PlacedLoad, at: datetime, *, actor: str
) -> Load:
    """`load` (just started at `at`, stored `in_operation`) with its plan row `placed` moved to its
    real run when `at` is more than ARRIVAL_CLOCK_SKEW after the slot's start, or when its real
    run meets another truck's row on its dock (`overruns`), and the others moved as the module
    says; the load as stored then (unchanged otherwise)."""
    slot = placed.assignment
    if at > slot.start + ARRIVAL_CLOCK_SKEW:
        codes = (LATE_START, DOCK_TAKEN)
    elif overruns(uow, load, slot):
        codes = (RUN_OVERLAPS, DOCK_TAKEN_BY_RUN)
    else:
        return load
    site = read_site(uow)
    tz = site.timezone
    hub = uow.hubs.get(slot.hub_id)
    plan = uow.plans.get(placed.plan_id, with_rows=False)
    if hub is None or plan is None:
        return load
    origin = plan.horizon_start
    step = timedelta(minutes=hub.slot_minutes or site.settings.slot_minutes)
    start, held = held_by_run(at, slot.disinfected_at - slot.start, origin, step)
    row = _shifted(slot, start)
    if row != slot:  # an early start within the grid minute keeps its row; the others move
        uow.plans.move_assignment(placed.plan_id, row)
        reason = _reason(codes[0], slot, row, tz, started_at=at.astimezone(tz).isoformat())
        load = _moved(uow, load, slot, row, reason, placed.plan_id, tz)
        record(uow, actor, "load.repair", "load", load.id, reason)
    turns = _wait_in_turn(uow, load, slot, held, origin, step, codes[1], actor, tz)
    _repair_scheduled(uow, load, slot, [held, *turns.values()], at, codes[1], actor)
    hold_rules(uow, load, PlacedLoad(placed.plan_id, row), set(turns), at, actor=actor)
    return load


def overruns(uow: UnitOfWork, started: Load, slot: Assignment) -> bool:
    """Whether the real run of `started` (stored with its `started_at`) on `slot`'s dock, as the
    gate holds the dock for it (`early_start.dock_busy`: from the actual start, at least its
    planned length, then disinfection), meets the row of another truck not yet started there:
    that truck's start at its slot would be refused (`dock_in_use`)."""
    busy = dock_busy(slot, started)
    if busy is None:
        return False
    return any(
        ld.status not in _NOT_WAITING
        and ld.started_at is None
        and p.assignment.start < busy[1]
        and busy[0] < p.assignment.disinfected_at
        for p, ld in _on_dock(uow, started, slot, busy[0])
    )


def _shifted(a: Assignment, start: datetime) -> Assignment:
    """`a` moved to `start` on its dock, as long as before."""
    delta = start - a.start
    return a.model_copy(
        update={"start": start, "end": a.end + delta, "disinfected_at": a.disinfected_at + delta}
    )


def _reason(
    code: str, before: Assignment, after: Assignment, tz: tzinfo, **params: Any
) -> dict[str, Any]:
    return {
        "code": code,
        "params": {
            **params,
            "planned_start": before.start.astimezone(tz).isoformat(),
            "new_start": after.start.astimezone(tz).isoformat(),
            "dock": after.dock_id,
            "shift_minutes": round((after.start - before.start).total_seconds() / 60),
        },
    }


def _moved(
    uow: UnitOfWork,
    load: Load,
    before: Assignment,
    after: Assignment,
    reason: dict[str, Any],
    plan_id: int,
    tz: tzinfo,
) -> Load:
    """The load stored with its pin at `after` and `slot_changed` `reason`; its enterprise told."""
    pin = Position(hub_id=after.hub_id, dock_id=after.dock_id, start=after.start)
    moved = load.model_copy(update={"pinned": pin, "slot_changed": reason})
    uow.loads.update(moved)
    emit_slot(uow, moved, before, after, reason=reason, plan_id=plan_id, tz=tz)
    return moved


def _on_dock(
    uow: UnitOfWork, late: Load, slot: Assignment, since: datetime
) -> list[tuple[PlacedLoad, Load]]:
    """The other loads' rows in force on `slot`'s dock around `since`, each with its load."""
    rows = uow.plans.published_assignments(
        hub_id=slot.hub_id,
        dock_id=slot.dock_id,
        start_before=since + 2 * _NEAR,
        end_after=since - _NEAR,
    )
    rows = [p for p in rows if p.assignment.load_id != late.id]
    loads = {ld.id: ld for ld in uow.loads.get_many({p.assignment.load_id for p in rows})}
    return [(p, loads[p.assignment.load_id]) for p in rows if p.assignment.load_id in loads]


def _wait_in_turn(
    uow: UnitOfWork,
    late: Load,
    slot: Assignment,
    held: Span,
    origin: datetime,
    step: timedelta,
    code: str,
    actor: str,
    tz: tzinfo,
) -> dict[str, Span]:
    """The trucks checked in and pinned on the dock, not started, moved after the started run
    in turn (H10: same dock), with `code`; the spans of those moved, by load id."""
    waiting = {
        p.assignment.load_id: (p, ld)
        for p, ld in _on_dock(uow, late, slot, held[0])
        if ld.status is LoadStatus.CHECKED_IN
        and ld.started_at is None
        and ld.pinned is not None
        and (ld.pinned.hub_id, ld.pinned.dock_id) == (slot.hub_id, slot.dock_id)
    }
    turns = wait_in_turn(
        [held],
        [
            (i, p.assignment.start, p.assignment.disinfected_at - p.assignment.start)
            for i, (p, _) in waiting.items()
        ],
        origin,
        step,
    )
    spans: dict[str, Span] = {}
    for i, start in sorted(turns.items(), key=lambda t: t[1]):
        p, ld = waiting[i]
        if start == p.assignment.start:
            continue
        row = _shifted(p.assignment, start)
        uow.plans.move_assignment(p.plan_id, row)
        reason = _reason(code, p.assignment, row, tz, for_load=late.id)
        _moved(uow, ld, p.assignment, row, reason, p.plan_id, tz)
        record(uow, actor, "load.start_moved", "load", ld.id, reason)
        spans[ld.id] = (row.start, row.disinfected_at)
    return spans


def _repair_scheduled(
    uow: UnitOfWork,
    late: Load,
    slot: Assignment,
    spans: list[Span],
    at: datetime,
    code: str,
    actor: str,
) -> None:
    """Each scheduled truck whose row on the dock meets one of `spans` repaired, earliest first
    (the rows are read again after each: a repair may push the trucks after it)."""
    done: set[str] = set()
    for _ in range(_MAX_REPAIRS):
        clashing = [
            (p, ld)
            for p, ld in _on_dock(uow, late, slot, spans[0][0])
            if ld.status is LoadStatus.SCHEDULED
            and ld.id not in done
            and any(
                lo < p.assignment.disinfected_at and p.assignment.start < hi for lo, hi in spans
            )
        ]
        if not clashing:
            return
        p, ld = min(clashing, key=lambda c: (c[0].assignment.start, c[1].id))
        done.add(ld.id)
        repair_for_start(uow, ld, p, at, code, for_load=late.id, actor=actor)
