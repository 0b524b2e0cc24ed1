"""A time inside a problem's or a finding's params, as the pages show it.

The services and the verifier put times in their params as ISO-8601 with the offset
(`2026-11-28T02:00:00+00:00`): exact for a program, unreadable in a sentence. Where a text is
said in the reader's language (api/problem_words.py, api/verify_words.py), such a value is
written as the pages write a time: day and minute in the site's zone, `2026-11-28 10:00`
(api/web/gate.py's `_dhm`). The machine-readable `params` keep the ISO value.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

# A whole value that is a moment with its offset (a date alone or a naive time is left as is:
# its zone is unknown).
_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})"
)
SHOWN = "%Y-%m-%d %H:%M"


def moment_words(value: Any, zone: tzinfo | None = None) -> Any:
    """`value` written as a page writes a time when it is an ISO-8601 moment with its offset:
    `%Y-%m-%d %H:%M` in `zone` (None: in the value's own offset); any other value as it is."""
    if not isinstance(value, str) or _ISO_MOMENT.fullmatch(value) is None:
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:  # 2026-02-30T...: not a moment after all
        return value
    if zone is not None:
        moment = moment.astimezone(zone)
    return moment.strftime(SHOWN)
