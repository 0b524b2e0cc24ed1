"""An enterprise's loads: submit one, import a sheet (dry run, then confirm), list with slots."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for

from api import load_ids
from api.cancel_guard import may_cancel, refuse_late_cancel
from api.clock import service_now
from api.database import db
from api.loads import submission_errors
from api.problem_words import chinese
from api.web.base import page_blueprint
from api.web.i18n import current_language, query_field, translate
from api.web.inbox import check_words
from api.web.load_fields import field_label, sheet_headers
from api.web.lookups import (
    days_of,
    enterprises_by_id,
    plan_in_force,
    slots_in_force,
    today,
    why_limit,
)
from api.web.signin import EVERYONE, page_for
from api.web.zone import local_zone
from hub_scheduler import limits, load_keys
from hub_scheduler.domain import (
    CargoCategory,
    HealthCode,
    Temperature,
    TestResult,
    TestType,
)
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.records import ProposalStatus, Role
from hub_scheduler.services import gate as gate_service
from hub_scheduler.services import load_submission, sheet_import
from hub_scheduler.services import loads as load_service
from hub_scheduler.services import transfer_proposals as proposal_service
from hub_scheduler.services.principal import Principal
from hub_scheduler.sheets import COLUMNS
from hub_scheduler.sheets.template import (
    TEMPLATE_CSV_NAME,
    TEMPLATE_NAME,
    XLSX_MEDIA_TYPE,
    template_csv,
    template_xlsx,
)

bp = page_blueprint("web_loads", __name__)
SHEET_TYPES = (".csv", ".xlsx", ".xls", ".ods")
PAGE_SIZE = 200  # loads shown at once: a page of an enterprise's whole history stays small


def _choices() -> dict:
    return {
        "categories": [c.value for c in CargoCategory],
        "temperatures": [t.value for t in Temperature],
        "test_types": [t.value for t in TestType],
        "test_results": [t.value for t in TestResult],
        "health_codes": [h.value for h in HealthCode],
    }


def _offset() -> int:
    """`?offset=` on the loads page, a multiple of PAGE_SIZE within limits.OFFSET_MAX; else 0."""
    text = request.args.get("offset", "")
    if not (text.isascii() and text.isdigit() and len(text) <= 7):
        return 0
    value = int(text)
    return value - value % PAGE_SIZE if value <= limits.OFFSET_MAX else 0


def _day() -> date | None:
    """`?date=` on the loads page (a site-local YYYY-MM-DD): the loads arriving that day and the
    plan in force that day; None: every day, the newest published plan. ValidationFailed (422)
    names the field on a bad value."""
    text = request.args.get("date", "")
    if not text:
        return None
    try:
        return limits.check_day(date.fromisoformat(text))
    except ValueError:
        raise ValidationFailed(
            translate("view_err_bad_date", field=query_field("date")),
            [FieldError(field="date", message="must be a date as YYYY-MM-DD", code="bad_date")],
        ) from None


def _page(principal: Principal, *, form=None, form_errors=None, sheet=None):
    """The loads page: the form, the sheet upload (with its check) and the visible loads.

    A form shown again with its errors is a normal page (200): the errors are its content.
    """
    offset = _offset()
    day = _day()
    loads, total = load_service.list_loads(
        db.uow(), principal=principal, day=day, limit=PAGE_SIZE, offset=offset
    )
    plan = plan_in_force(day) if day is not None else None
    slots, reasons = slots_in_force(principal, [day] if day is not None else days_of(loads))
    enterprises = enterprises_by_id()
    own = enterprises.get(principal.enterprise_id) if principal.enterprise_id else None
    proposals = []
    if principal.is_enterprise:  # relays other enterprises propose, awaiting this one's answer
        proposals = [
            p
            for p in proposal_service.visible_proposals(db.uow(), principal, ProposalStatus.PENDING)
            if p.partner_enterprise_id == principal.enterprise_id
        ]
    errors_by_field: dict[str, list[str]] = {}
    for error in form_errors or []:
        errors_by_field.setdefault((error.field or "").split(".")[0] or "_", []).append(
            error.message
        )
    return render_template(
        "loads.html",
        loads=loads,
        total=total,
        offset=offset,
        page_size=PAGE_SIZE,
        slots=slots,
        reasons=reasons,
        screening={
            ld.id: check_words(ld.screening_failures) for ld in loads if ld.screening_failures
        },
        plan=plan,
        enterprises=enterprises,
        field=field_label,
        sheet_columns=COLUMNS,
        own=own,
        form=form or {},
        form_errors=errors_by_field,
        all_errors=form_errors or [],
        sheet=sheet,
        can_submit=principal.role in (Role.ENTERPRISE, Role.ADMIN),
        may_cancel=may_cancel,
        proposals=proposals,
        why_limit=why_limit,
        day=day,
        day_before=(day or today()) - timedelta(days=1),
        day_after=(day or today()) + timedelta(days=1),
        **_choices(),
    )


@bp.get("/loads")
@page_for(*EVERYONE)
def loads(principal: Principal):
    return _page(principal)


@bp.get("/loads/template.xlsx")
@page_for(*EVERYONE)
def sheet_template_xlsx(principal: Principal):
    """The template with drop-down lists in the page's language (the same file as the API's)."""
    return Response(
        template_xlsx(current_language(), principal.own_enterprise),  # its column optional
        mimetype=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )


def said(errors: list[FieldError]) -> list[FieldError]:
    """Problems in the page's language: a coded one is translated from its code and params, one
    without a code ("is required") from its text, as the API's problems are (api/problem_words)."""
    zh = current_language() == "zh-CN"
    out = []
    for e in errors:
        # load keys (`E01/L-1`) shown as the ids their enterprise wrote (api/load_ids.py)
        e = FieldError(**{**e.__dict__, "message": load_ids.text(e.message)})
        if e.code:
            key = f"sheet_{e.code}"
            try:
                text = translate(key, **load_ids.shown(e.params or {}))
            except (KeyError, IndexError):
                text = e.message
            if text == key:  # a code without a text here: the checker's English, said as such
                text = translate("sheet_invalid", reason=chinese(e.message) if zh else e.message)
            e = FieldError(**{**e.__dict__, "message": text})
        elif zh:
            e = FieldError(**{**e.__dict__, "message": chinese(e.message)})
        out.append(e)
    return out


