"""The time zone the pages show and read times in (the county's; Asia/Shanghai by default)."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

DEFAULT_ZONE = "Asia/Shanghai"


def local_zone() -> ZoneInfo:
    name = current_app.config.get("HUB_SCHEDULER_TIMEZONE") or os.environ.get(
        "HUB_SCHEDULER_TIMEZONE", DEFAULT_ZONE
    )
    return ZoneInfo(name)


def local(moment: datetime | None) -> datetime | None:
    """The moment in the local zone (a template filter)."""
    return moment.astimezone(local_zone()) if moment is not None else None
