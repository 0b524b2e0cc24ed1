"""An enterprise changes a load's ETA on its loads page (`POST /loads/<id>/eta`): the same checks
and service as the API's `PATCH /api/v1/loads/{id}` (`LoadPatch`, then `services.loads.update_load`,
which refuses a load past `scheduled` and repairs a slot the new time made impossible). The answer
is a banner on the loads page in the page's language: the new slot, or the repair's `slot_changed`
and why no earlier slot was possible; a refusal is said there too and nothing is written. Another
enterprise's load is a 404 page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import flash, redirect, request, url_for
from pydantic import ValidationError

from api import load_ids
from api.database import db
from api.loads import typed_errors
from api.problem_words import chinese
from api.schemas.loads import LoadPatch
from api.web.base import page_blueprint
from api.web.i18n import current_language, translate
from api.web.load_fields import field_label
from api.web.loads import local_moment, said
from api.web.lookups import slots_in_force, why_limit
from api.web.signin import page_for
from api.web.zone import local_zone
from hub_scheduler import load_keys
from hub_scheduler.domain import Load
from hub_scheduler.errors import Conflict, FieldError, ValidationFailed
from hub_scheduler.records import Role
from hub_scheduler.services import loads as load_service
from hub_scheduler.services.principal import Principal
from hub_scheduler.sheets import COLUMNS

bp = page_blueprint("web_load_eta", __name__)


def _clock(moment: Any) -> str:
    """An ISO time or datetime as the site's `MM-DD HH:MM`."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(local_zone()).strftime("%m-%d %H:%M")


def _changes() -> dict[str, Any]:
    """The form's new arrival (`release`, required) and latest arrival (`due`, optional) checked
    by the API's `LoadPatch`; ValidationFailed names the field, nothing is written."""
    data = {"release": local_moment(request.form.get("release", ""))}
    due = local_moment(request.form.get("due", ""))
    if due is not None:
        data["due"] = due
    if data["release"] is None:
        missing = FieldError(field="release", message=translate("Give the new arrival time."))
        raise ValidationFailed("the load is not valid", [missing])
    try:
        return LoadPatch.model_validate(data).model_dump(exclude_unset=True)
    except ValidationError as exc:
        raise ValidationFailed("the load is not valid", typed_errors(exc)) from None


def _told(load: Load, principal: Principal, day: date) -> None:
    """The banner after a change: the repaired slot and why it is not earlier, else the slot in
    force, else that the next plan gives one."""
    shown = load_keys.local(load.id)
    flash(translate("Load {id}: the arrival is now {time}.", id=shown, time=_clock(load.release)))
    changed = load.slot_changed or {}
    if changed.get("code") == "ETA_CHANGED":
        start = (changed.get("params") or {}).get("new_start")
        if start:
            words = [why_limit(limit, day) for limit in changed.get("reasons") or []]
            text = translate("Its slot moved to {start}.", start=_clock(start))
            if words:
                text += " " + translate("No earlier slot, because:") + " " + " ".join(words)
            flash(text, "ok")
        else:
            flash(translate("Its slot no longer fits; it gets one with the next plan."), "error")
        return
    slot = slots_in_force(principal, [day])[0].get(load.id)
    if slot is not None:
        span = f"{_clock(slot.start)}–{slot.end.astimezone(local_zone()).strftime('%H:%M')}"
        flash(translate("Its slot stays {span}.", span=span), "ok")
    else:
        flash(translate("It gets a slot with the next published plan."), "ok")


@bp.post("/loads/<load_id>/eta")
@page_for(Role.ENTERPRISE, Role.ADMIN)
def change_eta(principal: Principal, load_id: str):
    """Change a load's arrival; 404 page for a load not of this enterprise (as the API)."""
    enterprise_id = request.args.get("enterprise_id")  # ids are per enterprise (load_keys)
    if enterprise_id and load_keys.SEPARATOR not in enterprise_id:
        key = load_keys.qualify(enterprise_id, load_id)
    else:
        key = load_id
    load = load_service.get_load(db.uow(), key, principal=principal)  # NotFound: a 404 page
    day = load.release.astimezone(local_zone()).date()
    back = url_for("web_loads.loads", date=day.isoformat()) + "#my-loads"
    try:
        changes = _changes()
        load = load_service.update_load(db.uow(), load.id, changes, principal=principal)
    except ValidationFailed as exc:
        flash(translate("The arrival of load {id} was not changed.", id=load_id), "error")
        for error in said(exc.errors or [FieldError(exc.detail)]):
            name = (error.field or "").split(".")[0]
            named = field_label(name) + translate("colon") if name in COLUMNS else ""
            flash(named + error.message, "error")
        return redirect(back, code=303)
    except Conflict as exc:
        detail = load_ids.text(exc.detail)
        flash(chinese(detail) if current_language() == "zh-CN" else detail, "error")
        return redirect(back, code=303)
    day = load.release.astimezone(local_zone()).date()
    _told(load, principal, day)
    return redirect(url_for("web_loads.loads", date=day.isoformat()) + "#my-loads", code=303)
