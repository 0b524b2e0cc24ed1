"""Public information, no sign-in (issue 13): the hubs' status, hours today and zones, and a
public reporter's look-up of their problem report.

The hubs' facts are cached in the process for HUB_SCHEDULER_PUBLIC_CACHE_S seconds (one request
at a time refreshes them, the others wait for it), so heavy public traffic does not reach the
database; each address is throttled (HUB_SCHEDULER_PUBLIC_LIMIT, api/throttle.py).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Blueprint, current_app

from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.public import PublicHubsOut
from api.schemas.reports import PublicReportOut, PublicReportQuery
from hub_scheduler.records import Report
from hub_scheduler.services import public as service
from hub_scheduler.services import reports

bp = Blueprint("public", __name__, url_prefix="/api/v1/public")
_CACHE = "hub_scheduler_public_hubs"
clock = time.monotonic  # seconds; tests move it to pass the TTL without sleeping


def cached_hubs() -> dict[str, Any]:
    """`services.public.public_hubs`, at most HUB_SCHEDULER_PUBLIC_CACHE_S seconds old."""
    ttl = float(current_app.config.get("HUB_SCHEDULER_PUBLIC_CACHE_S", 5.0))
    state = current_app.extensions.setdefault(
        _CACHE, {"lock": threading.Lock(), "value": None, "until": 0.0}
    )
    if state["value"] is not None and clock() < state["until"]:
        return state["value"]
    with state["lock"]:  # single flight: the others wait, then read what this one fetched
        if state["value"] is None or clock() >= state["until"]:
            state["value"] = service.public_hubs(db.uow())
            state["until"] = clock() + ttl
        return state["value"]


def cache_control() -> dict[str, str]:
    ttl = int(float(current_app.config.get("HUB_SCHEDULER_PUBLIC_CACHE_S", 5.0)))
    return {"Cache-Control": f"public, max-age={ttl}"}


def public_report(report: Report) -> PublicReportOut:
    """What a public reporter reads back: the fields PublicReportOut declares, nothing more."""
    return PublicReportOut.model_validate(report, from_attributes=True)


@bp.get("/hubs")
@operation(
    "Which hubs are open, standby or suspended, their hours today and zones (no sign-in)",
    roles=None,
    response=PublicHubsOut,
)
def hubs():
    return respond(cached_hubs(), headers=cache_control())


@bp.get("/reports/<number>")
@operation(
    "A public reporter reads their report and its answer (number and lookup token)",
    roles=None,
    query=PublicReportQuery,
    response=PublicReportOut,
    errors=(404, 422),
)
def report(number: str, query: PublicReportQuery):
    found = reports.public_lookup(db.uow(), number, query.token)
    return respond(public_report(found), headers={"Cache-Control": "no-store"})
