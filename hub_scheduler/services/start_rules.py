"""After a start moved rows of the plan in force (services/late_start.py), the hard rules those rows
touch hold again, as the independent verifier (`hub_scheduler/verify`) judges them.

Moving the started truck to its real run and its dock's waiting trucks after it keeps the dock
(H3) but may break what the dock does not see: the zone's crews (H6), the hub's places on site
(H8), a relay waiting for the started truck (H7), a waiting truck's deadline, the horizon's end
or the hub's opening hours (H4, H5). The hub's part of the plan in force is verified after the
moves; each finding that names a moved row is answered by moving someone else:

- the started truck never moves: it is physically at the dock, so its row is its real run
  (reality wins, H10). The verifier does not judge its own times either (H4 deadline and
  horizon, H5 opening hours: `facts.started_at_gate`), since no plan can change them;
- a scheduled truck the finding names (not on site) is repaired (`repair_slot`, from its
  planned start or the start, whichever is later), the latest-starting first: code
  `MOVED_FOR_STARTED_RUN` with the rule (or `NO_SLOT_LEFT` / `DEADLINE_PASSED` with that cause);
  a pinned one's pin moves with its row (`repair.moved_pin`);
- else a checked-in truck that waits in turn waits on for the first gap on its own dock
  (H10: it keeps its dock; `repair_slot(dock=...)`, verified), or, when none is left by its
  deadline and the horizon's end, is left out with the reason and unpinned (as a check-in
  that finds no slot), for the next re-plan;
- else (the finding names only trucks the gate started) nothing moves: that is what happens at
  the docks.

The verifier reads the hub's rows in force around the moved ones (12 hours either side) with
their loads, the hub and the site's settings, as `repair_slot` reads them; each repair is
verified by the repair itself. Runs inside the gate's unit of work.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hub_scheduler.day_horizon import plan_reach
from hub_scheduler.domain import Load, LoadStatus, PlanStatus, Scenario, Schedule
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.ports.plans import PlacedLoad
from hub_scheduler.services.audit import record
from hub_scheduler.services.repair import moved_pin, repair_slot
from hub_scheduler.services.site import read_site
from hub_scheduler.transitions import NOT_PLANNABLE
from hub_scheduler.verify import Violation, verify

# The code of a truck moved because a started truck's real run takes what its slot needed.
MOVED_FOR_STARTED_RUN = "MOVED_FOR_STARTED_RUN"
_NEAR = timedelta(hours=12)  # rows read around the moved ones: relays and runs reach that far
_MAX_MOVES = 50  # trucks moved to hold the rules at one start, at most
# The rules a row moved in time can break (the others judge where a load may go, or who it is).
_TIMED = {"H3", "H4", "H5", "H6", "H7", "H8"}


def repair_for_start(
    uow: UnitOfWork,
    load: Load,
    placed: PlacedLoad,
    at: datetime,
    code: str,
    *,
    for_load: str,
    actor: str,
    dock: tuple[str, str] | None = None,
    **params: Any,
) -> None:
    """`load` (its row `placed`) repaired from its planned start or `at`, whichever is later, with
    `code` (on `dock` only when given), its `slot_changed` and pin following (`moved_pin`; a
    truck on site waiting on `dock` keeps a pin where it goes, none when left out), audited
    `load.repair` with `for_load` and `params`."""
    earliest = max(placed.assignment.start, at)
    fixed = repair_slot(
        uow, load, placed.plan_id, placed.assignment, earliest, code, actor=actor, now=at, dock=dock
    )
    reason = {"code": fixed.code, "params": {**fixed.params, **params, "for_load": for_load}}
    record(uow, actor, "load.repair", "load", load.id, reason)
    told = {**fixed.slot_changed, **reason}  # its enterprise sees for whom, and which rule
    pin = moved_pin(load, fixed.after)
    uow.loads.update(load.model_copy(update={"slot_changed": told, "pinned": pin}))


def hold_rules(
    uow: UnitOfWork,
    started: Load,
    placed: PlacedLoad,
    waiting: set[str],
    at: datetime,
    *,
    actor: str,
) -> None:
    """Hold the hard rules the moves of a start touched (module docstring): `started` (its row
    in force `placed`, its real run) and the checked-in trucks in `waiting` that the start made
    wait in turn on its dock."""
    hub_id = placed.assignment.hub_id
    watched = {started.id, *waiting}
    done: set[str] = set()
    for _ in range(_MAX_MOVES):
        rows, loads, findings = _findings(uow, placed.plan_id, hub_id, watched, at)
        move = _next_move(findings, rows, loads, done)
        if move is None:
            return
        load_id, rule = move
        done.add(load_id)
        p, ld = rows[load_id], loads[load_id]
        on_site = ld.status is LoadStatus.CHECKED_IN
        dock = (p.assignment.hub_id, p.assignment.dock_id) if on_site else None
        repair_for_start(
            uow,
            ld,
            p,
            at,
            MOVED_FOR_STARTED_RUN,
            for_load=started.id,
            actor=actor,
            dock=dock,
            rule=rule,
        )


def _next_move(
    findings: list[Violation],
    rows: dict[str, PlacedLoad],
    loads: dict[str, Load],
    done: set[str],
) -> tuple[str, str] | None:
    """(load id, rule) of the next truck to move for `findings`: of the first finding naming
    one, a scheduled truck (not on site), else a checked-in one still waiting (pinned, not
    started), the latest-starting first; None when no finding names a truck that may move (not
    yet moved here: `done`)."""
    for v in findings:
        named = [i for i in v.loads if i in rows and i not in done]
        for movable in (_scheduled, _waiting):
            some = [i for i in named if movable(loads[i])]
            if some:
                return max(some, key=lambda i: (rows[i].assignment.start, i)), v.rule
    return None


def _scheduled(load: Load) -> bool:
    return load.status is LoadStatus.SCHEDULED


def _waiting(load: Load) -> bool:
    """Checked in, pinned to its dock, not started: it may wait on that dock (H10)."""
    return (
        load.status is LoadStatus.CHECKED_IN and load.started_at is None and load.pinned is not None
    )


def _findings(
    uow: UnitOfWork, plan_id: int, hub_id: str, watched: set[str], at: datetime
) -> tuple[dict[str, PlacedLoad], dict[str, Load], list[Violation]]:
    """The rows in force at `hub_id` around the `watched` ones and their loads (those that still
    hold a dock), and the verifier's findings on them that name a watched load, of the rules a
    move in time can break (`_TIMED`)."""
    plan = uow.plans.get(plan_id, with_rows=False)
    hub = uow.hubs.get(hub_id)
    mine = uow.plans.published_assignments(load_ids=sorted(watched))
    if plan is None or hub is None or not mine:
        return {}, {}, []
    lo = min([at, *(p.assignment.start for p in mine)]) - _NEAR
    hi = max(p.assignment.disinfected_at for p in mine) + _NEAR
    near = uow.plans.published_assignments(hub_id=hub_id, start_before=hi, end_after=lo)
    found = {ld.id: ld for ld in uow.loads.get_many({p.assignment.load_id for p in near})}
    loads = {i: ld for i, ld in found.items() if ld.status not in NOT_PLANNABLE}
    rows = {p.assignment.load_id: p for p in near if p.assignment.load_id in loads}
    site = read_site(uow)
    settings = site.settings.model_copy(update={"now": None, "freeze_minutes": 0})
    transfers = [
        t for t in uow.transfers.list(set(rows)) if t.inbound in rows and t.outbound in rows
    ]
    scenario = Scenario(
        name=site.name,
        timezone=str(site.timezone),
        horizon={
            "start": plan.horizon_start,
            "end": plan_reach(
                uow,
                (plan.horizon_start, plan.horizon_end),
                loads.values(),
                uow.hubs.list(),
                settings.slot_minutes,
            ),
        },
        settings=settings,
        hubs=[hub],
        enterprises=uow.enterprises.list(),
        loads=list(loads.values()),
        transfers=transfers,
    )
    schedule = Schedule(
        scenario=scenario.name,
        status=PlanStatus.FEASIBLE,
        assignments=[p.assignment for p in rows.values()],
    )
    findings = [
        v
        for v in verify(scenario, schedule).violations
        if v.rule in _TIMED and watched & set(v.loads)
    ]
    return rows, loads, findings
