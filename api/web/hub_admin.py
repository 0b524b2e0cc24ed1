"""Hub administration for the command centre and park managers (admin): hubs, zones, docks,
opening hours, blocked windows, zone crews (H6), site capacity (H8), the white-list of
enterprises and the entry-screening policy.

Every form is validated by the pydantic model the API validates the same request with
(`api.schemas` / `hub_scheduler.domain`), then handed to the service the API calls
(`services.hubs`, `services.enterprises`, `services.site`), so a page and the API accept and
refuse the same input; the services write the audit entries. A refusal is the page again with a
4xx status and each problem said in the page's language, naming the field
(`api.web.hub_admin_messages`); nothing is written then. A change to a hub's docks, hours or
blocked windows shows what it strands in the plan in force (`services.impact.hub_change_impact`)
and links to the plan to re-plan.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request, url_for
from pydantic import BaseModel, ValidationError

from api.clock import service_now
from api.database import db
from api.schemas.enterprises import EnterprisePatch
from api.schemas.hubs import BlockedWindowIn, HubPatch
from api.schemas.site import ScreeningPolicyPatch
from api.web.base import page_blueprint
from api.web.hub_admin_messages import field_label, said_error
from api.web.i18n import translate
from api.web.replan_offer import flash_stranded
from api.web.signin import page_for
from api.web.zone import local_zone
from hub_scheduler.domain import (
    BlockedWindow,
    Enterprise,
    Hub,
    HubKind,
    HubStatus,
    Temperature,
)
from hub_scheduler.errors import FieldError, HubSchedulerError, ValidationFailed
from hub_scheduler.records import Role
from hub_scheduler.scenario_file import pydantic_errors
from hub_scheduler.services import enterprises as enterprise_service
from hub_scheduler.services import hubs as hub_service
from hub_scheduler.services import site as site_service
from hub_scheduler.services.impact import hub_change_impact
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_hub_admin", __name__)
M = TypeVar("M", bound=BaseModel)
ADMIN = Role.ADMIN
# Empty opening-hour rows offered below the stored ones.
SPARE_PERIODS = 2


# --- validation: the API's models, problems said in the page's language ---------------------------


def validated(model: type[M], data: dict[str, Any]) -> M:
    """`data` as the API's `model`; ValidationFailed naming each bad field otherwise (the pydantic
    error type kept as the code, its context as the params, for the page's language)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            FieldError(
                field=e.field,
                message=e.message,
                code=raw["type"],
                params={k: str(v) for k, v in (raw.get("ctx") or {}).items()},
            )
            for e, raw in zip(pydantic_errors(exc), exc.errors(), strict=True)
        ]
        raise ValidationFailed("the form is not valid", errors) from None


def problems(exc: HubSchedulerError) -> list[str]:
    """Each field problem as "field: problem" in the page's language."""
    out = []
    for e in exc.errors:
        label = field_label(e.field) if e.field else ""
        text = said_error(e)
        out.append(f"{label}：{text}" if label else text)
    return out or [translate(exc.title)]


def _blank_none(form, *names: str) -> dict[str, Any]:
    """The named form fields that were filled in (trimmed); empty ones are left out."""
    return {n: form.get(n, "").strip() for n in names if form.get(n, "").strip()}


