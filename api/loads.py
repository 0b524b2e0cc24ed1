"""Loads: one, a batch, a sheet; filters; change, cancel; check-in, start, complete, no-show."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from flask import Blueprint, Response, request, url_for
from pydantic import Field, ValidationError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from api.auth import ALL_ROLES, STAFF, SUBMITTERS, current_principal
from api.cancel_guard import refuse_late_cancel
from api.clock import service_now
from api.database import db
from api.load_warnings import all_with_warnings, with_warnings
from api.openapi import operation
from api.respond import respond, respond_items
from api.schemas.gate import CheckInIn, CheckInOut, EventIn
from api.schemas.loads import (
    ImportQuery,
    ImportResult,
    LoadCreated,
    LoadIn,
    LoadOut,
    LoadPage,
    LoadPatch,
    LoadQuery,
    LoadRef,
    TemplateQuery,
)
from api.slot_reasons import said_checks, said_reasons, with_said_slot_changed
from hub_scheduler import limits, load_keys
from hub_scheduler.errors import FieldError
from hub_scheduler.scenario_file import pydantic_errors
from hub_scheduler.services import gate, load_submission, sheet_import
from hub_scheduler.services import loads as service
from hub_scheduler.sheets.template import TEMPLATE_NAME, XLSX_MEDIA_TYPE, template_xlsx

bp = Blueprint("loads", __name__, url_prefix="/api/v1/loads")
_KEY_MAX = 200

_SHEET_FORM = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "a .csv, .xlsx, .xls, .ods or .json sheet, one load per row; "
            "headers and values in Chinese or English (docs/sheets.md)",
        }
    },
    "required": ["file"],
}


def at_the_gate(summary: str, *, body: Any, response: Any):
    """`operation` for a step at the gate: what they all share said once (who may, the load's
    `?enterprise_id=`, an optional body, 404 and 409)."""
    return operation(
        summary,
        roles=STAFF,
        query=LoadRef,
        body=body,
        body_optional=True,
        response=response,
        errors=(404, 409),
    )


def _named(load_id: str, ref: LoadRef) -> str:
    """The load a path names: its key when `?enterprise_id=` is given, else the id, which the
    service resolves (an enterprise's own; for admins and operators the one enterprise holding
    it, 409 when several do: `services.load_lookup.load_key`)."""
    return load_keys.qualify(ref.enterprise_id, load_id) if ref.enterprise_id else load_id


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and (not 0 < len(key.strip()) <= _KEY_MAX or "\x00" in key):
        raise BadRequest(f"the Idempotency-Key header must be 1 to {_KEY_MAX} characters")
    return key.strip() if key else None


@bp.post("")
@operation(
    "Submit one load; an Idempotency-Key header makes retries safe",
    roles=SUBMITTERS,
    body=LoadIn,
    response=LoadCreated,
    status=201,
    description="201 when created; 200 with the same load (as it is now, also after a PATCH) "
    "when the same key came with the same body before; the same key with another body is a 409.",
)
def submit(body: LoadIn):
    load, created = load_submission.submit_load(
        db.uow(),
        body.model_dump(exclude_unset=True),
        principal=current_principal(),
        idempotency_key=_idempotency_key(),
    )
    return respond(
        with_warnings(load),
        201 if created else 200,
        {"Location": url_for("loads.get_load", load_id=load_keys.local(load.id))},
    )


@bp.post("/batch")
@operation(
    "Submit a JSON array of loads, all or nothing; an Idempotency-Key header makes retries safe",
    roles=SUBMITTERS,
    body=Annotated[list[LoadIn], Field(max_length=limits.BATCH_MAX_ITEMS)],
    response=list[LoadCreated],
    status=201,
    errors=(409, 422),
    description="201 when created; 200 with the same loads (as they are now) when the same key "
    "came with the same body before; the same key with another body is a 409.",
)
def submit_batch(body: list[LoadIn]):
    items = [item.model_dump(exclude_unset=True) for item in body]
    loads, created = load_submission.submit_batch(
        db.uow(), items, principal=current_principal(), idempotency_key=_idempotency_key()
    )
    return respond(all_with_warnings(loads), 201 if created else 200)


def submission_errors(data: dict) -> list[FieldError]:
    """What `POST /loads` would refuse in one sheet row: the same request schema, same limits.
    Each problem keeps pydantic's error type as its code and the type's context as params
    (`string_too_long`, {"max_length": "64"}), so that the sheet's problems are said in the
    page's language; a validator's own message (`value_error`) has no code."""
    try:
        LoadIn.model_validate(data)
    except ValidationError as exc:
        return typed_errors(exc)
    return []


def typed_errors(exc: ValidationError) -> list[FieldError]:
    """A request schema's refusal as FieldErrors coded as `submission_errors` codes them (the
    web page's ETA form checks `LoadPatch` with it)."""
    return [
        _typed(error, raw) for error, raw in zip(pydantic_errors(exc), exc.errors(), strict=True)
    ]


