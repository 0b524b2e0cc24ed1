"""Problem reports, the hotline (issue 13): an enterprise token or the public (with a contact, under
a stricter rate limit) reports; the command centre lists, answers and closes. An enterprise sees
only its own reports."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from api.auth import SUBMITTERS, current_principal, require
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.reports import ReportAnswerIn, ReportIn, ReportOut, ReportsOut, ReportsQuery
from hub_scheduler.records import Report
from hub_scheduler.services import reports as service
from hub_scheduler.services.principal import Principal

bp = Blueprint("reports", __name__, url_prefix="/api/v1/reports")
NO_STORE = {"Cache-Control": "no-store"}


def report_out(report: Report, principal: Principal | None, token: str | None = None) -> ReportOut:
    """A report as its reader may see it: the contact only for the command centre."""
    assert report.id is not None
    admin = principal is not None and not principal.is_enterprise
    return ReportOut(
        id=report.id,
        number=report.number,
        kind=report.kind,
        text=report.text,
        status=report.status,
        enterprise_id=report.enterprise_id,
        load_id=report.load_id,
        hub_id=report.hub_id,
        created_at=report.created_at,
        answer=report.answer,
        answered_at=report.answered_at,
        closed_at=report.closed_at,
        contact={
            "name": report.contact_name,
            "phone": report.contact_phone,
            "email": report.contact_email,
        }
        if admin and report.contact_name
        else None,
        token=token,
        lookup=url_for("public.report", number=report.number, token=token) if token else None,
    )


def submit_report(principal: Principal | None, body: ReportIn) -> tuple[Report, str | None]:
    contact = (
        service.Contact(name=body.contact.name, phone=body.contact.phone, email=body.contact.email)
        if body.contact is not None
        else None
    )
    return service.submit(
        db.uow(),
        principal,
        kind=body.kind,
        text=body.text,
        load_id=body.load_id,
        hub_id=body.hub_id,
        contact=contact,
    )


@bp.post("")
@operation(
    "Report a problem: with an enterprise token, or without sign-in giving a contact",
    roles=None,
    body=ReportIn,
    response=ReportOut,
    status=201,
    errors=(401, 403, 422, 429),
    description="Without a token the answer carries the report number and a lookup token "
    "(shown once) for GET /api/v1/public/reports/{number}?token=.",
)
def create(body: ReportIn):
    principal = require(("enterprise",)) if request.headers.get("Authorization") else None
    report, token = submit_report(principal, body)
    return respond(report_out(report, principal, token), 201, NO_STORE)


@bp.get("")
@operation(
    "Reports, newest first (an enterprise: its own); filter by status and kind",
    roles=SUBMITTERS,
    query=ReportsQuery,
    response=ReportsOut,
    errors=(422,),
)
def index(query: ReportsQuery):
    principal = current_principal()
    found, total = service.list_reports(
        db.uow(),
        principal,
        status=query.status,
        kind=query.kind,
        limit=query.limit,
        offset=query.offset,
    )
    return respond({"reports": [report_out(r, principal) for r in found], "total": total})


@bp.get("/<int:report_id>")
@operation("One report and its answer", roles=SUBMITTERS, response=ReportOut, errors=(404,))
def show(report_id: int):
    principal = current_principal()
    return respond(report_out(service.get_report(db.uow(), principal, report_id), principal))


@bp.post("/<int:report_id>/answer")
@operation(
    "Answer a report (the reporting enterprise gets report.answered)",
    roles=("admin",),
    body=ReportAnswerIn,
    response=ReportOut,
    errors=(404, 409, 422),
)
def answer(report_id: int, body: ReportAnswerIn):
    principal = current_principal()
    report = service.answer(db.uow(), report_id, body.answer, actor=principal.actor)
    return respond(report_out(report, principal))


@bp.post("/<int:report_id>/close")
@operation("Close a report", roles=("admin",), response=ReportOut, errors=(404, 409))
def close(report_id: int):
    principal = current_principal()
    return respond(report_out(service.close(db.uow(), report_id, actor=principal.actor), principal))
