"""Load keys: a load id is unique within its enterprise, never across enterprises.

Two enterprises may both submit `L-0001`. Below the API (the store, the services, scenarios, the
solver, plans) a load is known by its *key*, `enterprise_id/id` (`E01/L-0001`): the primary key
of `loads` and what `transfers`, `plan_assignments`, `plan_unscheduled` and `incidents` refer to.
Neither part may contain `/` (`limits.ID_PATTERN`), so a key splits back unambiguously.

The edges translate: a request names a load by its id (an enterprise's own; an admin's or
operator's with `?enterprise_id=` when the id is ambiguous), and every response shows the id
unqualified with `enterprise_id` beside it (`api/respond.py`). So an enterprise submitting an id
another enterprise holds gets exactly the answer a fresh id gets: nothing about another
enterprise can be learned from ids (docs/security.md).
"""

from __future__ import annotations

import re

from hub_scheduler import limits

SEPARATOR = "/"
_PART = limits.ID_PATTERN.strip("^$")
# A stored key, or (scenario files, older callers) a plain id: `E01/L-0001` or `L-0001`.
KEY_PATTERN = f"^({_PART}/)?{_PART}$"
KEY_MAX_LENGTH = 2 * limits.ID_MAX_LENGTH + 1
KEY_RE = re.compile(f"^({_PART})/({_PART})$")


def qualify(enterprise_id: str, load_id: str) -> str:
    """The key of `load_id` of `enterprise_id`; a key already qualified is returned as it is."""
    if SEPARATOR in load_id:
        return load_id
    return f"{enterprise_id}{SEPARATOR}{load_id}"


def split(key: str) -> tuple[str | None, str]:
    """(enterprise_id, id) of a key; (None, key) for a plain id."""
    match = KEY_RE.match(key)
    if match is None:
        return None, key
    return match.group(1), match.group(2)


def local(key: str) -> str:
    """The id as its enterprise wrote it: `E01/L-0001` -> `L-0001`; a plain id unchanged."""
    return split(key)[1]


def enterprise_of(key: str) -> str | None:
    """The enterprise part of a key (None for a plain id)."""
    return split(key)[0]


def ref(key: str) -> dict[str, str | None]:
    """A load named in a list another enterprise's loads may share (an audit entry, an event):
    `{"load_id": key, "enterprise_id": ...}`; the edge shows the id as its enterprise wrote it
    (load_ids.py), so two enterprises' `L-1` stay two."""
    return {"load_id": key, "enterprise_id": enterprise_of(key)}
