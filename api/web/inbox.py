"""The inbox page (`/inbox`, every signed-in role): the caller's events newest first, each as a
title and a sentence in the page's language, unread ones marked, and "mark all read"; the unread
count in the nav (`unread_events`, one count query per page) and the command centre's latest
events on the board (`latest`).

Events are stored with codes and parameters (`services/events.py`); `describe` turns one into
message ids and parameters of `inbox_messages.py`, translated here at the edge. Times are shown
in the site's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import Flask, flash, g, redirect, render_template, request, url_for

from api.database import db
from api.web.base import page_blueprint
from api.web.i18n import translate
from api.web.signin import EVERYONE, page_for, signed_in_principal
from api.web.zone import local
from hub_scheduler.records import Event, Role
from hub_scheduler.services import events as service
from hub_scheduler.services import hubs as hub_service
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_inbox", __name__)
PAGE_ROWS = 50
BOARD_ROWS = 5  # the board shows the command centre's latest few


def _when(value: Any, fmt: str = "%m-%d %H:%M") -> str:
    """An ISO-8601 time of a payload (or a datetime) as shown in the site's zone; '—' if none."""
    if not value:
        return "—"
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    shown = local(moment)
    return shown.strftime(fmt) if shown is not None else "—"


def _slot(slot: dict[str, Any] | None) -> str:
    if not slot:
        return "—"
    return f"{_when(slot.get('start'))}–{_when(slot.get('end'), '%H:%M')}"


def _withdrawn_reason(reason: dict[str, Any] | None) -> str:
    code = str((reason or {}).get("code") or "")
    for key in (f"withdrawn_{code}", f"reason_{code}"):
        text = translate(key)
        if text != key:
            return text
    return translate("withdrawn_other")


def check_words(failed: Sequence[Any] | None) -> str:
    """Failed entry checks (a load's `ScreeningFailure`s, or an event's `CODE: message` strings)
    as their short words in the page's language, joined (`无检测结果、未测体温`), by their
    code, never the stored English; an unknown code is shown as itself."""
    labels = []
    for entry in failed or []:
        code = getattr(entry, "code", None) or str(entry).split(":", 1)[0].strip()
        key = f"failed_{code}"
        text = translate(key)
        labels.append(text if text != key else code)
    return "、".join(labels) if labels else translate("none")


