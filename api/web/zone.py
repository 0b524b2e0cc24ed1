"""The time zone the pages show and read times in: the site's, the same as the API's."""

from __future__ import annotations

from datetime import datetime, tzinfo

from api.respond import site_timezone
from hub_scheduler.moments import iso_moment


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


def local_iso(moment: datetime | None) -> str:
    """The moment in the local zone as ISO 8601 to the second, as a page's `<time datetime>`
    writes it (a template filter: `iso`); "" for none."""
    shown = local(moment)
    return iso_moment(shown) if shown is not None else ""


def day_minute(iso: str) -> str:
    """An ISO-8601 time with its offset as the pages write it in a sentence: day and minute in
    the site's zone (`2026-11-28 10:00`; the API's Chinese problems write it so too,
    api/moment_words.py)."""
    return datetime.fromisoformat(iso).astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")
