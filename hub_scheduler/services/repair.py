"""Repairing the plan in force for one load whose slot became impossible: a truck at the gate
after its slot (`services/gate.py`), an ETA moved later (`services/loads.py`).

The published plan is read as it is now (its horizon, the other loads' slots, hubs, relays), the
earliest feasible slot from `earliest` is found by `solver/repair.py`: a gap that moves nothing
when there is one by the load's due, else an insertion that pushes the fewest later loads of one
dock to the right (only loads still `scheduled`, not pinned, starting after `now` + the freeze
window: a checked-in or started truck never moves, H10), verified as a whole. A dock a truck uses
at the gate (completed, or in operation beyond its row) is held by that real run and its
disinfection (`early_start.dock_busy`, as a re-plan holds it), so the gate never refuses the new
slot with `dock_in_use`; why the slot is not earlier is read from the rows after the pushes, with
those runs. The plan's row for
the load is moved there, or, when there is no slot, taken out and the load listed among the
plan's unscheduled loads (`NO_SLOT_LEFT` / `DEADLINE_PASSED` with the repair's params: it waits
for the next re-plan, shown with the reason; the plan's stored figures follow, counted again
before the commit: services/plan_figures.py). Each pushed load's
row moves too, with an audit entry (`load.repair`, code `SHIFTED_FOR_REPAIR`) and `slot_changed`
on the load, so its enterprise sees the new slot and why. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hub_scheduler.day_horizon import plan_reach
from hub_scheduler.domain import (
    Assignment,
    Hub,
    Load,
    LoadStatus,
    Position,
    ReasonCode,
    Scenario,
    Unscheduled,
)
from hub_scheduler.errors import NotFound
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.plans import PlacedLoad
from hub_scheduler.services.audit import record
from hub_scheduler.services.early_start import dock_busy, with_gate_runs
from hub_scheduler.services.events import emit_slot
from hub_scheduler.services.jobs import utc_now
from hub_scheduler.services.site import read_site
from hub_scheduler.solver.repair import repair
from hub_scheduler.solver.why_not_earlier import why_not_earlier

# Loads whose slots no longer hold a dock: their rows in a published plan are ignored.
_GONE = {LoadStatus.CANCELLED, LoadStatus.NO_SHOW, LoadStatus.REJECTED, LoadStatus.COMPLETED}
# The code of the audit entry and `slot_changed` of a load pushed to make room for another.
SHIFTED = "SHIFTED_FOR_REPAIR"
# Loads whose gate times, not their rows, say when they hold their docks (`early_start.dock_busy`).
_RAN = {LoadStatus.IN_OPERATION, LoadStatus.COMPLETED}
_NEAR = timedelta(hours=12)  # rows read before the horizon: a real run may lie that far off
_MAX_LISTED = 20  # moved load ids named in the repaired load's reason
# No slot is left and the load can no longer be done by its deadline (else its due): the reason
# names that moment rather than the plain NO_SLOT_LEFT.
DEADLINE_PASSED = "DEADLINE_PASSED"


@dataclass(frozen=True)
class SlotRepair:
    """What a repair did: the slot before (None: a walk-in, which had none) and after (None: none
    found), with a reason code and its parameters (ISO times in the site's zone), for the audit
    entry and the response, the ids of the other loads it pushed later (each audited and marked
    `slot_changed`), and why the new slot is not earlier (`limits`:
    `why_not_earlier.Limit.as_dict()`, {code, rule, params})."""

    before: Assignment | None
    after: Assignment | None
    code: str
    params: dict[str, Any]
    moved: tuple[str, ...] = ()
    limits: tuple[dict[str, Any], ...] = ()

    @property
    def slot_changed(self) -> dict[str, Any]:
        """The load's `slot_changed`: {code, params, reasons} (reasons: the limits)."""
        return {"code": self.code, "params": self.params, "reasons": list(self.limits)}


def _movable(loads: dict[str, Load], others: list[Assignment], after: datetime) -> set[str]:
    """The loads a repair may push: still `scheduled` (not on site: H10), not pinned, their slot
    starting at or after `after` (now plus the freeze window)."""
    return {
        a.load_id
        for a in others
        if loads[a.load_id].status is LoadStatus.SCHEDULED
        and loads[a.load_id].pinned is None
        and a.start >= after
    }


def repair_slot(
    uow: UnitOfWork,
    load: Load,
    plan_id: int,
    before: Assignment | None,
    earliest: datetime,
    code: str,
    *,
    actor: str,
    now: datetime,
    push: bool = True,
    dock: tuple[str, str] | None = None,
) -> SlotRepair:
    """Move `load` in published plan `plan_id` to its earliest feasible slot at or after
    `earliest`, pushing as few later loads as possible (module docstring), or leave it out
    (`uow.plans.leave_out`, with the reason) when no slot is left in the plan's horizon. `now`
    is the moment of the repair (the freeze window counts from it); `actor` signs the audit
    entries of pushed loads. `before` None: the load has no row in the plan (a walk-in); a slot
    found is added (`move_assignment`). `push` False: a gap only, no other load moves (a truck
    that never had a slot pushes no booked one). `dock` (hub, dock): a gap on that dock only,
    no other load moves (a checked-in truck waits on its own dock, H10)."""
    site = read_site(uow)
    plan = uow.plans.get(plan_id, with_rows=False)
    if plan is None:
        raise NotFound(f"plan {plan_id} does not exist")
    every_hub = uow.hubs.list()
    usable = [h for h in every_hub if not load.allowed_hubs or h.id in load.allowed_hubs]
    near = {
        p.assignment.load_id: p
        for p in _rows_within_reach(uow, load, usable, plan.horizon_start, plan.horizon_end)
        if p.assignment.load_id != load.id
    }
    # The hubs it may use, and those of its relay partners' rows (so every row read names a hub).
    seen = {h.id for h in usable} | {p.assignment.hub_id for p in near.values()}
    plain = [h for h in every_hub if h.id in seen]
    placed = {i: p for i, p in near.items() if p.assignment.end > plan.horizon_start}
    loads = {ld.id: ld for ld in uow.loads.get_many(near)}
    others = [
        p.assignment for i, p in placed.items() if i in loads and loads[i].status not in _GONE
    ]
    moved = load.model_copy(update={"pinned": None})
    kept = [loads[a.load_id] for a in others]
    ids = {ld.id for ld in kept} | {load.id}
    runs = _gate_runs(near, loads)
    hubs = _with_gate_runs(plain, runs, {a.load_id: a for a in others})
    # The plan's reach past its end (day_horizon: a span across midnight) as the planner had it,
    # over the day's loads, not the few rows read here: a load the plan placed late may be
    # placed late again wherever the plan could have placed it (its due is no limit, H4 only
    # its deadline and the plan's end), and never less far than its own slot in the plan.
    reach = plan_reach(
        uow,
        (plan.horizon_start, plan.horizon_end),
        [*kept, moved],
        every_hub,
        site.settings.slot_minutes,
    )
    held = [before.disinfected_at] if before is not None else []
    scenario = Scenario(
        name=site.name,
        timezone=str(site.timezone),
        horizon={
            "start": plan.horizon_start,
            "end": max([reach, *held, *(a.disinfected_at for a in others)]),
        },
        settings=site.settings.model_copy(update={"now": None, "freeze_minutes": 0}),
        hubs=hubs,
        enterprises=uow.enterprises.list(),
        loads=[*kept, moved],
        transfers=uow.transfers.list(ids),
    )
    frozen_until = now + timedelta(minutes=site.settings.freeze_minutes)
    start = max(earliest, load.release)
    movable = _movable(loads, others, frozen_until) if push and dock is None else set()
    found = repair(scenario, moved, others, start, movable, None if dock is None else {dock})
    # Against the plan as the repair leaves it (each pushed row at its new slot), so a limit named
    # is real: never the load's own new slot, which a pushed load held before; a dock a truck uses
    # at the gate is named by that run (H3 dock_busy), not as a blocked window.
    pushed = {a.load_id: a for a in found.moved}
    now_rows = [runs.get(a.load_id, pushed.get(a.load_id, a)) for a in others]
    now_rows += [r for i, r in runs.items() if i not in {a.load_id for a in others}]
    limits = tuple(
        limit.as_dict()
        for limit in why_not_earlier(
            scenario.model_copy(update={"hubs": plain}), moved, now_rows, start, found.assignment
        )
    )
    tz = site.timezone
    after = found.assignment
    passed = None if after else _passed_deadline(load, start)
    cause = code
    code = code if after else (DEADLINE_PASSED if passed else "NO_SLOT_LEFT")
    params: dict[str, Any] = {
        "planned_start": before.start.astimezone(tz).isoformat() if before else None,
        "earliest": start.astimezone(tz).isoformat(),
        "new_start": after.start.astimezone(tz).isoformat() if after else None,
        "new_dock": after.dock_id if after else None,
        "tried": found.tried,
        "moved": sorted(a.load_id for a in found.moved)[:_MAX_LISTED],
    }
    if code != cause:
        # What set the repair off (late arrival, a blocked dock, an ETA change), kept when no slot
        # was found, so a page can say why the truck has none.
        params["cause"] = cause
    if passed is not None:
        params["deadline_field"] = passed[0]
        params["deadline"] = passed[1].astimezone(tz).isoformat()
    if after is not None:
        uow.plans.move_assignment(plan_id, after)
    else:
        # Listed among the plan's unscheduled loads with the reason, so the plan still shows it.
        uow.plans.leave_out(plan_id, _left_out(load.id, code, params))
    emit_slot(
        uow, load, before, after, reason={"code": code, "params": params}, plan_id=plan_id, tz=tz
    )
    for new in found.moved:
        old = placed[new.load_id]
        uow.plans.move_assignment(old.plan_id, new)
        reason = {
            "code": SHIFTED,
            "params": {
                "for_load": load.id,
                "cause": code,
                "planned_start": old.assignment.start.astimezone(tz).isoformat(),
                "new_start": new.start.astimezone(tz).isoformat(),
                "dock": new.dock_id,
                "shift_minutes": round((new.start - old.assignment.start).total_seconds() / 60),
            },
        }
        shifted = loads[new.load_id].model_copy(update={"slot_changed": reason})
        uow.loads.update(shifted)
        record(uow, actor, "load.repair", "load", new.load_id, reason)
        emit_slot(uow, shifted, old.assignment, new, reason=reason, plan_id=old.plan_id, tz=tz)
    return SlotRepair(before, after, code, params, tuple(a.load_id for a in found.moved), limits)


def _rows_within_reach(
    uow: UnitOfWork, load: Load, hubs: list[Hub], horizon_start: datetime, horizon_end: datetime
) -> list[PlacedLoad]:
    """The rows in force a repair of `load` must see: those at the hubs it may use (`hubs`, its
    `allowed_hubs` or every hub), and its relay partners' wherever they are (H7 names them), in
    the plan's horizon and `_NEAR` before it (a real run may lie that far off). Every hard rule
    but H7 is per hub, so the rows of other hubs change neither the slot found nor why it is
    not earlier; on a city day (20 hubs, a load allowed 4) this reads a fifth of the rows."""
    after = horizon_start - _NEAR
    rows = [
        r
        for h in hubs
        for r in uow.plans.published_assignments(
            hub_id=h.id, start_before=horizon_end, end_after=after
        )
    ]
    relays = uow.transfers.for_load(load.id)
    partners = {t.inbound for t in relays} | {t.outbound for t in relays}
    partners -= {load.id} | {r.assignment.load_id for r in rows}
    if partners:
        rows += uow.plans.published_assignments(
            load_ids=partners, start_before=horizon_end, end_after=after
        )
    return rows


def _gate_runs(near: dict[str, PlacedLoad], loads: dict[str, Load]) -> dict[str, Assignment]:
    """The real run at the gate of each started truck (in operation or completed) with a row in
    `near`, by load id: on its row's dock, from its actual start (`early_start.dock_busy`: to its
    actual end, or at least its planned length for a truck still in operation) and disinfected
    as long as its row says."""
    runs: dict[str, Assignment] = {}
    for load_id, p in near.items():
        ld = loads.get(load_id)
        if ld is None or ld.started_at is None or ld.status not in _RAN:
            continue
        a = p.assignment
        busy = dock_busy(a, ld)
        if busy is not None:
            end = busy[1] - (a.disinfected_at - a.end)
            runs[load_id] = a.model_copy(
                update={"start": busy[0], "end": end, "disinfected_at": busy[1]}
            )
    return runs


def _with_gate_runs(
    hubs: list[Hub], runs: dict[str, Assignment], rows: dict[str, Assignment]
) -> list[Hub]:
    """The hubs with each dock's real use at the gate (`runs`) as blocked windows of that dock,
    where it differs from the `rows` the repair keeps (H3, as a re-plan counts it:
    `models/scenario_store.py` `_with_gate_runs`): a completed truck (no row holds the dock for
    it) keeps it busy from its actual start to its actual end plus disinfection, a truck in
    operation beyond its row (started before it, or running past it) keeps it busy that much
    longer (`early_start.dock_busy`, the span the gate's `dock_in_use` refuses a start in). So a
    repair never gives a slot the gate would refuse."""
    spans = []
    for load_id, run in runs.items():
        row = rows.get(load_id)
        busy = (run.start, run.disinfected_at)
        pieces = [busy] if row is None else [(busy[0], row.start), (row.disinfected_at, busy[1])]
        spans += [(run, lo, hi) for lo, hi in pieces]
    return with_gate_runs(hubs, spans)


def _left_out(load_id: str, code: str, params: dict[str, Any]) -> Unscheduled:
    """The plan's unscheduled entry of a load a repair found no slot for: `NO_SLOT_LEFT` or
    `DEADLINE_PASSED` (detail `no_slot_left` / `deadline_passed`) with the repair's params."""
    if code == DEADLINE_PASSED:
        why = f"no slot is left: it can no longer be done by its {params['deadline_field']}"
    else:
        why = f"no slot is left in the plan in force ({params.get('cause')})"
    return Unscheduled(
        load_id=load_id,
        reason_code=ReasonCode(code),
        reason=why,
        reason_detail=code.lower(),
        reason_params=params,
    )


def _passed_deadline(load: Load, start: datetime) -> tuple[str, datetime] | None:
    """("deadline" or "due", that moment) when a load starting at `start` at the earliest can no
    longer be done by its hard deadline, or by its due when it has none; else None."""
    field, moment = ("deadline", load.deadline) if load.deadline else ("due", load.due)
    if start + timedelta(minutes=load.handling_minutes) > moment:
        return field, moment
    return None


def stale_slot(load: Load, slot: Assignment) -> bool:
    """Whether a published slot no longer fits the load: it starts before the (new) release, its
    length is not the handling time, or it ends after the deadline."""
    end = slot.start + timedelta(minutes=load.handling_minutes)
    return (
        slot.start < load.release
        or slot.end != end
        or (load.deadline is not None and end > load.deadline)
    )


def repair_if_stale(uow: UnitOfWork, load: Load, actor: str, now: datetime | None = None) -> Load:
    """After a change (an ETA moved later), a slot in force that became impossible is repaired at
    once (`repair_slot`: the earliest feasible slot from the new release, pushing as few later
    loads as possible) or left out, so it is never shown as valid; the reason is audited and set
    as the load's `slot_changed`. `now`: the clock when None."""
    placed = uow.plans.published_assignments(load_ids=[load.id])
    if not placed or not stale_slot(load, placed[-1].assignment):
        return load
    fixed = repair_slot(
        uow,
        load,
        placed[-1].plan_id,
        placed[-1].assignment,
        load.release,
        "ETA_CHANGED",
        actor=actor,
        now=now or utc_now(),
    )
    reason = {"code": fixed.code, "params": fixed.params}
    record(uow, actor, "load.repair", "load", load.id, reason)
    return load.model_copy(
        update={"slot_changed": fixed.slot_changed, "pinned": moved_pin(load, fixed.after)}
    )


def moved_pin(load: Load, after: Assignment | None) -> Position | None:
    """The pin `load` keeps once a repair moved its row to `after` (None: left out): a pinned
    load's pin moves with its row, so the plan never says one place and the pin another (H10);
    a load without a pin stays without."""
    if load.pinned is None or after is None:
        return None
    return Position(hub_id=after.hub_id, dock_id=after.dock_id, start=after.start)