def _local_moment(text: str) -> str | datetime:
    """A datetime-local value read in the site's zone; unreadable text is passed on for the model
    to refuse by name."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment if moment.tzinfo else moment.replace(tzinfo=local_zone())


# --- the hub list and a new hub ---------------------------------------------------------------


def _hubs_page(*, errors: list[str] | None = None, form=None, status: int = 200):
    page = render_template(
        "hub_admin_hubs.html",
        hubs=hub_service.list_hubs(db.uow()),
        kinds=list(HubKind),
        statuses=list(HubStatus),
        errors=errors or [],
        form=form or {},
    )
    return page, status


@bp.get("/admin/hubs")
@page_for(ADMIN)
def hubs(principal: Principal):
    return _hubs_page()


@bp.post("/admin/hubs")
@page_for(ADMIN)
def create_hub(principal: Principal):
    form = request.form
    data = _blank_none(
        form, "id", "name", "kind", "status", "disinfection_minutes", "max_trucks_on_site"
    )
    data |= _blank_none(form, "slot_minutes")
    try:
        hub = hub_service.create_hub(db.uow(), validated(Hub, data), actor=principal.actor)
    except HubSchedulerError as exc:
        return _hubs_page(errors=problems(exc), form=form, status=exc.status)
    flash(translate("Hub {id} is added; add its zones and docks below.", id=hub.id), "ok")
    return redirect(url_for("web_hub_admin.hub", hub_id=hub.id), code=303)


# --- one hub ----------------------------------------------------------------------------------


def _hub_page(
    hub_id: str, *, errors: list[str] | None = None, failed: str = "", form=None, status=200
):
    hub = hub_service.get_hub(db.uow(), hub_id)
    impact = hub_change_impact(db.uow(), hub_id, now=service_now())
    periods = [p.model_dump() for p in hub.opening_hours or []]
    periods += [{"start": "", "end": ""}] * SPARE_PERIODS
    page = render_template(
        "hub_admin_hub.html",
        hub=hub,
        impact=impact,
        periods=periods,
        kinds=list(HubKind),
        temperatures=list(Temperature),
        errors=errors or [],
        failed=failed,
        form=form or {},
    )
    return page, status


@bp.get("/admin/hubs/<hub_id>")
@page_for(ADMIN)
def hub(principal: Principal, hub_id: str):
    return _hub_page(hub_id)


def _change(
    principal: Principal, hub_id: str, changes: dict[str, Any], failed: str, done: str
) -> Any:
    """Validate `changes` as the API's HubPatch, apply them with the API's service, then back to
    the hub's page (with the problems, a 4xx, nothing written, when refused)."""
    try:
        patch = validated(HubPatch, changes)
        hub_service.update_hub(
            db.uow(), hub_id, patch.model_dump(exclude_unset=True), actor=principal.actor
        )
    except HubSchedulerError as exc:
        if exc.status == 404:
            raise
        return _hub_page(
            hub_id, errors=problems(exc), failed=failed, form=request.form, status=exc.status
        )
    flash(done, "ok")
    flash_stranded(hub_id)  # hours cut, a dock removed: the plan in force may no longer fit
    return redirect(url_for("web_hub_admin.hub", hub_id=hub_id) + f"#{failed}", code=303)


def _zones(hub_id: str) -> list[dict[str, Any]]:
    return [z.model_dump(mode="json") for z in hub_service.get_hub(db.uow(), hub_id).zones]


@bp.post("/admin/hubs/<hub_id>")
@page_for(ADMIN)
def update_hub(principal: Principal, hub_id: str):
    """Name, kind, disinfection minutes, site capacity (H8: trucks on site at once), slot
    minutes; an empty capacity or slot is "no limit" / the site's default."""
    form = request.form
    changes: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "kind": form.get("kind", ""),
        "disinfection_minutes": form.get("disinfection_minutes", "").strip() or 0,
        "max_trucks_on_site": form.get("max_trucks_on_site", "").strip() or None,
        "slot_minutes": form.get("slot_minutes", "").strip() or None,
    }
    return _change(principal, hub_id, changes, "settings", translate("The hub is changed."))


@bp.post("/admin/hubs/<hub_id>/hours")
@page_for(ADMIN)
def update_hours(principal: Principal, hub_id: str):
    """Daily opening periods (site's zone; an end at or before the start crosses midnight);
    "always open" clears them."""
    form = request.form
    if form.get("always_open"):
        hours = None
    else:
        pairs = zip(form.getlist("start"), form.getlist("end"), strict=False)
        hours = [{"start": a.strip(), "end": b.strip()} for a, b in pairs if a.strip() or b.strip()]
    changes = {"opening_hours": hours}
    return _change(principal, hub_id, changes, "hours", translate("The opening hours are changed."))


