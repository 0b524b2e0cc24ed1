"""The public page (`/public`, no sign-in, made for a phone): which hubs are open, standby or
suspended, their hours today and zones, and the hotline form; a public reporter reads their
answer at `/public/reports/<number>?token=`.

The hubs' facts come from the same per-worker cache as `/api/v1/public/hubs` (`api.public`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template, request, url_for

from api.database import db
from api.public import cached_hubs
from api.web.base import page_blueprint
from api.web.i18n import translate
from api.web.signin import check_csrf
from hub_scheduler.errors import HubSchedulerError, NotFound
from hub_scheduler.records import ReportKind
from hub_scheduler.services import reports as service

bp = page_blueprint("web_public", __name__)
KINDS = [k.value for k in ReportKind]


def _moments(hub: dict[str, Any]) -> dict[str, Any]:
    """The cached JSON-ready hub with its ISO times as datetimes for the templates."""
    hours = hub["hours_today"]
    return {
        **hub,
        "hours_today": None
        if hours is None
        else [
            (datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"])) for p in hours
        ],
        "status_changed_at": datetime.fromisoformat(hub["status_changed_at"])
        if hub["status_changed_at"]
        else None,
    }


def field_messages(exc: HubSchedulerError) -> dict[str, str]:
    """Each bad field's message in the page's language (by code; else the English text)."""
    found = {}
    for error in exc.errors:
        key = f"report_error_{error.code}" if error.code else error.message
        text = translate(key)
        found[error.field or "form"] = error.message if text == key else text
    return found


def _render(status: int = 200, **values: Any):
    data = cached_hubs()
    hubs = [_moments(h) for h in data["hubs"]]
    values.setdefault("form", {})
    values.setdefault("errors", {})
    page = render_template("public.html", hubs=hubs, at=data["at"], kinds=KINDS, **values)
    return page, status


@bp.get("/public")
def public():
    return _render()


@bp.post("/public/reports")
def submit_report():
    check_csrf()
    form = {
        k: request.form.get(k, "").strip()
        for k in ("kind", "text", "hub_id", "name", "phone", "email")
    }
    contact = service.Contact(
        name=form["name"], phone=form["phone"] or None, email=form["email"] or None
    )
    try:
        report, token = service.submit(
            db.uow(),
            None,
            kind=form["kind"],
            text=form["text"],
            hub_id=form["hub_id"] or None,
            contact=contact,
        )
    except HubSchedulerError as exc:
        return _render(exc.status, form=form, errors=field_messages(exc) or {"form": exc.detail})
    lookup = url_for("web_public.report_status", number=report.number, token=token)
    return _render(201, submitted=report, token=token, lookup=lookup)


@bp.get("/public/reports/<number>")
def report_status(number: str):
    token = request.args.get("token", "")
    try:
        report = service.public_lookup(db.uow(), number, token)
    except NotFound:
        report = None
    page = render_template("public_report.html", report=report, number=number)
    return page, (200 if report is not None else 404)