def _typed(error: FieldError, raw: Any) -> FieldError:
    if error.code or raw["type"] == "value_error":
        return error
    params = {k: str(v) for k, v in (raw.get("ctx") or {}).items()}
    return replace(error, code=raw["type"], params=params or None)


@bp.post("/import")
@operation(
    "Import a sheet (multipart field `file`: .csv, .xlsx, .xls, .ods, .json), all or nothing; "
    "?dry_run=true only validates; an Idempotency-Key header makes retries safe",
    roles=SUBMITTERS,
    query=ImportQuery,
    body=_SHEET_FORM,
    body_media="multipart/form-data",
    response=ImportResult,
    status=201,
    errors=(400, 409, 413, 415, 422),
    description="Rows are checked exactly as `POST /loads` checks a load; errors name the cell "
    "(`C5`), row and column, at most 200 with the total. A row without an id gets one "
    "(`generated_ids`). The same key with the same file answers the first result again (200, "
    "`replayed`), with another file 409. Over 20,000 rows or a workbook unpacking past 64 MB: 413.",
)
def import_sheet(query: ImportQuery):
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("send the sheet as multipart/form-data with a `file` field")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("the multipart body has no `file` field")
    data = upload.read()
    upload.close()  # a large upload is a temporary file: closed now, not when collected
    done = sheet_import.import_sheet(
        db.uow(),
        data,
        upload.filename,
        principal=current_principal(),
        dry_run=query.dry_run,
        idempotency_key=_idempotency_key(),
        row_check=submission_errors,
    )
    result = ImportResult(
        dry_run=query.dry_run,
        count=len(done.loads),
        load_ids=[ld.id for ld in done.loads],
        generated_ids={str(row): load_id for row, load_id in done.generated_ids.items()},
        warnings=[w.as_dict() for w in done.warnings],
        unknown_columns=done.unknown_columns,
        replayed=done.replayed,
        screening_failures={
            ld.id: [str(f) for f in ld.screening_failures]
            for ld in done.loads
            if ld.screening_failures
        },
    )
    return respond(result, 200 if query.dry_run or done.replayed else 201)


@bp.get("/template.xlsx")
@operation(
    "The import template: Chinese headers (`lang=en`: English), drop-down lists, an example "
    "row, date cells, and a notes sheet saying what each column takes",
    roles=ALL_ROLES,
    query=TemplateQuery,
    response={"type": "string", "format": "binary"},
    response_media=XLSX_MEDIA_TYPE,
)
def template(query: TemplateQuery):
    """An enterprise's template is its own: the enterprise column is optional there."""
    return Response(
        template_xlsx(query.lang, current_principal().own_enterprise),
        mimetype=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )


@bp.get("")
@operation(
    "List loads (enterprise: its own) with filters and pagination",
    roles=ALL_ROLES,
    query=LoadQuery,
    response=LoadPage,
)
def list_loads(query: LoadQuery):
    items, total = service.list_loads(
        db.uow(),
        principal=current_principal(),
        status=query.status,
        hub_id=query.hub_id,
        enterprise_id=query.enterprise_id,
        vehicle_plate=query.vehicle_plate,
        day=query.date,
        limit=query.limit,
        offset=query.offset,
    )
    return respond_items([with_said_slot_changed(load) for load in items], total, query)