@bp.post("/admin/hubs/<hub_id>/zones")
@page_for(ADMIN)
def add_zone(principal: Principal, hub_id: str):
    form = request.form
    zone: dict[str, Any] = {
        "id": form.get("zone_id", "").strip(),
        "temperature": form.get("temperature", ""),
    }
    zone |= _blank_none(form, "crews", "disinfection_minutes")
    zone["docks"] = [{"id": d} for d in re.split(r"[\s,，、]+", form.get("docks", "")) if d]
    done = translate("Zone {id} is added.", id=zone["id"])
    return _change(principal, hub_id, {"zones": [*_zones(hub_id), zone]}, "zones", done)


@bp.post("/admin/hubs/<hub_id>/zones/<zone_id>")
@page_for(ADMIN)
def update_zone(principal: Principal, hub_id: str, zone_id: str):
    """A zone's crews (H6: docks of the zone working at once; empty: one per dock) and its own
    disinfection minutes (empty: the hub's)."""
    form = request.form
    zones = _zones(hub_id)
    for zone in zones:
        if zone["id"] == zone_id:
            zone["crews"] = form.get("crews", "").strip() or None
            zone["disinfection_minutes"] = form.get("disinfection_minutes", "").strip() or None
    done = translate("Zone {id} is changed.", id=zone_id)
    return _change(principal, hub_id, {"zones": zones}, f"zone-{zone_id}", done)


@bp.post("/admin/hubs/<hub_id>/zones/<zone_id>/delete")
@page_for(ADMIN)
def remove_zone(principal: Principal, hub_id: str, zone_id: str):
    zones = [z for z in _zones(hub_id) if z["id"] != zone_id]
    done = translate("Zone {id} is removed.", id=zone_id)
    return _change(principal, hub_id, {"zones": zones}, "zones", done)


@bp.post("/admin/hubs/<hub_id>/zones/<zone_id>/docks")
@page_for(ADMIN)
def add_dock(principal: Principal, hub_id: str, zone_id: str):
    dock_id = request.form.get("dock_id", "").strip()
    zones = _zones(hub_id)
    for zone in zones:
        if zone["id"] == zone_id:
            zone["docks"].append({"id": dock_id})
    done = translate("Dock {id} is added.", id=dock_id)
    return _change(principal, hub_id, {"zones": zones}, f"zone-{zone_id}", done)


@bp.post("/admin/hubs/<hub_id>/docks/<dock_id>/delete")
@page_for(ADMIN)
def remove_dock(principal: Principal, hub_id: str, dock_id: str):
    zones = _zones(hub_id)
    for zone in zones:
        zone["docks"] = [d for d in zone["docks"] if d["id"] != dock_id]
    done = translate("Dock {id} is removed.", id=dock_id)
    return _change(principal, hub_id, {"zones": zones}, "zones", done)


@bp.post("/admin/hubs/<hub_id>/blocked")
@page_for(ADMIN)
def add_blocked(principal: Principal, hub_id: str):
    """Block the hub, a zone or a dock for a period (times in the site's zone)."""
    form = request.form
    data: dict[str, Any] = {
        "start": _local_moment(form.get("start", "")) if form.get("start") else None,
        "end": _local_moment(form.get("end", "")) if form.get("end") else None,
        "reason": form.get("reason", "").strip(),
    }
    place = form.get("place", "")  # "", "zone:<id>" or "dock:<id>"
    kind, _, place_id = place.partition(":")
    if kind in ("zone", "dock") and place_id:
        data[f"{kind}_id"] = place_id
    try:
        body = validated(BlockedWindowIn, {k: v for k, v in data.items() if v is not None})
        hub_service.add_blocked_window(
            db.uow(), hub_id, BlockedWindow(**body.model_dump()), actor=principal.actor
        )
    except HubSchedulerError as exc:
        if exc.status == 404:
            raise
        return _hub_page(
            hub_id, errors=problems(exc), failed="blocked", form=form, status=exc.status
        )
    flash(translate("The window is blocked."), "ok")
    flash_stranded(hub_id)
    return redirect(url_for("web_hub_admin.hub", hub_id=hub_id) + "#blocked", code=303)


