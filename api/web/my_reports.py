"""An enterprise's problem reports on the web (`/reports`): report a problem (the same kinds and
the same service as the API's `POST /api/v1/reports`, tied to this enterprise and optionally to
one of its own loads and a hub), and read its own reports with the command centre's answers.
Another enterprise's reports are never listed (`services.reports.list_reports`).

The load is chosen from a list of the enterprise's own loads (`own_loads`), never typed: a typed
id is a guess at a load, and the list shows which ones are its. A posted id that is not one of
them (a hand-made request, a load since gone) is refused at the field, in the page's words, and
nothing is stored."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from api.database import db
from api.problem_words import chinese
from api.web.base import page_blueprint
from api.web.i18n import current_language, translate
from api.web.lookups import hub_names, loads_by_id
from api.web.public import KINDS, field_messages
from api.web.signin import page_for
from hub_scheduler import load_keys
from hub_scheduler.domain import Load
from hub_scheduler.errors import ValidationFailed
from hub_scheduler.records import Role
from hub_scheduler.services import reports as service
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_my_reports", __name__)
SHOWN = 200  # the newest reports listed
CHOICES = 300  # the loads offered, latest arrival first: a report is about a recent truck


def own_loads(principal: Principal) -> list[Load]:
    """The enterprise's loads the form offers, latest arrival first."""
    loads = sorted(loads_by_id(principal).values(), key=lambda ld: ld.release, reverse=True)
    return loads[:CHOICES]


def _render(principal: Principal, status: int = 200, form=None, errors=None):
    found, total = service.list_reports(db.uow(), principal, limit=SHOWN)
    page = render_template(
        "my_reports.html",
        reports=found,
        total=total,
        kinds=KINDS,
        hubs=hub_names(),
        loads=own_loads(principal),
        form=form or {},
        errors=errors or {},
    )
    return page, status


@bp.get("/reports")
@page_for(Role.ENTERPRISE)
def my_reports(principal: Principal):
    return _render(principal)


@bp.post("/reports")
@page_for(Role.ENTERPRISE)
def report_problem(principal: Principal):
    """Store the report (ValidationFailed: the form again, 422, each field's problem said)."""
    form = {k: request.form.get(k, "").strip() for k in ("kind", "text", "hub_id", "load_id")}
    zh = current_language() == "zh-CN"
    try:
        report, _ = service.submit(
            db.uow(),
            principal,
            kind=form["kind"],
            text=form["text"],
            load_id=form["load_id"] or None,
            hub_id=form["hub_id"] or None,
        )
    except ValidationFailed as exc:
        errors = {k: chinese(v) if zh else v for k, v in field_messages(exc).items()}
        if "load_id" in errors:  # the service's words name no code: said here, with the field
            errors["load_id"] = translate(
                "Load: your enterprise has no load {id}.", id=load_keys.local(form["load_id"])
            )
        if "hub_id" in errors:
            errors["hub_id"] = translate("No hub has this id.")
        return _render(principal, 422, form=form, errors=errors)
    flash(translate("Report {number} is sent.", number=report.number), "ok")
    return redirect(url_for("web_my_reports.my_reports") + "#my-reports", code=303)
