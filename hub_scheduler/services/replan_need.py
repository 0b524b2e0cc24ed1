"""Whether a day's plan in force still fits the site as it is now, and if not, why: the reasons a
manager is asked to re-plan (the board's banner). A plan is published once and then the site
changes under it: a hub's hours are cut or a dock blocked (slots it no longer allows), a hub is
suspended (its trucks lost their slots) or activated (it takes no truck yet), trucks are
submitted for the day after publishing (the plan does not know them). A day with no plan in
force at all needs one: its `plan_id` is None and `new_loads` counts the trucks waiting for it.
Nothing is changed here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hub_scheduler.domain import HubStatus, LoadStatus
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.services.impact import why_stranded
from hub_scheduler.services.site import read_site


@dataclass(frozen=True)
class ReplanNeed:
    """The counts behind a re-plan: `stranded` slots the hubs no longer allow (hours, blocked
    windows, docks), `off_hub` slots at a hub no longer active, `lost_slot` trucks that lost
    their slot since (their hub closed), `new_loads` trucks submitted for the day that the plan
    does not hold (no plan: every submitted truck of the day), `activated` hubs activated after
    it was published. `plan_id` None: the day has no plan in force at all."""

    plan_id: int | None
    stranded: int = 0
    off_hub: int = 0
    lost_slot: int = 0
    new_loads: int = 0
    activated: list[str] = field(default_factory=list)

    @property
    def unplanned(self) -> bool:
        """The day has no plan in force at all: it needs one, whatever the counts."""
        return self.plan_id is None

    @property
    def needed(self) -> bool:
        return bool(
            self.unplanned
            or self.stranded
            or self.off_hub
            or self.lost_slot
            or self.new_loads
            or self.activated
        )


def replan_need(
    uow: UnitOfWork, plan: Plan | None, day_start: datetime, day_end: datetime, now: datetime
) -> ReplanNeed:
    """What makes `plan` (a day's plan in force, `plans.published_plan`; None: the day has none)
    unfit for the day [day_start, day_end) as of `now`; slots already over by `now` are not
    counted. Without a plan every truck submitted for the day is a `new_loads` one (those that
    lost a slot to a closed hub are `lost_slot`), and the need is `unplanned`."""
    schedule = plan.schedule if plan is not None else None
    assignments = schedule.assignments if schedule else []
    known = {a.load_id for a in assignments} | {
        u.load_id for u in (schedule.unscheduled if schedule else [])
    }
    with uow:
        hubs = {h.id: h for h in uow.hubs.list()}
        zone = read_site(uow).timezone
        pending = uow.loads.list(
            status=[LoadStatus.SUBMITTED, LoadStatus.SCHEDULED],
            release_from=day_start,
            release_to=day_end,
        )
        switched = uow.activations.list(limit=None)
    stranded = off_hub = 0
    for a in assignments:
        if a.end <= now:
            continue
        hub = hubs.get(a.hub_id)
        if hub is None or hub.status is not HubStatus.ACTIVE:
            off_hub += 1
        elif why_stranded(hub, a, zone) is not None:
            stranded += 1
    lost = [ld for ld in pending if ld.needs_new_slot is not None]
    new = [
        ld
        for ld in pending
        if ld.status is LoadStatus.SUBMITTED and ld.id not in known and ld.needs_new_slot is None
    ]
    published = plan.published_at if plan is not None else None
    activated = sorted(
        {
            hub_id
            for s in switched
            if s.status == HubStatus.ACTIVE.value and published is not None and s.at > published
            for hub_id in s.hub_ids
            if (hub := hubs.get(hub_id)) is not None and hub.status is HubStatus.ACTIVE
        }
    )
    plan_id = plan.id if plan is not None else None
    return ReplanNeed(plan_id, stranded, off_hub, len(lost), len(new), activated)
