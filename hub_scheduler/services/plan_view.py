"""What an enterprise reads of a plan: its own loads' figures and reasons, never the county
plan's. The whole plan's KPIs, counts and objective, and a reason naming the loads that hold the
docks, carry the other enterprises' trucks and lateness; an enterprise's view is cut here, for
the API (`/plans/published`, `/plans/{id}/unscheduled`), the pages and its slot events."""

from __future__ import annotations

from typing import Any

from hub_scheduler import load_keys
from hub_scheduler.domain import Assignment, Unscheduled
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.reason_words import Translate, reason_words
from hub_scheduler.records import Plan


def held_by_own(item: Unscheduled, enterprise_id: str, english: Translate) -> Unscheduled:
    """A left-out load's reason as its enterprise may read it: `capacity_held` names the loads
    that hold the docks (the first 8, and how many more); another enterprise's are cut from the
    names and the count, and the English `reason` is said again from the cut params by
    `reason_words` with `english` (the English catalogue's translate: (message id, **values) ->
    text), hubs by id: `why_capacity_held` naming its own holders, `why_capacity_held_unnamed`
    when none is its own. Any other reason as it is."""
    if item.reason_detail != "capacity_held":
        return item
    named = [str(i) for i in item.reason_params.get("loads") or []]
    # its own loads as it wrote them: the key's enterprise part is its own, said once already
    kept = [load_keys.local(i) for i in named if load_keys.enterprise_of(i) == enterprise_id]
    cut = item.model_copy(
        update={"reason_params": {**item.reason_params, "loads": kept, "more": 0}}
    )
    return cut.model_copy(update={"reason": reason_words(cut, english)})


def own_figures(
    uow: UnitOfWork, plan: Plan, assignments: list[Assignment], unscheduled: list[Unscheduled]
) -> dict[str, Any]:
    """A plan's figures as an enterprise may read them, from `assignments` and `unscheduled`
    already cut to its own loads (`visible_parts`): its trucks with a slot and without, how many
    of them end after their wish (`due`), and the plan's late-load entries naming them. Nothing
    counted over the whole plan (totals, rates, waits, utilisation, the objective) is here: those
    carry the other enterprises' loads."""
    own = {a.load_id for a in assignments} | {u.load_id for u in unscheduled}
    with uow:
        due = {ld.id: ld.due for ld in uow.loads.get_many(sorted(own))}
    late = [a for a in assignments if a.load_id in due and a.end > due[a.load_id]]
    kpis = (plan.schedule.kpis if plan.schedule else None) or {}
    listed = [x for x in kpis.get("late_loads") or [] if x.get("load_id") in own]
    return {
        "placed": len(assignments),
        "unscheduled": len(unscheduled),
        "late_count": len(late),
        "late_loads": listed,
    }