@bp.post("/admin/hubs/<hub_id>/blocked/<window_id>/delete")
@page_for(ADMIN)
def remove_blocked(principal: Principal, hub_id: str, window_id: str):
    hub_service.remove_blocked_window(db.uow(), hub_id, window_id, actor=principal.actor)
    flash(translate("The blocked window is lifted."), "ok")
    return redirect(url_for("web_hub_admin.hub", hub_id=hub_id) + "#blocked", code=303)


# --- the white-list -----------------------------------------------------------------------------


def _enterprises_page(
    *, errors: list[str] | None = None, failed: str = "", form=None, status: int = 200
):
    page = render_template(
        "hub_admin_enterprises.html",
        enterprises=enterprise_service.list_enterprises(db.uow()),
        errors=errors or [],
        failed=failed,
        form=form or {},
    )
    return page, status


def _enterprise_form(form) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "whitelisted": bool(form.get("whitelisted")),
        "tier": form.get("tier", "").strip() or None,
        "valid_from": form.get("valid_from", "").strip() or None,
        "valid_until": form.get("valid_until", "").strip() or None,
    }
    return data


@bp.get("/admin/enterprises")
@page_for(ADMIN)
def enterprises(principal: Principal):
    return _enterprises_page()


@bp.post("/admin/enterprises")
@page_for(ADMIN)
def create_enterprise(principal: Principal):
    form = request.form
    data = {"id": form.get("id", "").strip(), **_enterprise_form(form)}
    data = {k: v for k, v in data.items() if v is not None}
    try:
        enterprise = validated(Enterprise, data)
        enterprise_service.create_enterprise(db.uow(), enterprise, actor=principal.actor)
    except HubSchedulerError as exc:
        return _enterprises_page(errors=problems(exc), failed="new", form=form, status=exc.status)
    flash(translate("Enterprise {id} is added.", id=enterprise.id), "ok")
    return redirect(url_for("web_hub_admin.enterprises"), code=303)


@bp.post("/admin/enterprises/<enterprise_id>")
@page_for(ADMIN)
def update_enterprise(principal: Principal, enterprise_id: str):
    try:
        patch = validated(EnterprisePatch, _enterprise_form(request.form))
        enterprise_service.update_enterprise(
            db.uow(), enterprise_id, patch.model_dump(exclude_unset=True), actor=principal.actor
        )
    except HubSchedulerError as exc:
        if exc.status == 404:
            raise
        return _enterprises_page(
            errors=problems(exc), failed=enterprise_id, form=request.form, status=exc.status
        )
    flash(translate("Enterprise {id} is changed.", id=enterprise_id), "ok")
    return redirect(url_for("web_hub_admin.enterprises") + f"#ent-{enterprise_id}", code=303)


# --- the entry-screening policy -----------------------------------------------------------------


def _screening_page(*, errors: list[str] | None = None, form=None, status: int = 200):
    page = render_template(
        "hub_admin_screening.html",
        policy=site_service.screening_policy(db.uow()),
        errors=errors or [],
        form=form,
    )
    return page, status


@bp.get("/admin/screening")
@page_for(ADMIN)
def screening(principal: Principal):
    return _screening_page()


@bp.post("/admin/screening")
@page_for(ADMIN)
def update_screening(principal: Principal):
    form = request.form
    data = {
        "required": bool(form.get("required")),
        "allow_antigen": bool(form.get("allow_antigen")),
        "max_test_age_hours": form.get("max_test_age_hours", "").strip() or None,
        "max_body_temperature_c": form.get("max_body_temperature_c", "").strip() or None,
    }
    try:
        patch = validated(ScreeningPolicyPatch, {k: v for k, v in data.items() if v is not None})
        site_service.update_screening_policy(
            db.uow(), patch.model_dump(exclude_unset=True), actor=principal.actor
        )
    except HubSchedulerError as exc:
        return _screening_page(errors=problems(exc), form=form, status=exc.status)
    flash(translate("The screening policy is changed; the gate applies it at once."), "ok")
    return redirect(url_for("web_hub_admin.screening"), code=303)
