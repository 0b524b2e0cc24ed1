"""The command centre's page for problem reports (`/admin/reports`): filter by status and kind,
answer (the reporting enterprise is told) and close."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for

from api.database import db
from api.web.base import done_then_back, page_blueprint
from api.web.i18n import translate
from api.web.public import KINDS, field_messages
from api.web.signin import page_for
from hub_scheduler.errors import HubSchedulerError
from hub_scheduler.records import ReportKind, ReportStatus, Role
from hub_scheduler.services import reports as service
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_reports", __name__)
STATUSES = [s.value for s in ReportStatus]


def _choice(name: str, allowed: list[str]) -> str | None:
    value = request.args.get(name, "")
    return value if value in allowed else None


def _render(principal: Principal, status: int = 200, error: str | None = None):
    chosen_status, chosen_kind = _choice("status", STATUSES), _choice("kind", KINDS)
    found, total = service.list_reports(
        db.uow(),
        principal,
        status=ReportStatus(chosen_status) if chosen_status else None,
        kind=ReportKind(chosen_kind) if chosen_kind else None,
        limit=200,
    )
    page = render_template(
        "reports.html",
        reports=found,
        total=total,
        statuses=STATUSES,
        kinds=KINDS,
        chosen_status=chosen_status,
        chosen_kind=chosen_kind,
        error=error,
    )
    return page, status


def _back() -> str:
    filters: dict[str, Any] = request.args.to_dict()  # the list's filters, kept
    return url_for("web_reports.reports", **filters)


@bp.get("/admin/reports")
@page_for(Role.ADMIN)
def reports(principal: Principal):
    return _render(principal)


@bp.post("/admin/reports/<int:report_id>/answer")
@page_for(Role.ADMIN)
def answer_report(principal: Principal, report_id: int):
    def refused(exc: HubSchedulerError):
        problems = "; ".join(field_messages(exc).values()) or translate(exc.title)
        return _render(principal, exc.status, error=problems)

    answer = request.form.get("answer", "")
    return done_then_back(
        lambda: service.answer(db.uow(), report_id, answer, actor=principal.actor), refused, _back()
    )


@bp.post("/admin/reports/<int:report_id>/close")
@page_for(Role.ADMIN)
def close_report(principal: Principal, report_id: int):
    def refused(exc: HubSchedulerError):
        return _render(
            principal, exc.status, error=translate(exc.title) + translate("colon") + exc.detail
        )

    return done_then_back(
        lambda: service.close(db.uow(), report_id, actor=principal.actor), refused, _back()
    )
