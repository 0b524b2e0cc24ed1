"""An enterprise's problem reports on the web (`/reports`): report a problem (the same kinds and
the same service as the API's `POST /api/v1/reports`, tied to this enterprise and optionally to
one of its own loads and a hub), and read its own reports with the command centre's answers.
Another enterprise's reports are never listed (`services.reports.list_reports`).

The load is chosen from a list of the enterprise's latest loads (`own_loads`, CHOICES of them),
or typed (`load_id_typed`) when it is an older one the list leaves out. Either way the service
checks that the id is one of the enterprise's own: one that is not (another enterprise's, none at
all, a hand-made request, a load since gone) is refused at the field it came in, in the page's
words, which never say whether such a load exists elsewhere; a load both chosen and typed, two
different ones, is refused at the typed field. Nothing is stored then."""

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
        choices=CHOICES,
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
    fields = ("kind", "text", "hub_id", "load_id", "load_id_typed")
    form = {k: request.form.get(k, "").strip() for k in fields}
    chosen, typed = form["load_id"], form["load_id_typed"]
    if chosen and typed and chosen != typed:
        message = translate("Choose a load from the list or type its id, not two different ones.")
        return _render(principal, 422, form=form, errors={"load_id_typed": message})
    load_id = typed or chosen
    zh = current_language() == "zh-CN"
    try:
        report, _ = service.submit(
            db.uow(),
            principal,
            kind=form["kind"],
            text=form["text"],
            load_id=load_id or None,
            hub_id=form["hub_id"] or None,
        )
    except ValidationFailed as exc:
        errors = {k: chinese(v) if zh else v for k, v in field_messages(exc).items()}
        if errors.pop("load_id", None):  # the service's words name no code: said here
            errors["load_id_typed" if typed else "load_id"] = translate(
                "Load: your enterprise has no load {id}.", id=typed or load_keys.local(chosen)
            )
        if "hub_id" in errors:
            errors["hub_id"] = translate("No hub has this id.")
        return _render(principal, 422, form=form, errors=errors)
    flash(translate("Report {number} is sent.", number=report.number), "ok")
    return redirect(url_for("web_my_reports.my_reports") + "#my-reports", code=303)
