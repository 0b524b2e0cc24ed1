"""The audit log as a page: who changed what, when, on which load or hub; filtered, 50 a page.

Filters (query string): `who` (a part of the actor's name, any case), `what` (a kind of action,
one of `ACTION_KINDS`), `from` and `to` (dates, YYYY-MM-DD, days in the site's zone, both
included), `target` (a load, hub, plan or user id), `page` (from 1). A malformed filter is said on
the page (422), never a 500.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import render_template, request

from api.database import db
from api.web.audit_words import shown_details
from api.web.base import page_blueprint
from api.web.i18n import translate
from api.web.messages import EN
from api.web.signin import page_for
from api.web.zone import local_zone
from hub_scheduler.records import Role
from hub_scheduler.services.audit import list_entries
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_audit", __name__)

PAGE_SIZE = 50
MAX_PAGE = 10_000
# The kinds of action (the part before the dot of "load.create"), as the "what" filter offers them.
ACTION_KINDS = (
    "load",
    "transfer",
    "plan",
    "hub",
    "activation",
    "incident",
    "enterprise",
    "horizon",
    "user",
    "token",
    "webhook",
    "report",
    "site",
)


def action_label(action: str) -> str:
    """ "load.create" in the page's language; an action without a label is shown as it is."""
    key = "audit_" + action
    return translate(key) if key in EN else action


def raw_details(details: dict[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def _day(text: str, field: str, problems: list[str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(translate("{field}: not a date (YYYY-MM-DD)", field=translate(field)))
        return None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=local_zone())


def read_filters(args) -> tuple[dict, dict, int, list[str]]:
    """The query string -> (filters for the audit repository, the form's values, page, problems)."""
    problems: list[str] = []
    form = {k: args.get(k, "").strip()[:200] for k in ("who", "what", "from", "to", "target")}
    filters: dict = {}
    if form["who"]:
        filters["actor_contains"] = form["who"]
    if form["what"]:
        if form["what"] in ACTION_KINDS:
            filters["action_prefix"] = form["what"] + "."
        else:
            problems.append(translate("What: not a kind of action"))
    start, end = _day(form["from"], "From", problems), _day(form["to"], "To", problems)
    if start and end and end < start:
        problems.append(translate("To: before From"))
    elif start or end:
        try:
            if start:
                filters["since"] = _midnight(start)
            if end:
                filters["until"] = _midnight(end + timedelta(days=1))  # the whole day "to"
        except OverflowError:  # 9999-12-31 + 1 day
            problems.append(translate("To: not a date (YYYY-MM-DD)"))
    if form["target"]:
        filters["target_id"] = form["target"]
    try:
        page = int(args.get("page", "1"))
    except ValueError:
        page = 0
    if not 1 <= page <= MAX_PAGE:
        problems.append(translate("Page: a whole number from 1"))
        page = 1
    return filters, form, page, problems


@bp.get("/admin/audit")
@page_for(Role.ADMIN)
def audit(principal: Principal):
    filters, form, page, problems = read_filters(request.args)
    entries, more = [], False
    if not problems:
        found = list_entries(
            db.uow(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, **filters
        )
        entries, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    query = {k: v for k, v in form.items() if v}
    html = render_template(
        "audit.html",
        rows=[(entry, action_label(entry.action)) for entry in entries],
        shown_details=shown_details,
        raw_details=raw_details,
        form=form,
        kinds=ACTION_KINDS,
        page=page,
        more=more,
        query=query,
        problems=problems,
        first=(page - 1) * PAGE_SIZE + 1,
    )
    return html, 422 if problems else 200
