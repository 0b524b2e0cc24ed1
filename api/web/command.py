"""The command centre: hub switches with a preview of their impact, positive-driver incidents
with their contacts and repair plan (published from here), and the incidents list.

`init_app` gives every template `open_incidents()`: the board and the timeline show a banner
while one is open.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, flash, redirect, render_template, request, url_for

from api.clock import service_now
from api.database import db
from api.jobs import jobs
from api.settings import job_config
from api.web.base import page_blueprint
from api.web.i18n import translate, translator
from api.web.signin import STAFF, page_for, signed_in_principal
from api.web.zone import local_zone
from hub_scheduler import limits, load_keys
from hub_scheduler.domain import HubStatus
from hub_scheduler.errors import NotFound, ValidationFailed
from hub_scheduler.records import Incident, JobStatus, Role
from hub_scheduler.services import enterprises as enterprise_service
from hub_scheduler.services import hubs as hub_service
from hub_scheduler.services import impact as impact_service
from hub_scheduler.services import incidents as incident_service
from hub_scheduler.services import plans as plan_service
from hub_scheduler.services.jobs import utc_now
from hub_scheduler.services.principal import Principal
from models.scenario_store import load_scenario

bp = page_blueprint("web_command", __name__)
_RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)
# The one move the command centre offers per status (as on the board).
ACTIONS = {
    HubStatus.STANDBY: "activate",
    HubStatus.ACTIVE: "suspend",
    HubStatus.SUSPENDED: "activate",
}
# The incident form's bounds: those of the API's IncidentIn.
DISINFECTION_MINUTES = (1, 24 * 60)
CONTACT_WINDOW_MINUTES = (1, 7 * 24 * 60)
NOTE_MAX = 500


def init_app(app: Flask) -> None:
    app.jinja_env.globals["open_incidents"] = shown_open_incidents
    app.jinja_env.globals["incident_truck"] = incident_truck


def incident_truck(item: Incident) -> str:
    """The positive truck as the pages name an incident: by its plate, the load id beside it
    when the incident was reported by load id ("赣B·FWX82（车次 L189）"; the plate read from that
    load); the load id alone when that load has no plate (or is gone)."""
    if item.vehicle_plate:
        return item.vehicle_plate
    if item.load_id is None:
        return "—"
    shown_id = load_keys.local(item.load_id)
    uow = db.read_uow()
    with uow:
        load = uow.loads.get(item.load_id)
    if load is None or not load.vehicle_plate:
        return shown_id
    return translate("{plate} (load {load})", plate=load.vehicle_plate, load=shown_id)


def shown_open_incidents() -> list[Incident]:
    """The open incidents (`services.incidents.open_incidents`) for staff pages; none for others."""
    principal = signed_in_principal()
    if principal is None or principal.role not in STAFF:
        return []
    return incident_service.open_incidents(db.uow(), utc_now())


@bp.get("/command")
@page_for(Role.ADMIN)
def command(principal: Principal):
    hubs = hub_service.list_hubs(db.uow())
    return render_template(
        "command.html",
        hubs=[(h, ACTIONS[h.status]) for h in hubs],
        incidents=incident_service.list_incidents(db.uow())[:5],
    )


@bp.get("/command/hubs/<hub_id>/<action>")
@page_for(Role.ADMIN)
def hub_preview(principal: Principal, hub_id: str, action: str):
    """What the switch would change, with the reason form that does it (board's hub_action)."""
    impact = impact_service.hub_switch_impact(db.uow(), hub_id, action)
    if ACTIONS[impact.hub.status] != action:
        flash(
            translate(
                "{hub} is {status}; it cannot be {action}.",
                hub=impact.hub.name or hub_id,
                status=translate("status_" + impact.hub.status.value),
                action=translate("verb_activate" if action == "activate" else "verb_suspend"),
            ),
            "error",
        )
        return redirect(url_for("web_command.command"), code=303)
    names = {e.id: e.name or e.id for e in enterprise_service.list_enterprises(db.uow())}
    return render_template("command_preview.html", impact=impact, action=action, names=names)


@bp.get("/command/incidents")
@page_for(Role.ADMIN)
def incidents(principal: Principal):
    return render_template("incidents.html", incidents=incident_service.list_incidents(db.uow()))


@bp.get("/command/incidents/new")
@page_for(Role.ADMIN)
def new_incident(principal: Principal):
    return _form_page({}, {})


def _form_page(form: dict[str, str], errors: dict[str, str], status: int = 200):
    return (
        render_template(
            "incident_new.html",
            form=form,
            errors=errors,
            disinfection=DISINFECTION_MINUTES,
            contact_window=CONTACT_WINDOW_MINUTES,
        ),
        status,
    )


def _minutes(form, name: str, default: int, bounds: tuple[int, int], errors: dict) -> int:
    text = form.get(name, "").strip()
    if not text:
        return default
    low, high = bounds
    if not text.isdigit() or not low <= int(text) <= high:
        errors[name] = translate("Enter whole minutes from {low} to {high}.", low=low, high=high)
        return default
    return int(text)


def _incident_form(form) -> tuple[dict[str, Any], dict[str, str]]:
    """The report form as report_incident's values, and a translated message per bad field."""
    errors: dict[str, str] = {}
    plate = form.get("vehicle_plate", "").strip()
    load_id = form.get("load_id", "").strip()
    if bool(plate) == bool(load_id):
        errors["vehicle_plate"] = translate("Give the vehicle plate or the load, not both.")
    elif len(plate) > limits.PLATE_MAX_LENGTH:
        errors["vehicle_plate"] = translate(
            "A plate has at most {n} characters.", n=limits.PLATE_MAX_LENGTH
        )
    at: datetime | None = None  # the service's clock (report_incident's default)
    text = form.get("at", "").strip()
    if text:
        try:
            at = datetime.fromisoformat(text)
            at = at if at.tzinfo else at.replace(tzinfo=local_zone())
        except ValueError:
            errors["at"] = translate("Enter a date and time such as 2026-11-28 08:30.")
    note = form.get("note", "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = translate("At most {n} characters.", n=NOTE_MAX)
    values = {
        "vehicle_plate": plate or None,
        "load_id": load_id or None,
        "at": at,
        "note": note,
        "disinfection_minutes": _minutes(
            form, "disinfection_minutes", 120, DISINFECTION_MINUTES, errors
        ),
        "contact_window_minutes": _minutes(
            form, "contact_window_minutes", 240, CONTACT_WINDOW_MINUTES, errors
        ),
    }
    return values, errors


@bp.post("/command/incidents")
@page_for(Role.ADMIN)
def report_incident(principal: Principal):
    form = request.form.to_dict()
    values, errors = _incident_form(request.form)
    if errors:
        return _form_page(form, errors, 422)
    try:
        incident, _ = incident_service.report_incident(
            db.uow(), jobs.runner(), job_config(), actor=principal.actor, **values
        )
    except ValidationFailed as exc:
        # The service names the field: a time in the future, no load has this plate, or no
        # load has this id.
        future = next((e.params for e in exc.errors if e.field == "at" and e.params), None)
        if future:
            errors["at"] = translate(
                "The time ({at}) is later than now ({now}): it cannot be in the future.",
                at=_minute(future["at"]),
                now=_minute(future["now"]),
            )
        elif values["vehicle_plate"]:
            errors["vehicle_plate"] = translate(
                "No load has the plate {plate}.", plate=values["vehicle_plate"]
            )
        else:
            errors["load_id"] = translate("There is no load {id}.", id=values["load_id"])
        return _form_page(form, errors, 422)
    flash(translate("The positive case is recorded; the repair plan is being made."), "ok")
    return redirect(url_for("web_command.incident", incident_id=incident.id), code=303)


def _minute(iso: str) -> str:
    """An ISO time as the form shows it: day and minute in the site's zone."""
    return datetime.fromisoformat(iso).astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@bp.get("/command/incidents/<int:incident_id>")
@page_for(Role.ADMIN)
def incident(principal: Principal, incident_id: int):
    found = incident_service.get_incident(db.uow(), incident_id)
    hubs = hub_service.list_hubs(db.uow())
    windows = {w.id: (h, w) for h in hubs for w in h.blocked}
    blocked = [windows[i] for i in found.blocked_window_ids if i in windows]
    contacts = [
        {**c, "start": _when(c.get("start")), "end": _when(c.get("end"))} for c in found.contacts
    ]
    plan = None
    comparison = None
    if found.plan_id is not None:
        plan = plan_service.get_plan(db.uow(), found.plan_id, grace_s=job_config().grace_s)
        if plan.schedule is not None:
            # Once published, the repair is the plan in force: its moves are read from what was
            # in force before it, as stored with it (the incident's record of trucks moved).
            comparison = (
                impact_service.compare_with_plan_replaced(db.uow(), plan)
                if plan.published
                else impact_service.compare_with_plan_in_force(db.uow(), plan.schedule)
            )
    return render_template(
        "incident.html",
        incident=found,
        blocked=blocked,
        contacts=[c for c in contacts if not c["kind"].startswith("relay_")],
        relays=[c for c in contacts if c["kind"].startswith("relay_")],
        plan=plan,
        running=plan is not None and plan.status in _RUNNING,
        comparison=comparison,
        hub_names={h.id: h.name or h.id for h in hubs},
        names={e.id: e.name or e.id for e in enterprise_service.list_enterprises(db.uow())},
    )


@bp.post("/command/incidents/<int:incident_id>/publish")
@page_for(Role.ADMIN)
def publish_repair(principal: Principal, incident_id: int):
    """Publish the incident's repair plan; back to the incident."""
    found = incident_service.get_incident(db.uow(), incident_id)
    if found.plan_id is None:
        raise NotFound(f"incident {incident_id} has no repair plan")
    plan_service.publish_plan(
        db.uow(),
        found.plan_id,
        actor=principal.actor,
        load_scenario=load_scenario,
        english=translator("en"),
        published_at=service_now(),  # which new slots are already over (`slot.expired`)
    )
    flash(translate("Plan {id} is published.", id=found.plan_id), "ok")
    return redirect(url_for("web_command.incident", incident_id=incident_id), code=303)
