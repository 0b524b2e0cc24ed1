"""The one reader of dates and times in sheets, in every form spreadsheets write them.

Accepted: ISO 8601 (`2026-11-28T07:50+08:00`, `2026-11-28 07:50:00`), year-first with slashes,
dashes or dots (`2026/11/28 7:50`, `2026/11/28`), Chinese (`2026年11月28日 7:50`, `7时50分`),
full-width digits and colons (NFKC), Excel date cells (datetime or date) and Excel serial numbers
(days since 1899-12-30, the 1900 date system), also as a CSV's text (`46354.5`). A moment
without an offset is read in the SITE'S zone. Day-first or month-first forms (`11/12/2026`) are
refused: the reader cannot tell which.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from hub_scheduler.sheets.problems import CellError

EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1900-01-01, past Excel's false 1900-02-29
_MAX_SERIAL = 2958465  # 9999-12-31
_EXAMPLE = "2026/11/28 7:50"

_CLOCK = r"(?:[ T]*(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.(\d{1,6}))?秒?|分)?)?"
_YEAR_FIRST = re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})" + _CLOCK)
_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]" + _CLOCK)
_SPACES = re.compile(r"\s+")
_YEAR_LAST = re.compile(r"\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4}(?:\D.*)?")
# A serial number written as text (a CSV of a date cell formatted as a number): five digits
# before the point, 1927 to 2173; a year alone (`2026`) or a longer number is no date.
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")


def _from_parts(parts: tuple[str | Any, ...]) -> datetime:
    year, month, day, hour, minute, second, fraction = parts
    micro = int((fraction or "0").ljust(6, "0"))
    return datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro
    )


def _from_serial(value: float) -> datetime:
    if not 1 <= value <= _MAX_SERIAL:
        raise CellError("moment_serial", value=value)
    # Excel keeps a time as a fraction of a day: round to the second it stands for.
    return EXCEL_EPOCH + timedelta(seconds=round(value * 86400))


def _from_text(raw: str) -> datetime:
    text = raw.strip()
    if not text.isascii():  # full-width digits, 　 and ：, or Chinese: NFKC makes them ASCII
        text = unicodedata.normalize("NFKC", text).strip()
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in (_YEAR_FIRST, _CHINESE):
        found = pattern.fullmatch(text)
        if found:
            try:
                return _from_parts(found.groups())
            except ValueError:  # a month 13, a day 31 in November, a 25 o'clock
                break
    else:
        if _YEAR_LAST.fullmatch(text):
            raise CellError("moment_ambiguous", value=raw.strip(), example=_EXAMPLE)
    raise CellError("moment", value=raw.strip())


def read_moment(value: object, zone: tzinfo) -> datetime:
    """An aware datetime from a cell; naive moments are read in `zone` (the site's).

    Raises CellError (codes moment, moment_ambiguous, moment_serial, moment_time_only).
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    elif isinstance(value, time):
        raise CellError("moment_time_only")
    elif isinstance(value, bool):
        raise CellError("moment", value=value)
    elif isinstance(value, int | float):
        moment = _from_serial(float(value))
    elif isinstance(value, str) and _SERIAL_TEXT.fullmatch(value.strip()):
        moment = _from_serial(float(value))
    elif isinstance(value, str):
        moment = _from_text(value)
    else:
        raise CellError("moment", value=value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment
