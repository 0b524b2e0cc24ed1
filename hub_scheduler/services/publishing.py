"""Publishing a plan: it becomes the plan in force for the loads it holds, checked against what
happened at the gate since it was computed, in one transaction (DESIGN.md "The live day").

The plan in force is defined per load: the newest published plan that holds it (placed or left
out). Publishing a plan therefore claims exactly the loads it holds; a re-plan of some hubs
(`hub_ids`) holds only those hubs' loads, and the rest of the replaced plan of the same horizon is
carried into it, so the other hubs keep their slots. A published plan that no longer holds any
load is retired (unpublished); history is kept.

The check (a merge, never a re-solve): loads cancelled (or otherwise out of planning) since drop
out; a truck checked in or working keeps the dock and start the plan in force gave it (H10),
unless the current state pins it later on that dock (the gate still holds the dock over its slot:
models/pin_shift.py; its stored pin then follows, services/start_moves.py); then the result must
pass the verifier against the current state (hub status, blocked windows, screening, pins). What
still breaks a rule is refused with a 409 listing each conflict, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub_scheduler import load_keys
from hub_scheduler.domain import (
    Assignment,
    LoadStatus,
    ReasonCode,
    Scenario,
    Schedule,
    Unscheduled,
)
from hub_scheduler.errors import Conflict
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.reason_words import Translate
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.job_run import planning_now
from hub_scheduler.services.jobs import get_job, utc_now
from hub_scheduler.services.plan_figures import figure_basis, follow_rows
from hub_scheduler.services.plan_view import held_by_own
from hub_scheduler.services.publish_check import (
    MAX_LISTED,
    checked_against_current_state,
    schedule_load_ids,
)
from hub_scheduler.services.publish_losses import (
    dropped_entries,
    lost_slots,
    refuse_dropping_trucks_on_site,
    tell_unheld_losses,
)
from hub_scheduler.services.start_moves import move_pinned_starts
from hub_scheduler.transitions import ON_SITE


@dataclass
class Merge:
    """What publishing changed in the computed plan, by load id (the audit entry and the API say
    so). `schedule` is what goes in force."""

    schedule: Schedule
    dropped: list[str] = field(default_factory=list)  # no longer plannable or out of the horizon
    kept_on_site: list[str] = field(default_factory=list)  # checked in since: back to their slot
    carried: list[str] = field(default_factory=list)  # other hubs' loads from the replaced plan
    # out of the plan: another day's plan in force gives them a slot, which stays (day_horizon)
    held_elsewhere: list[str] = field(default_factory=list)


def publish_plan(
    uow: UnitOfWork,
    plan_id: int,
    *,
    actor: str,
    load_scenario: Callable[..., Scenario],
    english: Translate,
    verify: Callable[[Scenario, Schedule], Any] | None = None,
    published_at: datetime | None = None,
) -> Plan:
    """Make this plan the one in force for the loads it holds, checked against the current state.

    `load_scenario(uow, horizon_start, horizon_end, settings, hub_ids)` reads the current state;
    `english` (the English catalogue's translate) says an enterprise's left-out reason in its
    slot event (`plan_view.held_by_own`); `published_at`, the publish's moment by the service's
    clock (default the real one), tells which new slots are already over (`slot.expired`,
    `events.over_when_published`).
    Raises Conflict (409) when the plan is not a succeeded one, or when, merged with what
    happened since, it still breaks a hard rule: `errors` lists each conflict (`field`
    `loads.<id>` or `plan`; a verifier's finding with `code` `verify_<code>` and its `params`,
    hub_scheduler/verify/findings.py). Publishing a published plan again changes nothing.
    """
    if verify is None:
        from hub_scheduler.verify import verify as default_verify

        verify = default_verify
    with uow:
        # First, before reading what is in force: two publishers take turns (issue 9).
        uow.plans.lock_publishing()
        plan = get_job(uow, plan_id)
        if plan.status is not JobStatus.SUCCEEDED or plan.schedule is None:
            raise Conflict(
                f"plan {plan_id} is {plan.status.value}; only a succeeded plan can be published"
            )
        if plan.published:
            return plan
        replaced = uow.plans.published_for(plan.horizon_start, plan.horizon_end)
        now = planning_now(plan.params)  # which earlier loads are carried (day_horizon.carried)
        current = load_scenario(uow, plan.horizon_start, plan.horizon_end, None, None, now=now)
        held = uow.plans.in_force()
        merge = merge_with_current_state(plan.schedule, replaced, current, held, verify)
        # Every slot in force it takes away is said (`dropped`); a truck on site keeps its dock.
        lost = lost_slots(held, replaced, merge.schedule)
        named = {ld.id: ld for ld in uow.loads.get_many(sorted(set(lost) | set(merge.dropped)))}
        refuse_dropping_trucks_on_site(
            plan_id, lost, named, merge.schedule, current.timezone, uow.hubs.list()
        )
        merge.schedule = checked_against_current_state(plan_id, merge.schedule, current, verify)
        uow.plans.set_result(
            plan_id, merge.schedule, status=JobStatus.SUCCEEDED, finished_at=plan.finished_at
        )
        # Its figures from the merged rows, measured against what was in force before it: a
        # repair later counts them again against the same (services/plan_figures.py).
        uow.plans.set_figure_basis(plan_id, figure_basis(current, merge.schedule))
        follow_rows(uow, [plan_id])
        plan = uow.plans.publish(plan_id, actor=actor, at=utc_now())
        retired = _retire_plans_holding_nothing(uow, plan_id)
        affected = (
            schedule_load_ids(merge.schedule) | set(merge.dropped) | set(merge.held_elsewhere)
        )
        if replaced is not None and replaced.schedule is not None:
            affected |= schedule_load_ids(replaced.schedule)
        _statuses_follow_the_plan_in_force(uow, affected)
        # A checked-in truck whose dock the gate still held: its stored pin follows (start_moves).
        tz = events.site_timezone(uow)
        moved = move_pinned_starts(uow, merge.schedule, current, actor=actor, tz=tz)
        _tell_who_is_affected(uow, plan, held, merge, english, moved, published_at or utc_now())
        dropped = dropped_entries(lost, merge.dropped, named, merge.schedule)
        tell_unheld_losses(uow, plan, held, dropped, named, merge.schedule, tz)
        said: dict[str, list[Any]] = {
            "dropped": dropped,
            "held_elsewhere": merge.held_elsewhere,
            "kept_on_site": merge.kept_on_site,
            "start_moved": sorted(moved),
        }
        counts = {"carried": len(merge.carried), "retired": retired}
        uow.plans.set_progress(plan_id, {**plan.progress, "publish": {**said, **counts}})
        listed = {k: v[:MAX_LISTED] for k, v in said.items()}
        replaced_id = replaced.id if replaced is not None else None
        audit = {"replaced": replaced_id, **listed, **counts}
        record(uow, actor, "plan.publish", "plan", str(plan_id), audit)
        uow.commit()
        return get_job(uow, plan_id)


def _tell_who_is_affected(
    uow: UnitOfWork,
    plan: Plan,
    held: dict[str, Any],
    merge: Merge,
    english: Translate,
    moved: dict[str, dict[str, Any]],
    now: datetime,
) -> None:
    """Events of a publish: each enterprise hears of its own slots confirmed, changed or
    withdrawn (a checked-in truck's start moved: with `moved`'s reason), or given already over
    at `now` (`slot.expired`); each hub of the plan and the command centre hear of the plan
    (counts only)."""
    tz = events.site_timezone(uow)
    after = {a.load_id: a for a in merge.schedule.assignments}
    ids = set(after) | {u.load_id for u in merge.schedule.unscheduled}
    for load in uow.loads.get_many(sorted(ids)):
        before = getattr(held.get(load.id), "assignment", None)
        reason = moved.get(load.id)
        if load.id not in after:
            found = next(u for u in merge.schedule.unscheduled if u.load_id == load.id)
            found = held_by_own(found, load.enterprise_id, english)  # the enterprise's event
            # The detail and its params too: the inbox says the message in the reader's language
            # (api/inbox.py); `message` stays the English sentence webhooks always had.
            reason = {
                "code": str(found.reason_code),
                "message": found.reason,
                "detail": found.reason_detail,
                "params": found.reason_params,
            }
        events.emit_slot(
            uow,
            load,
            before,
            after.get(load.id),
            reason=reason,
            plan_id=plan.id,
            tz=tz,
            published_at=now,
            staff=False,
        )
    by_hub: dict[str, int] = {}
    for a in merge.schedule.assignments:
        by_hub[a.hub_id] = by_hub.get(a.hub_id, 0) + 1
    data = {
        "plan_id": plan.id,
        "horizon": {
            "start": events.local(tz, plan.horizon_start),
            "end": events.local(tz, plan.horizon_end),
        },
        "placed": len(merge.schedule.assignments),
        "unscheduled": len(merge.schedule.unscheduled),
    }
    events.emit(uow, events.PLAN_PUBLISHED, [events.COMMAND], {**data, "by_hub": by_hub})
    for hub_id, placed in sorted(by_hub.items()):
        events.emit(
            uow,
            events.PLAN_PUBLISHED,
            [events.hub(hub_id)],
            {**data, "hub_id": hub_id, "placed_here": placed},
        )


def merge_with_current_state(
    computed: Schedule,
    replaced: Plan | None,
    current: Scenario,
    held: dict[str, Any],
    verify: Callable[[Scenario, Schedule], Any],
) -> Merge:
    """The computed schedule made true to the current state (no solving):

    - a load no longer in `current` (cancelled, rejected, no-show, completed, or moved out of the
      horizon) drops out; `held_elsewhere` when another plan than `replaced` gives it a slot in
      force (another day's: it keeps that slot, never two);
    - a load on site keeps the slot of the plan in force (`held[load_id].assignment`) while that
      slot is still usable on its own (hub active, dock not blocked since: a positive driver's
      deep disinfection wins, and the computed plan's choice for that truck stands);
    - what the computed plan does not hold but `replaced` (the published plan of the same horizon)
      still holds in force is carried over (a re-plan of some hubs leaves the others alone).
    """
    loads = {ld.id: ld for ld in current.loads}
    merge = Merge(schedule=computed)
    assignments: list[Assignment] = []
    unscheduled: list[Unscheduled] = []

    def drop(load_id: str) -> None:
        other = held.get(load_id)
        elsewhere = (
            other is not None
            and other.assignment is not None
            and (replaced is None or other.plan_id != replaced.id)
        )
        (merge.held_elsewhere if elsewhere else merge.dropped).append(load_id)

    def on_site_slot(load_id: str) -> Assignment | None:
        load = loads[load_id]
        slot = getattr(held.get(load_id), "assignment", None)
        if load.status not in ON_SITE or slot is None:
            return None
        alone = current.model_copy(update={"loads": [load], "transfers": []})
        only = computed.model_copy(update={"assignments": [slot], "unscheduled": []})
        report = verify(alone, only)
        usable = not [v for v in report.violations if v.rule != "OBJECTIVE"]
        return slot if usable else None

    for a in computed.assignments:
        if a.load_id not in loads:
            drop(a.load_id)
            continue
        slot = on_site_slot(a.load_id)
        if slot is not None and (slot.hub_id, slot.dock_id, slot.start) != (
            a.hub_id,
            a.dock_id,
            a.start,
        ):
            merge.kept_on_site.append(a.load_id)
            a = slot
        assignments.append(a)
    for u in computed.unscheduled:
        if u.load_id not in loads:
            drop(u.load_id)
            continue
        slot = on_site_slot(u.load_id)
        if slot is not None:
            merge.kept_on_site.append(u.load_id)
            assignments.append(slot)
        else:
            unscheduled.append(u)

    if replaced is not None and replaced.schedule is not None:
        holds = {a.load_id for a in assignments} | {u.load_id for u in unscheduled}
        holds |= set(merge.dropped) | set(merge.held_elsewhere)

        def carry(load_id: str) -> bool:
            in_force = held.get(load_id)
            return (
                load_id not in holds
                and load_id in loads
                and in_force is not None
                and in_force.plan_id == replaced.id
            )

        for a in replaced.schedule.assignments:
            if carry(a.load_id):
                assignments.append(a)
                merge.carried.append(a.load_id)
        for u in replaced.schedule.unscheduled:
            if carry(u.load_id):
                unscheduled.append(u)
                merge.carried.append(u.load_id)

    merge.schedule = computed.model_copy(
        update={"assignments": assignments, "unscheduled": unscheduled}
    )
    return merge


def _retire_plans_holding_nothing(uow: UnitOfWork, keep: int) -> list[int]:
    """Unpublish the published plans whose every load a newer plan now holds."""
    holders = {held.plan_id for held in uow.plans.in_force().values()}
    retired = []
    for other in uow.plans.list(published=True, limit=None):
        if other.id != keep and other.id not in holders and other.id is not None:
            uow.plans.unpublish(other.id)
            retired.append(other.id)
    return retired


def _statuses_follow_the_plan_in_force(uow: UnitOfWork, load_ids: set[str]) -> None:
    """A load with a slot in force is `scheduled`; one the plan in force leaves out goes back to
    `submitted` (the gate's statuses are left alone)."""
    held = uow.plans.in_force(load_ids)
    for load in uow.loads.get_many(load_ids):
        slot = getattr(held.get(load.id), "assignment", None)
        if slot is not None and (load.needs_new_slot or load.slot_changed) is not None:
            status = LoadStatus.SCHEDULED if load.status is LoadStatus.SUBMITTED else load.status
            update = {"needs_new_slot": None, "slot_changed": None, "status": status}
            uow.loads.update(load.model_copy(update=update))
        elif slot is not None and load.status is LoadStatus.SUBMITTED:
            uow.loads.set_status(load.id, LoadStatus.SCHEDULED)
        elif slot is None and load.status is LoadStatus.SCHEDULED:
            uow.loads.set_status(load.id, LoadStatus.SUBMITTED)


# --- a hub closes: its slots are withdrawn at once -----------------------------------------------


def withdraw_hub_slots(
    uow: UnitOfWork, hub_id: str, *, actor: str, reason: str
) -> list[tuple[datetime, datetime]]:
    """Inside the open unit of work: take every slot in force at `hub_id` away from trucks not yet
    on site (those keep their dock: they are there). Each published plan holding such slots is
    replaced by a copy that leaves those loads out (`CLOSED`, published at once, audited); the
    loads go back to `submitted` with `needs_new_slot` saying why. Returns the horizons of the
    plans touched, for the re-plan to queue."""
    uow.plans.lock_publishing()
    held = uow.plans.in_force()
    at_hub = {
        load_id: h.plan_id
        for load_id, h in held.items()
        if h.assignment is not None and h.assignment.hub_id == hub_id
    }
    loads = {
        ld.id: ld
        for ld in uow.loads.get_many(at_hub)
        if ld.status not in ON_SITE and ld.status is not LoadStatus.COMPLETED
    }
    why = f"hub {hub_id} closed{f' ({reason})' if reason else ''}: the slot was withdrawn"
    by_plan: dict[int, set[str]] = {}
    for load_id in loads:
        by_plan.setdefault(at_hub[load_id], set()).add(load_id)
    horizons = []
    at = utc_now()
    for plan_id, load_ids in sorted(by_plan.items()):
        old = get_job(uow, plan_id)
        assert old.schedule is not None  # only succeeded plans are published
        schedule = old.schedule.model_copy(
            update={
                "assignments": [a for a in old.schedule.assignments if a.load_id not in load_ids],
                "unscheduled": [
                    *old.schedule.unscheduled,
                    *(
                        Unscheduled(
                            load_id=i,
                            reason_code=ReasonCode.CLOSED,
                            reason=why,
                            reason_detail="hub_closed",
                            reason_params={"hub": hub_id, "note": reason or ""},
                        )
                        for i in sorted(load_ids)
                    ),
                ],
                # Not re-solved: no objective claimed until the re-plan.
                "objective": None,
                "bound": None,
                "gap": None,
            }
        )
        copy = uow.plans.add(
            Plan(
                horizon_start=old.horizon_start,
                horizon_end=old.horizon_end,
                hub_ids=old.hub_ids,
                status=JobStatus.SUCCEEDED,
                params={"withdrawn_from": plan_id, "reason": why},
                progress={"phase": "done"},
                requested_by=actor,
                requested_at=at,
                started_at=at,
                finished_at=at,
                schedule=schedule,
            )
        )
        assert copy.id is not None
        basis = uow.plans.figure_basis(plan_id)
        if basis is not None:
            uow.plans.set_figure_basis(copy.id, basis)
        follow_rows(uow, [copy.id])  # the withdrawn loads are left out now
        uow.plans.publish(copy.id, actor=actor, at=at)
        record(
            uow,
            actor,
            "plan.withdraw",
            "plan",
            str(copy.id),
            {
                "hub_id": hub_id,
                "replaced": plan_id,
                "loads": [load_keys.ref(i) for i in sorted(load_ids)[:MAX_LISTED]],
            },
        )
        horizons.append((old.horizon_start, old.horizon_end))
    _retire_plans_holding_nothing(uow, keep=-1)
    tz = events.site_timezone(uow)
    for load in loads.values():
        events.emit_slot(
            uow,
            load,
            held[load.id].assignment,
            None,
            reason={"code": "HUB_CLOSED", "hub_id": hub_id, "message": why},
            tz=tz,
            staff=False,
        )
        update: dict[str, Any] = {"needs_new_slot": why}
        if load.status is LoadStatus.SCHEDULED:
            update["status"] = LoadStatus.SUBMITTED
        uow.loads.update(load.model_copy(update=update))
    return horizons