def _refused(exc: ValidationFailed, filename: str) -> dict:
    errors = said(exc.errors or [FieldError(exc.detail)])
    total = getattr(exc, "total", len(errors))
    return {
        "errors": errors,
        "total": total,
        "filename": filename,
        "detail": exc.detail,
        "headers": sheet_headers(),
    }


@bp.get("/loads/template.csv")
@page_for(*EVERYONE)
def sheet_template(principal: Principal):
    """An empty sheet with the columns the import reads, in their order, headed in Chinese as
    the Excel template is (`sheets.template.template_csv`); an enterprise's without the `*`."""
    return Response(
        template_csv(principal.own_enterprise),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_CSV_NAME}"'},
    )


def local_moment(text: str) -> str | None:
    """A datetime-local value (no offset) read in the service's time zone, as ISO-8601."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        return text  # let the service name the field and say what is wrong
    if naive.tzinfo is not None:
        return naive.isoformat()
    return naive.replace(tzinfo=local_zone()).isoformat()


def _submitted(form) -> dict:
    """The form as the load service's plain fields; empty inputs are left out."""
    data: dict = {
        "id": form.get("id", "").strip() or None,
        "enterprise_id": form.get("enterprise_id", "").strip() or None,
        "category": form.get("category") or None,
        "temperature": form.get("temperature") or None,
        "handling_minutes": form.get("handling_minutes", "").strip() or None,
        "release": local_moment(form.get("release", "")),
        "due": local_moment(form.get("due", "")),
        "deadline": local_moment(form.get("deadline", "")),
        "vehicle_plate": form.get("vehicle_plate", "").strip() or None,
        "driver_phone": form.get("driver_phone", "").strip() or None,
        "has_pass": form.get("has_pass") == "on",
        # a relay (H7): the partner's id; checked by services/transfers.py like the API's
        "transfer_to": form.get("transfer_to", "").strip() or None,
        "transfer_from": form.get("transfer_from", "").strip() or None,
        "transfer_min_gap_minutes": form.get("transfer_min_gap_minutes", "").strip() or None,
        # an admin's relay partner of another enterprise (ids are unique per enterprise)
        "transfer_enterprise_id": form.get("transfer_enterprise_id", "").strip() or None,
    }
    screening = {
        "test_type": form.get("test_type") or None,
        "test_result": form.get("test_result") or None,
        "test_time": local_moment(form.get("test_time", "")),
        "health_code": form.get("health_code") or None,
        "body_temperature_c": form.get("body_temperature_c", "").strip() or None,
    }
    if any(v is not None for v in screening.values()):
        data["screening"] = {k: v for k, v in screening.items() if v is not None}
    return data


