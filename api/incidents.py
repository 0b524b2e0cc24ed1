"""Incidents: a positive driver or vehicle; docks blocked, loads cancelled, contacts traced."""

from __future__ import annotations

from flask import Blueprint

from api.auth import current_principal
from api.database import db
from api.jobs import jobs
from api.openapi import operation
from api.plans import plan_out, replan_request
from api.respond import respond, respond_page
from api.schemas.body import PageQuery
from api.schemas.emergencies import IncidentIn, IncidentOut
from api.settings import job_config
from hub_scheduler import load_keys
from hub_scheduler.records import Incident
from hub_scheduler.services import incidents as service

bp = Blueprint("incidents", __name__, url_prefix="/api/v1/incidents")


@bp.post("")
@operation(
    "Report a positive driver or vehicle (vehicle_plate or load_id); the same truck reported "
    "again while its incident is open is 409 `incident_already_open`",
    roles=("admin",),
    body=IncidentIn,
    response=IncidentOut,
    status=201,
    errors=(409, 422),
)
def report(body: IncidentIn):
    incident, plan = service.report_incident(
        db.uow(),
        jobs.runner(),
        job_config(),
        actor=current_principal().actor,
        at=body.at,
        vehicle_plate=body.vehicle_plate,
        load_id=(
            load_keys.qualify(body.enterprise_id, body.load_id)
            if body.load_id and body.enterprise_id
            else body.load_id
        ),
        note=body.note,
        disinfection_minutes=body.disinfection_minutes,
        contact_window_minutes=body.contact_window_minutes,
        replan=replan_request(body.horizon, body.time_limit_s),
    )
    return respond({"incident": incident, "plan": plan_out(plan) if plan else None}, 201)


@bp.get("")
@operation("Reported incidents", roles=("admin",), response=list[Incident], query=PageQuery)
def history(query: PageQuery):
    return respond_page(service.list_incidents(db.uow()), query)


@bp.get("/<int:incident_id>")
@operation("One reported incident", roles=("admin",), response=Incident, errors=(404,))
def one(incident_id: int):
    return respond(service.get_incident(db.uow(), incident_id))
