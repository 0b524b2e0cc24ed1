"""When an incident is still open: the one rule the command centre's banner and the gate's
contact check (services/incident_contacts.py) share."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Incident, JobStatus

# An incident is open while the command centre still has work with it: for a day after its
# report (contact tracing), while a dock it closed is still closed, and while its repair plan
# waits to be published (not failed, not overtaken by a newer published plan of its horizon).
OPEN_FOR = timedelta(hours=24)


def _repair_waiting(uow: UnitOfWork, incident: Incident) -> bool:
    plan = uow.plans.get(incident.plan_id, with_rows=False) if incident.plan_id else None
    if plan is None or plan.published or plan.status in (JobStatus.FAILED, JobStatus.CANCELLED):
        return False
    newest = uow.plans.list(
        limit=1, published=True, horizon_start=plan.horizon_start, horizon_end=plan.horizon_end
    )
    return not newest or (newest[0].id or 0) < (plan.id or 0)


def still_open(uow: UnitOfWork, incidents: list[Incident], now: datetime) -> list[Incident]:
    """Those of `incidents` open at `now` (see OPEN_FOR above), in their order; an incident
    reported after `now` counts as open. Read inside the caller's unit of work."""
    if not incidents:
        return []
    closed_until = {w.id: w.end for h in uow.hubs.list() for w in h.blocked}
    return [
        i
        for i in incidents
        if i.reported_at >= now - OPEN_FOR
        or any(closed_until.get(w, i.reported_at) > now for w in i.blocked_window_ids)
        or _repair_waiting(uow, i)
    ]
