"""The gate page: a day's arrivals per hub and dock, found by plate; check-in with the driver's
screening, start, complete and no-show, each one tap with the time it happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for

from api.clock import service_now
from api.database import db
from api.web.base import load_anchor, page_blueprint
from api.web.gate_contacts import NOTE_FIELD, contact_reasons, is_contact_refusal
from api.web.gate_refusals import refusal_words
from api.web.gate_screening import declared, missing_said
from api.web.i18n import translate
from api.web.lookups import why, why_limit
from api.web.messages import EN
from api.web.signin import STAFF, page_for
from api.web.zone import day_minute, local_zone
from hub_scheduler import limits, load_keys
from hub_scheduler.domain import HealthCode, Hub, Load, LoadStatus, Screening, TestResult, TestType
from hub_scheduler.errors import Conflict, NotFound, ValidationFailed
from hub_scheduler.services import arrivals as arrival_service
from hub_scheduler.services import gate as gate_service
from hub_scheduler.services import hubs as hub_service
from hub_scheduler.services import loads as load_service
from hub_scheduler.services.gate import CheckIn
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_gate", __name__)
RESULT_KEY = "gate_result"  # the last check-in's outcome, shown once after the redirect
# The one-tap steps: the service call, and the status a load must have for the page to offer it.
STEPS = {
    "start": (gate_service.start_load, LoadStatus.CHECKED_IN),
    "complete": (gate_service.complete_load, LoadStatus.IN_OPERATION),
    "no-show": (gate_service.no_show, LoadStatus.SCHEDULED),
}
# A truck turned away at screening may come back with a fresh test (services/gate_rejection.py).
CHECK_IN_FROM = (LoadStatus.SUBMITTED, LoadStatus.SCHEDULED, LoadStatus.REJECTED)
TEMPERATURE_RANGE = (30.0, 45.0)  # domain.Screening's bounds
# A list this short (a plate search) carries a check-in form per truck; a longer one links each
# truck to its search, so the day's page stays light on a phone.
FORM_ROWS = 5


def now() -> datetime:
    """The gate's clock: the training day's moment when HUB_SCHEDULER_PLAN_NOW is set (as for
    the plan jobs), else the clock's."""
    return service_now()


def today() -> date:
    """The site-local day the gate works on (`now`'s)."""
    return now().astimezone(local_zone()).date()


def _day(text: str | None) -> tuple[date, str | None]:
    """The day asked for (YYYY-MM-DD), today when none; an unreadable one gives today and an
    error message."""
    if not text:
        return today(), None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return today(), translate("The date must be given as YYYY-MM-DD.")