@bp.post("/loads")
@page_for(Role.ENTERPRISE, Role.ADMIN)
def submit_load(principal: Principal):
    try:
        load, _ = load_submission.submit_load(
            db.uow(), _submitted(request.form), principal=principal
        )
    except ValidationFailed as exc:
        return _page(
            principal, form=request.form, form_errors=said(exc.errors or [FieldError(exc.detail)])
        )
    _flash_submitted(load)
    return redirect(url_for("web_loads.loads") + "#my-loads", code=303)


def _flash_submitted(load) -> None:
    """The banner after a submission, telling the truth about the stored load: a driver failing
    the entry screening gets no slot until it is completed (the planner leaves him out, H11), and
    an arrival already past is named. The load is stored either way."""
    shown = load_keys.local(load.id)
    if load.screening_failures:
        flash(
            translate(
                "Load {id} is submitted, but it gets no slot until its screening is completed: {checks}.",  # noqa: E501
                id=shown,
                checks=check_words(load.screening_failures),
            ),
            "error",
        )
    else:
        flash(
            translate(
                "Load {id} is submitted; it gets a slot with the next published plan.", id=shown
            ),
            "ok",
        )
    if load.release < service_now():
        flash(
            translate(
                "The arrival time {time} has already passed.",
                time=load.release.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M"),
            ),
            "error",
        )


def _uploaded() -> tuple[bytes, str] | None:
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        return None
    return upload.read(), upload.filename


def _import(principal: Principal, data: bytes, filename: str, *, dry_run: bool, key=None):
    """A sheet through the API's import, each row checked as `POST /loads` checks a load: step 1
    checks it (`dry_run`), step 2 stores it all or nothing."""
    return sheet_import.import_sheet(
        db.uow(),
        data,
        filename,
        principal=principal,
        dry_run=dry_run,
        idempotency_key=key,
        row_check=submission_errors,
    )


@bp.post("/loads/import")
@page_for(Role.ENTERPRISE, Role.ADMIN)
def import_sheet(principal: Principal):
    """Step 1, the dry run: every bad row and column is shown, nothing is stored."""
    uploaded = _uploaded()
    sheet: dict[str, Any]
    if uploaded is None:
        sheet = {
            "errors": [FieldError(translate("Choose a CSV, XLSX, XLS or ODS file first."))],
            "filename": "",
        }
        return _page(principal, sheet=sheet)
    data, filename = uploaded
    if not filename.lower().endswith(SHEET_TYPES):
        sheet = {
            "errors": [
                FieldError(translate("Only .csv, .xlsx, .xls and .ods sheets can be read."))
            ],
            "filename": filename,
        }
        return _page(principal, sheet=sheet)
    try:
        checked = _import(principal, data, filename, dry_run=True)
    except ValidationFailed as exc:
        return _page(principal, sheet=_refused(exc, filename))
    sheet = {
        "errors": [],
        "warnings": said(checked.warnings),
        "unknown_columns": checked.unknown_columns,
        "filename": filename,
        "loads": checked.loads,
        "generated": len(checked.generated_ids),
        "payload": base64.b64encode(data).decode("ascii"),
        # one key per checked sheet: a double click on "submit" stores the rows once
        "key": f"web-{uuid.uuid4().hex}",
    }
    return _page(principal, sheet=sheet)


