"""The limits every entry point shares (API, batch, sheet, web form, scenario file): one home.

The domain models (`hub_scheduler.domain`) carry these as field constraints, so a value refused by
the JSON API is refused by a sheet import or a form alike. docs/api.md ("Limits") lists them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationInfo

# Ids (hubs, zones, docks, enterprises, loads): ASCII letters, digits, CJK unified ideographs
# (U+4E00-U+9FFF: sites name their hubs 寻乌-LP), `.`, `_`, `-`, starting with a letter, digit or
# ideograph. Ids appear in URL paths (quoted), file names and sheet cells, so no `/`, no space, no
# control character, no NUL.
ID_MAX_LENGTH = 64
ID_PATTERN = "^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._-]*$"  # length: ID_MAX_LENGTH
ID_RE = re.compile(ID_PATTERN)
PLATE_MAX_LENGTH = 20  # 车牌: 7 or 8 characters; room for a trailer plate note
PHONE_MAX_LENGTH = 32  # as written: "+86 (138) 0013-8000" and the like
NAME_MAX_LENGTH = 200  # names, labels
TEXT_MAX_LENGTH = 2000  # reasons, notes
LIST_MAX_ITEMS = 1000  # allowed_hubs, zones, docks, ... in one object
BATCH_MAX_ITEMS = 10_000  # loads in one JSON batch
JSON_MAX_DEPTH = 32  # nesting of arrays and objects in a request body (ours need 5)

# Integers: every integer field fits a signed 32-bit column (PostgreSQL `integer`), whatever the
# database; minutes are capped far above any real handling or disinfection time.
INT_MAX = 2**31 - 1
MINUTES_MAX = 7 * 24 * 60  # a week
OFFSET_MAX = 1_000_000  # list paging
PAGE_LIMIT_MAX = 1000

# Times: every datetime written must lie within WINDOW_YEARS of today (UTC), so a year 9999 or
# year 1 never reaches a column or an offset conversion that overflows.
WINDOW_YEARS = 5
_WINDOW = timedelta(days=round(365.25 * WINDOW_YEARS))

# Validation context key: conversion of rows already stored skips the window (reads stay robust).
STORED = "stored"


def moment_window(today: date | None = None) -> tuple[datetime, datetime]:
    """The accepted [earliest, latest] datetimes (aware, UTC) around `today` (default: now)."""
    now = (
        datetime.now(UTC)
        if today is None
        else datetime(today.year, today.month, today.day, tzinfo=UTC)
    )
    return now - _WINDOW, now + _WINDOW


def check_moment(value: datetime) -> datetime:
    """The value when it lies within the window, else ValueError (pydantic reports the field)."""
    earliest, latest = moment_window()
    if value.tzinfo is None or not earliest <= value <= latest:
        raise ValueError(
            f"must be within {WINDOW_YEARS} years of today "
            f"({earliest.date().isoformat()} to {latest.date().isoformat()})"
        )
    return value


def check_day(value: date) -> date:
    """A calendar day (a `?date=` query, a validity date) within the same window."""
    earliest, latest = moment_window()
    if not earliest.date() <= value <= latest.date():
        raise ValueError(
            f"must be within {WINDOW_YEARS} years of today "
            f"({earliest.date().isoformat()} to {latest.date().isoformat()})"
        )
    return value


def windowed(value: Any, info: ValidationInfo) -> Any:
    """pydantic after-validator: the window, except for rows read back from storage."""
    if value is None or (info.context or {}).get(STORED):
        return value
    if isinstance(value, datetime):
        return check_moment(value)
    if isinstance(value, date):
        return check_day(value)
    return value
