"""The one form a time is shown in: ISO 8601 to the second, with its offset (no fraction of a
second: a person reads it, and the database and the clock carry microseconds).

The API's answers (`api/respond.py`), the webhooks' payloads (`services/events.py`) and the
reasons and params the services write use it; the pages show times to the minute.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

# An ISO 8601 moment with a fraction of a second: "2026-12-03T23:26:42.070579+08:00".
_FRACTION = re.compile(r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})\.\d+(Z|[+-]\d{2}:\d{2})?")


def iso_moment(at: datetime, zone: tzinfo | None = None) -> str:
    """`at` (in `zone` when given) as ISO 8601 to the second: "2026-12-03T10:15:07+08:00"."""
    if zone is not None and at.tzinfo is not None:
        at = at.astimezone(zone)
    return at.isoformat(timespec="seconds")


def to_the_second(text: str) -> str:
    """An ISO 8601 moment written with a fraction of a second, without it (the second is kept,
    not rounded); any other text as it is."""
    found = _FRACTION.fullmatch(text)
    if found is None:
        return text
    return found[1] + (found[2] or "")


def seconds_in_text(text: str) -> str:
    """`text` with every ISO 8601 moment in it cut to the second: "is later than now
    (2026-12-03T23:26:42.070579+08:00)" -> "... (2026-12-03T23:26:42+08:00)"."""
    return _FRACTION.sub(lambda found: found[1] + (found[2] or ""), text)


def seconds_everywhere(value: Any) -> Any:
    """A JSON-ready value (dicts, lists, strings) with `seconds_in_text` applied to every string:
    the net under problem details, whose params and messages the services write."""
    if isinstance(value, str):
        return seconds_in_text(value) if "." in value else value
    if isinstance(value, dict):
        return {k: seconds_everywhere(v) for k, v in value.items()}
    if isinstance(value, list):
        return [seconds_everywhere(v) for v in value]
    return value