def _local_moment(text: str) -> datetime | None:
    """A datetime-local value read in the site's zone; ValueError when unreadable."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=local_zone())


@bp.get("/gate")
@page_for(*STAFF)
def gate(principal: Principal):
    day, error = _day(request.args.get("date"))
    status = 400 if error else 200
    return _page(day, request.args.get("plate", ""), page_error=error, status=status)


def _page(
    day: date,
    plate: str,
    *,
    page_error: str | None = None,
    form_for: str | None = None,
    form: dict[str, str] | None = None,
    form_errors: dict[str, str] | None = None,
    contact_refusal: list[str] | None = None,
    status: int = 200,
):
    plate = plate.strip()
    moment = now()
    # The loads waiting for a slot are listed where the operator can act on them as of now.
    rows = arrival_service.arrivals(db.uow(), day, plate=plate or None, now=moment)
    hubs = {h.id: h for h in hub_service.list_hubs(db.uow())}
    groups: list[dict[str, Any]] = []
    for row in rows:
        key = (row.slot.hub_id, row.slot.dock_id) if row.slot else (None, None)
        if not groups or groups[-1]["key"] != key:
            hub = hubs.get(key[0]) if key[0] else None
            groups.append({"key": key, "hub": hub, "dock": key[1], "rows": []})
        groups[-1]["rows"].append(row)
    result = _shown(session.pop(RESULT_KEY, None))
    html = render_template(
        "gate.html",
        day=day,
        plate=plate,
        groups=groups,
        count=len(rows),
        result=result,
        steps=STEPS,
        check_in_from=CHECK_IN_FROM,
        form_rows=FORM_ROWS,
        page_error=page_error,
        form_for=form_for,
        form=form or {},
        form_errors=form_errors or {},
        contact_refusal=contact_refusal or [],
        test_types=[t.value for t in TestType],
        test_results=[r.value for r in TestResult],
        health_codes=[c.value for c in HealthCode],
        hub_names={h.id: h.name or h.id for h in hubs.values()},
        check_text=check_text,
        why_limit=why_limit,
        why_no_slot=why_no_slot,
        declared=declared,
        missing_said=missing_said,
        overdue={row.load.id for row in rows if row.overdue(moment)},
        kept_said={row.load.id: kept_dock_said(row, hubs) for row in rows if row.kept_dock},
        now_shown=moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M"),
    )
    return html, status


def why_no_slot(row: arrival_service.Arrival) -> str:
    """Why a truck on the gate's list has no slot, in the page's language: the plan in force's
    reason (its detail's sentence, else its code's words); a withdrawn slot with no such entry
    by the generic words; "" for a truck with a slot, or one no plan has taken up yet."""
    if row.slot is not None or row.kept_dock is not None:  # kept: `kept_dock_said` says it
        return ""
    if row.left_out is not None:
        code = f"reason_{row.left_out.reason_code}"
        return why(row.left_out) or (translate(code) if code in EN else "")
    return translate("withdrawn_other") if row.withdrawn else ""


def kept_dock_said(row: arrival_service.Arrival, hubs: dict[str, Hub]) -> str:
    """A truck on site whose hub was switched off since it checked in (suspended, or stood
    down): its slot was withdrawn, but it may start and finish at the dock it had
    (services/gate_suspended.py), in the page's language."""
    assert row.kept_dock is not None
    hub = hubs.get(row.kept_dock.hub_id)
    return translate(
        "{hub} is {status} now and the truck's slot was withdrawn; the truck is already on site, so it may start or go on at dock {dock} and finish its work there.",  # noqa: E501
        hub=(hub.name or hub.id) if hub is not None else row.kept_dock.hub_id,
        status=translate("status_" + hub.status.value) if hub is not None else "",
        dock=row.kept_dock.dock_id,
    )


