"""The re-plan offered where the plan in force stops fitting: after a manager's change to a hub
(hours cut, a dock blocked or removed) the page says how many slots no longer fit, and the board
shows a banner for tomorrow's plan (and the day on screen) with the reasons; both offer the
button that starts a re-plan of that plan's horizon (`POST /plans/new`, the plan job page).
When tomorrow has no plan in force at all, the banner says so (with the trucks waiting for one)
and its button plans that day (`POST /plans/new` with `day`); while a plan job of that day is
queued or running, or succeeded and not published yet, it says so with a link to the job instead
of inviting a second plan."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash

from api.clock import service_now
from api.database import db
from api.settings import job_config
from api.web.i18n import translate
from api.web.lookups import hub_name, plan_in_force, today
from api.web.timeline import day_horizon
from hub_scheduler.services import jobs as job_service
from hub_scheduler.services.impact import hub_change_impact
from hub_scheduler.services.replan_need import ReplanNeed, replan_need


def flash_stranded(hub_id: str) -> None:
    """After a saved change to the hub: how many slots of the plan in force it strands, and
    that the hub's page offers the re-plan (nothing is said when every slot still fits)."""
    impact = hub_change_impact(db.uow(), hub_id, now=service_now())
    if impact.stranded:
        flash(
            translate(
                "{n} slots of the plan in force no longer fit the hub as it is now: re-plan now with the button below.",  # noqa: E501
                n=len(impact.stranded),
            ),
            "error",
        )


def reasons(need: ReplanNeed) -> list[str]:
    """Why the plan needs a re-plan, one sentence a reason, in the page's language."""
    said = []
    if need.stranded:
        said.append(translate("replan_why_stranded", n=need.stranded))
    if need.off_hub:
        said.append(translate("replan_why_off_hub", n=need.off_hub))
    if need.lost_slot:
        said.append(translate("replan_why_lost_slot", n=need.lost_slot))
    if need.new_loads:  # without a plan: the day's trucks wait for one
        key = "replan_why_unplanned_loads" if need.unplanned else "replan_why_new_loads"
        said.append(translate(key, n=need.new_loads))
    if need.activated:
        said.append(
            translate(
                "replan_why_activated",
                hubs=translate("list_sep").join(map(hub_name, need.activated)),
            )
        )
    return said


def board_banners(shown_day: date) -> list[dict]:
    """A banner for tomorrow's plan in force and the shown day's, when it needs a re-plan:
    the day, the plan and the reasons (oldest day first, one per plan); and one for tomorrow
    when it has no plan in force at all (`plan` None: the button plans the day, unless `job`, the
    day's plan job being computed or waiting for review, is there: the banner links to it)."""
    now = service_now()
    tomorrow = today() + timedelta(days=1)
    banners: list[dict] = []
    for day in sorted({tomorrow, shown_day}):
        plan = plan_in_force(day)
        if plan is None and day != tomorrow:
            continue  # a past or later day without a plan: the board's head says so
        if plan is not None and any(b["plan"] and b["plan"].id == plan.id for b in banners):
            continue
        start, end = day_horizon(day)
        need = replan_need(db.uow(), plan, start, end, now)
        if need.needed:
            job = None
            if plan is None:
                grace_s = job_config().grace_s
                job = job_service.pending_job(db.uow(), start, end, grace_s=grace_s)
            banners.append({"day": day, "plan": plan, "reasons": reasons(need), "job": job})
    return banners
