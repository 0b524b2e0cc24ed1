"""What a new plan changes against the plan in force: per load its old slot, its new slot and why
it moved; and the figures a planner weighs before publishing (late trucks, moved trucks).

Reasons are codes (translated at the edge), found from today's facts, first match wins:

- `NEW`: the load had no slot in force (never planned, or left out before) and now has one;
- `DROPPED`: it had a slot and is now left out (the new plan's reason code is in `detail`);
- `HUB_NOT_ACTIVE`: its old hub is suspended or on standby now;
- `DOCK_BLOCKED`: its old slot overlaps a blocked window of its old dock now;
- `ARRIVES_LATER`: the truck now arrives after its old slot started (a late truck, a new ETA);
- `LESS_LATE`: it moved and now ends later than wished by fewer minutes than before;
- `MADE_ROOM`: it moved for the others (room for a more urgent or a new load, a shorter wait);
  the stability weight decides how readily the solver does this.

Loads whose hub, dock and start stay the same are not listed (counted in `kept`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hub_scheduler.domain import Assignment, Hub, HubStatus, Load, Schedule
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan


class MoveReason(StrEnum):
    NEW = "NEW"
    DROPPED = "DROPPED"
    HUB_NOT_ACTIVE = "HUB_NOT_ACTIVE"
    DOCK_BLOCKED = "DOCK_BLOCKED"
    ARRIVES_LATER = "ARRIVES_LATER"
    LESS_LATE = "LESS_LATE"
    MADE_ROOM = "MADE_ROOM"


@dataclass(frozen=True)
class Move:
    """One load whose slot changes: `old`/`new` None when it had/gets none; minutes late (end
    after the wished time `due`, >= 0) before and after; `detail` a code the reason carries (the
    unscheduled reason of a DROPPED load)."""

    load_id: str
    reason: MoveReason
    old: Assignment | None
    new: Assignment | None
    old_late_minutes: int
    new_late_minutes: int
    detail: str = ""


@dataclass
class PlanChanges:
    """A plan against the plan in force. `moves` in time order (new slot, else old); `kept`: loads
    on the same hub, dock and start; `late`: the new plan's late assignments with their minutes;
    `unscheduled`: loads it leaves out."""

    plan_id: int | None
    moves: list[Move] = field(default_factory=list)
    kept: int = 0
    late: list[tuple[Assignment, int]] = field(default_factory=list)
    unscheduled: int = 0

    @property
    def moved(self) -> int:
        """Trucks whose slot in force changes (NEW loads had none, so they do not count)."""
        return sum(1 for m in self.moves if m.reason is not MoveReason.NEW)

    @property
    def late_minutes(self) -> int:
        return sum(minutes for _, minutes in self.late)


def _late(assignment: Assignment | None, load: Load | None) -> int:
    if assignment is None or load is None:
        return 0
    return max(0, int((assignment.end - load.due).total_seconds() // 60))


def _same(a: Assignment, b: Assignment) -> bool:
    return (a.hub_id, a.dock_id, a.start) == (b.hub_id, b.dock_id, b.start)


def _blocked(old: Assignment, hubs: dict[str, Hub]) -> bool:
    hub = hubs.get(old.hub_id)
    if hub is None:
        return False
    return any(
        w.start < old.disinfected_at
        and w.end > old.start
        and (w.zone_id in (None, old.zone_id))
        and (w.dock_id in (None, old.dock_id))
        for w in hub.blocked
    )


def compare(
    schedule: Schedule,
    in_force: dict[str, Assignment | None],
    loads: dict[str, Load],
    hubs: list[Hub],
    *,
    plan_id: int | None = None,
) -> PlanChanges:
    """The schedule against `in_force` (load id -> its slot in force, None: held but left out;
    loads not in it were never planned). `loads` and `hubs` as they are now give the reasons."""
    by_hub = {h.id: h for h in hubs}
    changes = PlanChanges(plan_id, unscheduled=len(schedule.unscheduled))
    for new in schedule.assignments:
        load = loads.get(new.load_id)
        late = _late(new, load)
        if late:
            changes.late.append((new, late))
        old = in_force.get(new.load_id)
        if old is None:
            changes.moves.append(Move(new.load_id, MoveReason.NEW, None, new, 0, late))
            continue
        if _same(old, new):
            changes.kept += 1
            continue
        was_late = _late(old, load)
        hub = by_hub.get(old.hub_id)
        if hub is not None and hub.status is not HubStatus.ACTIVE:
            reason = MoveReason.HUB_NOT_ACTIVE
        elif _blocked(old, by_hub):
            reason = MoveReason.DOCK_BLOCKED
        elif load is not None and load.release > old.start:
            reason = MoveReason.ARRIVES_LATER
        elif late < was_late:
            reason = MoveReason.LESS_LATE
        else:
            reason = MoveReason.MADE_ROOM
        changes.moves.append(Move(new.load_id, reason, old, new, was_late, late))
    for left_out in schedule.unscheduled:
        old = in_force.get(left_out.load_id)
        if old is not None:
            was_late = _late(old, loads.get(left_out.load_id))
            changes.moves.append(
                Move(
                    left_out.load_id,
                    MoveReason.DROPPED,
                    old,
                    None,
                    was_late,
                    0,
                    left_out.reason_code.value,
                )
            )
    changes.moves.sort(key=lambda m: ((m.new or m.old).start, m.load_id))  # type: ignore[union-attr]
    changes.late.sort(key=lambda item: (-item[1], item[0].load_id))
    return changes


def plan_changes(uow: UnitOfWork, plan: Plan) -> PlanChanges:
    """`plan` (with its schedule) against the slots in force now, read in one unit of work.

    A published plan is compared with the slots of the other published plans (what it replaced
    is not kept: once it is in force, its own slots are the ones in force)."""
    schedule = plan.schedule
    if schedule is None:
        return PlanChanges(plan.id)
    ids = [a.load_id for a in schedule.assignments] + [u.load_id for u in schedule.unscheduled]
    with uow:
        held = uow.plans.in_force(ids)
        loads = {ld.id: ld for ld in uow.loads.get_many(ids)}
        hubs = uow.hubs.list()
    in_force = {load_id: h.assignment for load_id, h in held.items() if h.plan_id != plan.id}
    return compare(schedule, in_force, loads, hubs, plan_id=plan.id)
