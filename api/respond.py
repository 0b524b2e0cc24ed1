"""Turn domain objects into JSON responses, with every time in the site's time zone and offset.

The database keeps times in UTC; people at the gate read local times, so responses show them in
the site's time zone (`services.site`: `+08:00` for Xunwu, `+01:00` for a site in Berlin in
winter), still ISO-8601 with the offset. The pages use the same zone (`api.web.zone`).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from api.database import db
from api.load_ids import shown, viewer
from api.settings import settings
from hub_scheduler.domain import DEFAULT_TIMEZONE
from hub_scheduler.moments import iso_moment, to_the_second
from hub_scheduler.services.site import read_site

_CACHE = "hub_scheduler_site_zone"
_REFRESH_S = 60.0  # the zone changes only when a scenario is seeded
log = logging.getLogger(__name__)


def site_timezone() -> tzinfo:
    """The site's zone (`services.site`; HUB_SCHEDULER_TIMEZONE overrides), cached for a minute.

    Only a database that cannot answer yet (not migrated) falls back to the default zone, logged
    and not cached, so the next request asks again.
    """
    cached = current_app.extensions.get(_CACHE)
    if cached is not None and time.monotonic() - cached[1] < _REFRESH_S:
        return cached[0]
    try:
        zone: tzinfo = read_site(db.read_uow(), zone=settings().HUB_SCHEDULER_TIMEZONE).timezone
    except SQLAlchemyError:
        log.warning("the site's time zone could not be read (database not ready?)", exc_info=True)
        return ZoneInfo(DEFAULT_TIMEZONE)
    current_app.extensions[_CACHE] = (zone, time.monotonic())
    return zone


# Returned as they are: what most of a response is made of, answered by one type look-up.
_AS_IS = frozenset({int, float, bool, type(None)})


def plain(value: Any, zone: tzinfo | None = None) -> Any:
    """A JSON-ready value: models dumped, times in `zone` as ISO-8601 with the offset, to the
    second (`hub_scheduler.moments`): also a time the services stored as text with a fraction."""
    kind = type(value)
    if kind is str:
        # cheap test first: only "YYYY-MM-DDTHH:MM:SS.ffffff..." can carry a fraction
        return to_the_second(value) if len(value) > 20 and value[19] == "." else value
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {k: plain(v, zone) for k, v in value.items()}
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python"), zone)
    if isinstance(value, datetime):
        if zone is not None and value.tzinfo is not None:
            try:
                value = value.astimezone(zone)
            except OverflowError:  # a stored row at the calendar's edge: shown as stored (UTC)
                pass
        return iso_moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v, zone) for v in value]
    if isinstance(value, dict):
        return {k: plain(v, zone) for k, v in value.items()}
    return value


def respond_page(items: list[Any], query: Any) -> Response:
    """`items[offset:offset + limit]` (query: a schemas.PageQuery); the total in X-Total-Count."""
    window = items[query.offset : query.offset + query.limit]
    return respond(window, headers={"X-Total-Count": str(len(items))})


def respond_items(items: list[Any], total: int, query: Any) -> Response:
    """One page of a filtered list the service cut (`query`: limit, offset): the items with the
    total the filters match, and the page asked for (schemas LoadPage, PlanPage)."""
    return respond({"items": items, "total": total, "limit": query.limit, "offset": query.offset})


def _json_default(value: Any) -> Any:
    return current_app.json.default(value)  # type: ignore[attr-defined]


def respond(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    # Load keys (`E01/L-1`) are shown as ids with their `enterprise_id` (api/load_ids.py); an
    # enterprise sees only its own loads where a reason or a list names others (`moved`).
    # The standard library's dumps, as Flask's provider calls it (no sorting, its `default` for
    # what `plain` leaves: a UUID, a Decimal, a dataclass), without the provider's layers.
    body = json.dumps(
        shown(plain(value, site_timezone()), viewer()), ensure_ascii=False, default=_json_default
    )
    response = Response(body, status=status, mimetype="application/json")
    for key, header in (headers or {}).items():
        response.headers[key] = header
    return response
