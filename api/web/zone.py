"""The time zone the pages show and read times in: the site's, the same as the API's."""

from __future__ import annotations

from datetime import datetime, tzinfo

from api.respond import site_timezone


def local_zone() -> tzinfo:
    """The site's time zone (see `api.respond.site_timezone`)."""
    return site_timezone()


def local(moment: datetime | None) -> datetime | None:
    """The moment in the local zone (a template filter)."""
    return moment.astimezone(local_zone()) if moment is not None else None
