"""The printable door timetables: per dock and shift an A4 sheet a dock worker pins on the door.

`/plans/<id>/timetable/<hub>` is the page (print CSS: one sheet a printed page); the same
sheets as a PDF come from WeasyPrint (it lays out CJK text with the system's fonts; fonts-noto-cjk
is a Debian package, see docs/sheets.md), so the PDF and the page cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, render_template, request

from api.database import db
from api.web.base import page_blueprint
from api.web.signin import STAFF, page_for
from hub_scheduler.services import plans as plan_service
from hub_scheduler.services.principal import Principal
from hub_scheduler.sheets.timetable import dock_sheets
from models.scenario_store import load_scenario

bp = page_blueprint("web_timetable", __name__)
SHEET_CSS = Path(__file__).parent / "static" / "timetable.css"


def _sheets(plan_id: int, hub_id: str):
    plan, scenario = plan_service.plan_with_scenario(db.uow(), plan_id, load_scenario=load_scenario)
    hub = next((h for h in scenario.hubs if h.id == hub_id), None)
    if hub is None:
        abort(404)  # the page's Chinese 404 (a NotFound's English detail would show on it)
    dock = request.args.get("dock") or None
    if plan.schedule is None:  # plan_with_scenario refuses a plan without one (409) already
        abort(409)
    sheets = dock_sheets(plan.schedule, scenario, hub_id, dock_id=dock)
    return plan, hub, dock, sheets


@bp.get("/plans/<int:plan_id>/timetable/<hub_id>")
@page_for(*STAFF)
def timetable(principal: Principal, plan_id: int, hub_id: str):
    plan, hub, dock, sheets = _sheets(plan_id, hub_id)
    docks = [d.id for z in hub.zones for d in z.docks]
    return render_template(
        "timetable.html", plan=plan, hub=hub, dock=dock, docks=docks, sheets=sheets
    )


@bp.get("/plans/<int:plan_id>/timetable/<hub_id>.pdf")
@page_for(*STAFF)
def timetable_pdf(principal: Principal, plan_id: int, hub_id: str):
    from weasyprint import CSS, HTML  # heavy (pango); only this download needs it

    plan, hub, dock, sheets = _sheets(plan_id, hub_id)
    html = render_template("timetable_pdf.html", plan=plan, hub=hub, sheets=sheets)
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(SHEET_CSS))])
    name = f"timetable-{plan_id}-{hub_id}{'-' + dock if dock else ''}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