@bp.get("/<load_id>")
@operation(
    "One load (enterprise: only its own; another's is a 404)",
    roles=ALL_ROLES,
    query=LoadRef,
    response=LoadOut,
    errors=(404, 409),
    description="Ids are unique per enterprise: admins and operators add `?enterprise_id=` when "
    "several enterprises hold the id (409 naming them otherwise).",
)
def get_load(load_id: str, query: LoadRef):
    load = service.get_load(db.uow(), _named(load_id, query), principal=current_principal())
    return respond(with_said_slot_changed(load))


@bp.patch("/<load_id>")
@operation(
    "Change a load before its truck arrives",
    roles=SUBMITTERS,
    query=LoadRef,
    body=LoadPatch,
    response=LoadOut,
    errors=(404, 409),
)
def patch_load(load_id: str, query: LoadRef, body: LoadPatch):
    changes = body.model_dump(exclude_unset=True)
    load = service.update_load(
        db.uow(), _named(load_id, query), changes, principal=current_principal()
    )
    return respond(with_said_slot_changed(load))


@bp.delete("/<load_id>")
@operation(
    "Cancel a load (the record is kept); 409 once its truck is checked in or its slot has begun",
    roles=SUBMITTERS,
    query=LoadRef,
    response=LoadOut,
    errors=(404, 409),
)
def cancel(load_id: str, query: LoadRef):
    """409 once the truck is checked in (or later) or its slot has begun (api/cancel_guard)."""
    refuse_late_cancel(_named(load_id, query), current_principal())
    return respond(
        gate.cancel_load(db.uow(), _named(load_id, query), principal=current_principal())
    )


@bp.post("/<load_id>/check-in")
@at_the_gate(
    "The truck is at the gate: screening is checked again; passing pins its slot; a truck after "
    "its slot gets the earliest feasible slot from now (`slot`, `reason`) and is told why no "
    "earlier slot was possible (`reasons`); a truck with no slot in force gets a gap from now in "
    "the published plan covering now (`WALK_IN`, no other truck moves); an `at` later than "
    "now is refused (422, `arrival_in_future`); an enterprise not on the white-list on the "
    "arrival day is refused (409, `gate_not_whitelisted`, no override); a contact of an open "
    "incident is refused (409, `gate_incident_contact`) unless `override_note` says why it is "
    "let in",
    body=CheckInIn,
    response=CheckInOut,
)
def check_in(load_id: str, query: LoadRef, body: CheckInIn):
    done = gate.check_in(
        db.uow(),
        _named(load_id, query),
        principal=current_principal(),
        at=body.at,
        screening=body.screening,
        has_pass=body.has_pass,
        clock=service_now(),
        override_note=body.override_note,
    )
    return respond(
        {
            "load": done.load,
            "passed": not done.failed_checks,
            "failed_checks": done.failed_checks,
            "checks": said_checks(done.checks),
            "slot": done.slot,
            # A tenth of a minute, as a person reads a wait (the gate's clock has microseconds).
            "wait_minutes": round(done.wait_minutes, 1) if done.wait_minutes is not None else None,
            "reason": done.reason,
            "reasons": said_reasons(done.reasons),
            "notice": done.notice,
        }
    )


def _gate_event(path: str, endpoint: str, summary: str, move) -> None:
    """start, complete, no-show: the same call on the gate service, one route each."""

    @at_the_gate(summary, body=EventIn, response=LoadOut)
    def view(load_id: str, query: LoadRef, body: EventIn):
        return respond(
            move(
                db.uow(),
                _named(load_id, query),
                principal=current_principal(),
                at=body.at,
                clock=service_now(),
            )
        )

    bp.add_url_rule(f"/<load_id>/{path}", endpoint, view, methods=["POST"])


_gate_event(
    "start",
    "start",
    "Handling started at the dock (409 `start_without_slot` for a load with no slot while a "
    "published plan covers the time, except a truck checked in at a hub switched off since: it "
    "starts at the dock of the slot it had, which `pinned` names)",
    gate.start_load,
)
_gate_event("complete", "complete", "Handling finished", gate.complete_load)
_gate_event(
    "no-show",
    "no_show",
    "The truck did not come; its slot is freed (409 `no_show_before_slot` before the slot starts)",
    gate.no_show,
)