@bp.post("/loads/import/confirm")
@page_for(Role.ENTERPRISE, Role.ADMIN)
def confirm_import(principal: Principal):
    """Step 2: store the sheet the user saw checked (checked again: all or nothing)."""
    filename = request.form.get("filename", "")
    try:
        data = base64.b64decode(request.form.get("payload", ""), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not data or not filename.lower().endswith(SHEET_TYPES):
        flash(translate("The checked sheet was lost; upload it again."), "error")
        return redirect(url_for("web_loads.loads"), code=303)
    key = request.form.get("key", "").strip()[:100] or None
    try:
        stored = _import(principal, data, filename, dry_run=False, key=key)
    except ValidationFailed as exc:
        return _page(principal, sheet=_refused(exc, filename))
    except Conflict as exc:
        flash(load_ids.text(exc.detail), "error")
        return redirect(url_for("web_loads.loads"), code=303)
    n = len(stored.loads)
    flash(translate("{n} loads from {file} are submitted.", n=n, file=filename), "ok")
    return redirect(url_for("web_loads.loads") + "#my-loads", code=303)


@bp.post("/loads/proposals/<int:proposal_id>/<any(confirm, decline):answer>")
@page_for(Role.ENTERPRISE)
def answer_proposal(principal: Principal, proposal_id: int, answer: str):
    """Confirm or decline a relay another enterprise proposed (services.transfer_proposals)."""
    confirm = answer == "confirm"
    try:
        decided = proposal_service.decide_proposal(
            db.uow(), proposal_id, confirm=confirm, principal=principal
        )
    except ValidationFailed as exc:
        for error in said(exc.errors or [FieldError(exc.detail)]):
            flash(error.message, "error")
    except Conflict:
        flash(translate("This relay proposal was already answered."), "error")
    except NotFound:
        flash(translate("No such relay proposal awaits your answer."), "error")
    else:
        message = (
            "Relay {inbound} → {outbound} confirmed."
            if confirm
            else "Relay {inbound} → {outbound} declined."
        )
        flash(
            translate(
                message,
                inbound=load_keys.local(decided.inbound),
                outbound=load_keys.local(decided.outbound),
            ),
            "ok",
        )
    return redirect(url_for("web_loads.loads") + "#proposals", code=303)


@bp.post("/loads/<load_id>/cancel")
@page_for(Role.ENTERPRISE, Role.ADMIN)
def cancel_load(principal: Principal, load_id: str):
    """Cancel a truck visit; the record stays, with its status (an enterprise only its own)."""
    enterprise_id = request.args.get("enterprise_id")  # ids are per enterprise (load_keys)
    if enterprise_id and load_keys.SEPARATOR not in enterprise_id:
        key = load_keys.qualify(enterprise_id, load_id)
    else:
        key = load_id
    try:
        refuse_late_cancel(key, principal)
        gate_service.cancel_load(db.uow(), key, principal=principal)
    except Conflict as exc:  # said in the page's language, as the API's problems are
        detail = load_ids.text(exc.detail)
        flash(chinese(detail) if current_language() == "zh-CN" else detail, "error")
    else:
        flash(translate("Load {id} is cancelled.", id=load_id), "ok")
    return redirect(url_for("web_loads.loads") + "#my-loads", code=303)