def describe(event: Event, hub_names: dict[str, str]) -> dict[str, str]:
    """The event as `{"title", "text"}` in the page's language: its type's title and a sentence
    with its parameters (hub names for ids, times in the site's zone). An unknown type gets a
    generic notice, never an error."""
    data = event.data or {}

    def hub_name(hub_id: Any) -> str:
        return hub_names.get(str(hub_id), str(hub_id)) if hub_id else "—"

    kind = event.type
    key = f"event_{kind}_text"
    params: dict[str, Any] = {}
    slots = (service.SLOT_CONFIRMED, service.SLOT_CHANGED, service.SLOT_WITHDRAWN)
    if kind in (*slots, service.SLOT_EXPIRED):
        slot = data.get("slot") or {}
        before = data.get("previous") or {}
        params = {
            "load_id": data.get("load_id", "—"),
            "plate": data.get("vehicle_plate") or "—",
            "hub": hub_name(slot.get("hub_id") or before.get("hub_id")),
            "dock": slot.get("dock_id") or "—",
            "start": _when(slot.get("start")),
            "end": _when(slot.get("end"), "%H:%M"),
            "previous": _slot(before),
            "reason": _withdrawn_reason(data.get("reason")),
            "published": _when(data.get("published_at")),
        }
        if kind == service.SLOT_EXPIRED and before:  # the slot it held before no longer holds
            key = "event_slot.expired_was_text"
    elif kind == service.SCREENING_FAILED:
        params = {
            "load_id": data.get("load_id", "—"),
            "plate": data.get("vehicle_plate") or "—",
            "at": _when(data.get("at")),
            "checks": check_words(data.get("failed_checks")),
        }
    elif kind == service.HUB_STATUS_CHANGED:
        params = {
            "hub": data.get("hub_name") or hub_name(data.get("hub_id")),
            "to": translate(f"status_{data.get('to')}"),
            "from_": translate(f"status_{data.get('from')}"),
            "reason": data.get("reason") or "—",
        }
    elif kind == service.INCIDENT_REPORTED:
        params = {"incident_id": data.get("incident_id", "—"), "at": _when(data.get("reported_at"))}
        if "hub_id" in data:  # a hub ahead's share: no plate, no phone
            key = "event_incident.reported_hub_text"
            params |= {
                "hub": hub_name(data.get("hub_id")),
                "truck": len(data.get("positive_truck_load_ids") or []),
                "contacts": len(data.get("contact_load_ids") or []),
            }
        else:
            hubs = [hub_name(h) for h in data.get("hubs_ahead") or []]
            params |= {
                "cancelled": len(data.get("cancelled_load_ids") or []),
                "contacts": data.get("contacts", 0),
                "hubs": "、".join(hubs) if hubs else translate("none"),
            }
    elif kind == service.CONTACT_LET_IN:
        params = {
            "load_id": data.get("load_id", "—"),
            "plate": data.get("vehicle_plate") or "—",
            "incidents": "、".join(str(i) for i in data.get("incident_ids") or []) or "—",
            "hub": hub_name(data.get("hub_id")),
            "at": _when(data.get("at")),
            "note": data.get("note") or "—",
        }
    elif kind == service.PLAN_PUBLISHED:
        params = {
            "plan_id": data.get("plan_id", "—"),
            "day": _when((data.get("horizon") or {}).get("start"), "%Y-%m-%d"),
            "placed": data.get("placed", 0),
            "unscheduled": data.get("unscheduled", 0),
        }
        if "hub_id" in data:
            key = "event_plan.published_hub_text"
            params |= {"hub": hub_name(data["hub_id"]), "placed_here": data.get("placed_here", 0)}
    elif kind == service.REPORT_ANSWERED:
        params = {
            "number": data.get("number") or data.get("report_id", "—"),
            "answer": data.get("answer") or "—",
        }
    elif kind == service.REPORT_RECEIVED:
        params = {
            "number": data.get("number") or data.get("report_id", "—"),
            "what": translate(f"report_kind_{data.get('kind')}"),
            "hub": hub_name(data.get("hub_id")),
        }
    else:
        return {
            "title": translate("event_other"),
            "text": translate("event_other_text", type=kind),
        }
    return {"title": translate(f"event_{kind}"), "text": translate(key, **params)}


def hub_names() -> dict[str, str]:
    """Each hub's name by id (the id where it has none)."""
    return {h.id: h.name or h.id for h in hub_service.list_hubs(db.uow())}


def rows(events: list[Event]) -> list[dict[str, Any]]:
    """Each event with its title and sentence, ready for a template."""
    names = hub_names() if events else {}
    return [{"event": e, **describe(e, names)} for e in events]


def unread_events() -> int:
    """The signed-in user's unread count for the nav (0 signed out); once per request."""
    if "hub_unread" not in g:
        principal = signed_in_principal()
        g.hub_unread = service.unread_count(db.uow(), principal) if principal else 0
    return g.hub_unread


def latest(principal: Principal, limit: int = BOARD_ROWS) -> list[dict[str, Any]]:
    """The caller's latest events (the board shows the admin the command centre's)."""
    found, _, _ = service.inbox(db.uow(), principal, limit=limit)
    return rows(found)


@bp.get("/inbox")
@page_for(*EVERYONE)
def inbox(principal: Principal):
    try:
        offset = max(0, int(request.args.get("offset", "0")))
    except ValueError:
        offset = 0
    events, total, unread = service.inbox(db.uow(), principal, limit=PAGE_ROWS, offset=offset)
    g.hub_unread = unread  # the nav needs no second count
    heading = {
        Role.ADMIN: "Events of the command centre",
        Role.OPERATOR: "Events of every hub",
        Role.ENTERPRISE: "Events of your enterprise",
    }[principal.role]
    return render_template(
        "inbox.html",
        rows=rows(events),
        total=total,
        unread=unread,
        offset=offset,
        page_rows=PAGE_ROWS,
        heading=heading,
    )


@bp.post("/inbox/read")
@page_for(*EVERYONE)
def mark_all_read(principal: Principal):
    service.mark_read(db.uow(), principal, None)
    flash(translate("All messages are read."), "ok")
    return redirect(url_for("web_inbox.inbox"), code=303)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(unread_events=unread_events)
