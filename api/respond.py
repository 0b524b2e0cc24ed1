"""Turn domain objects into JSON responses, with every time in the site's time zone and offset.

The database keeps times in UTC; people at the gate read local times, so responses show them in
the seeded scenario's time zone (`+08:00` for Xunwu), still ISO-8601 with the offset.
"""

from __future__ import annotations

import time
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, json
from pydantic import BaseModel

from api.database import db

_CACHE = "hub_scheduler_timezone"
_REFRESH_S = 60.0  # the time zone changes only when a scenario is seeded


def site_timezone() -> tzinfo:
    """The seeded scenario's time zone (HUB_SCHEDULER_TIMEZONE overrides), cached for a minute."""
    configured = current_app.config.get("HUB_SCHEDULER_TIMEZONE")
    if configured:
        return ZoneInfo(configured)
    cached = current_app.extensions.get(_CACHE)
    if cached is not None and time.monotonic() - cached[1] < _REFRESH_S:
        return cached[0]
    from hub_scheduler.services.loads import site_timezone as stored_timezone

    try:
        zone: tzinfo = stored_timezone(db.uow())
    except Exception:  # no database yet, or not migrated: fall back, try again later
        zone = ZoneInfo("Asia/Shanghai")
    current_app.extensions[_CACHE] = (zone, time.monotonic())
    return zone


def plain(value: Any, zone: tzinfo | None = None) -> Any:
    """A JSON-ready value: models dumped, times in `zone` as ISO-8601 with the offset."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python"), zone)
    if isinstance(value, datetime):
        if zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v, zone) for v in value]
    if isinstance(value, dict):
        return {k: plain(v, zone) for k, v in value.items()}
    return value


def respond(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(plain(value, site_timezone()), ensure_ascii=False)
    response = Response(body, status=status, mimetype="application/json")
    for key, header in (headers or {}).items():
        response.headers[key] = header
    return response
