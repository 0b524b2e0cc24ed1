"""What the pages look up beside a plan: the plan in force, loads and enterprises by id."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g

from api.clock import service_now
from api.database import db
from api.web.i18n import translate, translator
from api.web.zone import local_zone
from hub_scheduler.domain import Enterprise, Load, Unscheduled
from hub_scheduler.errors import NotFound, ValidationFailed
from hub_scheduler.reason_words import limit_words, reason_words
from hub_scheduler.records import Plan
from hub_scheduler.services import enterprises as enterprise_service
from hub_scheduler.services import hubs as hub_service
from hub_scheduler.services import loads as load_service
from hub_scheduler.services import plans as plan_service
from hub_scheduler.services import replan as replan_service
from hub_scheduler.services.principal import Principal

# A county day holds a few hundred loads; the pages show them all at once.
ALL = 100_000


def today() -> date:
    """Today in the site's zone, by the service's clock (`api.clock`, a fixed one on training
    days), the one the jobs plan from."""
    return service_now().astimezone(local_zone()).date()


def plan_in_force(day: date | None) -> Plan | None:
    """The published plan of `day` (a site-local date), or (None) of the horizon in force by the
    service's clock (`replan_horizon` as the services call it); None when none is."""
    if day is None:
        uow = db.uow()
        try:
            with uow:
                start, _ = replan_service.replan_horizon(uow, None, None, service_now())
        except ValidationFailed:  # nothing is published yet
            return None
        day = start.astimezone(local_zone()).date()
    try:
        return plan_service.published_plan(db.uow(), day)
    except NotFound:
        return None


def days_of(loads: list[Load]) -> list[date]:
    """The site-local days a page of loads arrives and is due on, in order."""
    zone = local_zone()
    return sorted(
        {ld.release.astimezone(zone).date() for ld in loads}
        | {ld.due.astimezone(zone).date() for ld in loads}
    )


def slots_in_force(principal: Principal, days: list[date]) -> tuple[dict, dict]:
    """Each load's slot and each left-out load's reason (by load id), from the plan in force on
    each of `days`: a page of every day reads each load's own day, not only the newest published
    plan (publishing tomorrow's must not hide today's slots). A slot wins over a reason."""
    slots: dict = {}
    reasons: dict = {}
    for one_day in days:
        plan = plan_in_force(one_day)
        if plan is None or plan.schedule is None:
            continue
        placed, left_out = plan_service.visible_parts(
            db.uow(), plan, principal, english=translator("en")
        )
        for a in placed:
            slots.setdefault(a.load_id, a)
        for u in left_out:
            reasons.setdefault(u.load_id, u)
    return slots, {k: v for k, v in reasons.items() if k not in slots}


def enterprises_by_id() -> dict[str, Enterprise]:
    return {e.id: e for e in enterprise_service.list_enterprises(db.uow())}


def loads_by_id(principal: Principal) -> dict[str, Load]:
    """Every load the principal may see (an enterprise only its own)."""
    loads, _ = load_service.list_loads(db.uow(), principal=principal, limit=ALL)
    return {load.id: load for load in loads}


def hub_names() -> dict[str, str]:
    """Each hub's name by id (the id where it has none), read once per request."""
    if "hub_names" not in g:
        g.hub_names = {h.id: h.name or h.id for h in hub_service.list_hubs(db.uow())}
    return g.hub_names


def hub_name(hub_id: str) -> str:
    """The hub's name for a reader (drivers and enterprises know hubs by name, not by code)."""
    return hub_names().get(hub_id, hub_id)


def why(unscheduled: Unscheduled) -> str:
    """Why the load has no slot, in the page's language with hub names ("" when the plan kept
    only the code)."""
    return reason_words(unscheduled, translate, hub_names())


def why_limit(limit: dict[str, Any], day: date | None = None) -> str:
    """A limit that keeps a repaired slot from being earlier ({code, rule, params}:
    `solver/why_not_earlier.py`) in the page's language, hubs by name, times as the site's
    clock (with the date when not on `day`)."""
    return limit_words(limit, translate, hub_names(), day)
