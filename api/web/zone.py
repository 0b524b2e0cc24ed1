"""The time zone the pages show and read times in: the site's, the same as the API's."""

from __future__ import annotations

from datetime import datetime, tzinfo

from api.respond import site_timezone


def local_zone() -> tzinfo:
    """The site's time zone (see `api.respond.site_timezone`)."""
    return site_timezone()


def local(moment: datetime | None) -> datetime | None:
    """The moment in the local zone (a template filter)."""
    if moment is None:
        return None
    try:
        return moment.astimezone(local_zone())
    except OverflowError:  # a stored row at the calendar's edge (year 9999): shown as stored
        return moment