def _shown(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored outcome with its ISO times as datetimes again (the templates show them in the
    site's zone)."""
    if not result:
        return None
    shown = dict(result)
    shown["at"] = datetime.fromisoformat(result["at"])
    shown["day"] = shown["at"].astimezone(local_zone()).date()
    if result.get("slot"):
        slot = dict(result["slot"])
        slot["start"] = datetime.fromisoformat(slot["start"])
        slot["end"] = datetime.fromisoformat(slot["end"])
        shown["slot"] = slot
    reason = result.get("reason") or {}
    planned = (reason.get("params") or {}).get("planned_start")
    shown["planned_start"] = datetime.fromisoformat(planned) if planned else None
    deadline = (reason.get("params") or {}).get("deadline")
    shown["deadline"] = datetime.fromisoformat(deadline) if deadline else None
    due = ((result.get("notice") or {}).get("params") or {}).get("due")
    shown["due_passed"] = datetime.fromisoformat(due) if due else None
    return shown


def check_text(code: str, params: dict[str, Any], say: Callable[..., str] | None = None) -> str:
    """A failed entry check (screening.FailedCheck's code and params) as a sentence in the page's
    language, or in `say`'s (a translator: the API's answer, api/slot_reasons.py)."""
    say = say or translate
    values = dict(params)
    if "health_code" in values:
        values["health_code"] = say("code_" + str(values["health_code"]))
    if "test_type" in values:
        values["test_type"] = say("test_" + str(values["test_type"]))
    if "check_" + code not in EN:  # a check newer than the catalogue: its code, untranslated
        return code
    return say("check_" + code, **values)


def _key(principal: Principal, load_id: str) -> str:
    """The key of the load a path names (an id or a key); the path as it is when none is found."""
    try:
        return load_service.get_load(db.uow(), load_id, principal=principal).id
    except (Conflict, NotFound):
        return load_id


def _back(load_id: str):
    """Back to the list the tap came from (its day and search), at the truck's row."""
    day = request.form.get("date") or None
    plate = request.form.get("plate") or None
    anchor = load_anchor(load_id)
    return redirect(url_for("web_gate.gate", date=day, plate=plate) + f"#load-{anchor}", code=303)


def _screening_form(form) -> tuple[dict[str, Any], dict[str, str]]:
    """The check-in form as the service's values, and a translated message per bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"has_pass": form.get("has_pass") == "on"}
    choices = {
        "test_type": {t.value for t in TestType},
        "test_result": {r.value for r in TestResult},
        "health_code": {c.value for c in HealthCode},
    }
    screening: dict[str, Any] = {}
    for name, allowed in choices.items():
        value = form.get(name, "").strip()
        if value and value not in allowed:
            errors[name] = translate("Choose one of the listed values.")
        elif value:
            screening[name] = value
    for name in ("test_time", "at"):
        text = form.get(name, "").strip()
        if not text:
            continue
        try:
            moment = _local_moment(text)
        except ValueError:
            errors[name] = translate("Enter a date and time such as 2026-11-28 08:30.")
            continue
        if name == "at":
            values["at"] = moment
        else:
            screening[name] = moment
    text = form.get("body_temperature_c", "").strip().replace(",", ".")
    if text:
        low, high = TEMPERATURE_RANGE
        try:
            celsius = float(text)
        except ValueError:
            celsius = float("nan")
        if not low <= celsius <= high:  # NaN fails too
            errors["body_temperature_c"] = translate(
                "The body temperature must be a number from {low} to {high} °C.",
                low=f"{low:.0f}",
                high=f"{high:.0f}",
            )
        else:
            screening["body_temperature_c"] = celsius
    if screening:
        values["screening"] = Screening.model_validate(screening)
    return values, errors


def _result(done: CheckIn, at: datetime) -> dict[str, Any]:
    """A check-in's outcome as the session keeps it until the page shows it (plain JSON)."""
    slot = done.slot
    return {
        "load_id": load_keys.local(done.load.id),
        "plate": done.load.vehicle_plate,
        "at": at.isoformat(),
        "passed": not done.checks and not done.failed_checks,
        "checks": [{"code": c.code, "params": c.params} for c in done.checks],
        "slot": {
            "hub_id": slot.hub_id,
            "dock_id": slot.dock_id,
            "start": slot.start.isoformat(),
            "end": slot.end.isoformat(),
        }
        if slot
        else None,
        "wait_minutes": round(done.wait_minutes) if done.wait_minutes is not None else None,
        "reason": done.reason,
        "reasons": done.reasons,
        "notice": done.notice,
    }


def _refused(principal: Principal, load_id: str, exc: Conflict | NotFound, action: str):
    """A step the services refused (409: its code's words, api/web/gate_refusals.py; else the
    load's status) or an unknown load (404), said on the gate page; nothing was written."""
    message = refusal_words(exc, load_id)
    if message is None:
        load = load_service.get_load(db.uow(), load_id, principal=principal)
        message = translate(
            "Load {id} is {status} now; it cannot be {action}.",
            id=load_keys.local(load_id),
            status=translate("load_" + load.status.value),
            action=translate("action_" + action),
        )
    status = 404 if isinstance(exc, NotFound) else 409
    day, _ = _day(request.form.get("date"))
    return _page(day, request.form.get("plate", ""), page_error=message, status=status)


def _not_saved(principal: Principal, load_id: str, errors: dict[str, str]):
    """The check-in form again, open at the truck, with a message at each bad field: 422."""
    day, _ = _day(request.form.get("date"))
    return _page(
        day,
        request.form.get("plate", ""),
        page_error=translate("The check-in was not saved. Please correct the marked fields."),
        form_for=_key(principal, load_id),
        form=request.form.to_dict(),
        form_errors=errors,
        status=422,
    )


def _contact_refused(principal: Principal, load_id: str, exc: Conflict):
    """A contact of an open incident (409): the check-in form again, open at the truck, with
    the reasons and a field for the override note; nothing was written."""
    day, _ = _day(request.form.get("date"))
    hubs = {h.id: h.name or h.id for h in hub_service.list_hubs(db.uow())}
    errors = {}
    if NOTE_FIELD in request.form:  # sent blank: said at the field too
        errors[NOTE_FIELD] = translate("Write why the truck may enter.")
    return _page(
        day,
        request.form.get("plate", ""),
        page_error=" ".join(contact_reasons(exc, load_id, hubs)),
        form_for=_key(principal, load_id),
        form=request.form.to_dict(),
        form_errors=errors,
        contact_refusal=contact_reasons(exc, load_id, hubs),
        status=409,
    )


def _service_errors(exc: ValidationFailed) -> dict[str, str]:
    """The service's refusal (an arrival in the future) as a message at the form's field."""
    errors: dict[str, str] = {}
    for error in exc.errors:
        if error.code == "arrival_in_future" and error.params:
            errors["at"] = translate(
                "The arrival ({at}) is later than now ({now}): it cannot be in the future.",
                at=day_minute(error.params["at"]),
                now=day_minute(error.params["now"]),
            )
        else:
            errors[error.field or "at"] = error.message
    return errors


@bp.post("/gate/loads/<path:load_id>/check-in")  # an id, or a key (`E01/L-1`, load_keys)
@page_for(*STAFF)
def check_in(principal: Principal, load_id: str):
    values, errors = _screening_form(request.form)
    if errors:
        return _not_saved(principal, load_id, errors)
    clock = now()  # the service's clock: a training day's gate is that day's
    at = values.pop("at", None) or clock
    note = request.form.get(NOTE_FIELD, "").strip() or None  # only sent after a refusal
    if note is not None and len(note) > limits.TEXT_MAX_LENGTH:  # as the API's `Text`
        too_long = translate("At most {n} characters.", n=limits.TEXT_MAX_LENGTH)
        return _not_saved(principal, load_id, {NOTE_FIELD: too_long})
    try:
        done = gate_service.check_in(
            db.uow(), load_id, principal=principal, at=at, clock=clock, override_note=note, **values
        )
    except Conflict as exc:
        if is_contact_refusal(exc):
            return _contact_refused(principal, load_id, exc)
        return _refused(principal, load_id, exc, "check_in")
    except NotFound as exc:
        return _refused(principal, load_id, exc, "check_in")
    except ValidationFailed as exc:
        return _not_saved(principal, load_id, _service_errors(exc))
    session[RESULT_KEY] = _result(done, at)
    return _back(done.load.id)


@bp.post("/gate/loads/<path:load_id>/<step>")
@page_for(*STAFF)
def gate_step(principal: Principal, load_id: str, step: str):
    """Start, complete or no-show, now (the time is stored as the gate saw it)."""
    if step not in STEPS:
        raise NotFound(f"no gate step {step}")
    service, _ = STEPS[step]
    clock = now()
    try:
        # No `at`: the service takes its clock, never before the step this one follows (a
        # training day's clock fixed before an arrival typed later, services/gate_times.py).
        load = service(db.uow(), load_id, principal=principal, at=None, clock=clock)
    except (Conflict, NotFound) as exc:
        return _refused(principal, load_id, exc, step.replace("-", "_"))
    load_id = load.id  # the key: the anchor of the row
    flash(
        translate(
            "Load {id} ({plate}): {what} at {time}.",
            id=load_keys.local(load.id),
            plate=load.vehicle_plate or "—",
            what=translate("done_" + step.replace("-", "_")),
            time=(_recorded(load, step) or clock).astimezone(local_zone()).strftime("%H:%M"),
        ),
        "ok",
    )
    return _back(load_id)


def _recorded(load: Load, step: str) -> datetime | None:
    """The gate time a one-tap step stored (start, complete), as the flash says it."""
    return {"start": load.started_at, "complete": load.completed_at}.get(step)
