"""Load keys at the edge: what a response or an event shows of a load's key (load_keys.py).

Below the API a load is known by `enterprise_id/id`; a response shows the id as its enterprise
wrote it, with `enterprise_id` beside it. `shown` rewrites a JSON-ready value (from
`api.respond.plain`, an event's data for a webhook) before it is sent: every field that holds a
load id (`LOAD_ID_FIELDS`), dict keys that are load keys (`screening_failures` of an import),
quoted keys in messages (`no load "E01/L-1"` -> `no load "L-1"`), a problem's `field`
(`loads.E01/L-1`), and objects naming a load by key (`load_id`, a relay's `inbound`) gain
`enterprise_id` when they lack it.
"""

from __future__ import annotations

import re
from typing import Any

from hub_scheduler import limits, load_keys

# Response fields whose value is a load id, a list of them, or an object to rewrite in turn.
LOAD_ID_FIELDS = frozenset(
    {
        "id",
        "load_id",
        "load_ids",
        "inbound",
        "outbound",
        "transfer_to",
        "transfer_from",
        "cancelled_load_ids",
        "source_load_id",
        "load",
        "loads",
        "dropped",  # a publish's progress: loads it let go of, trucks kept on site
        "kept_on_site",
        "moved",  # a repair's reason: the loads it pushed later
        "for_load",  # SHIFTED_FOR_REPAIR: the late load a load made room for
    }
)
# Fields of words, where a load key appears quoted.
TEXT_FIELDS = frozenset({"message", "detail", "title", "reason", "error"})
_NAMING = ("load_id", "inbound", "id")
_PART = limits.ID_PATTERN.strip("^$")
_QUOTED_KEY = re.compile(f'"{_PART}/({_PART})"')
_LOADS_FIELD = "loads."  # a problem's `field` naming a load: `loads.E01/L-1` -> `loads.L-1`


def text(value: str) -> str:
    """Words with every quoted load key shown as its id: 'no load "E01/L-1"' -> 'no load "L-1"'."""
    if "/" not in value:
        return value
    return _QUOTED_KEY.sub(lambda m: f'"{m.group(1)}"', value)


def _id(value: Any) -> Any:
    if isinstance(value, str):
        return load_keys.local(value)
    if isinstance(value, list):
        return [_id(v) for v in value]
    return shown(value)


def shown(value: Any) -> Any:
    """`value` (JSON-ready: dicts, lists, strings, numbers) with load keys shown as ids."""
    if isinstance(value, list):
        return [shown(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(key, str) and load_keys.SEPARATOR in key and load_keys.KEY_RE.match(key):
            key = load_keys.local(key)
        if key in LOAD_ID_FIELDS:
            out[key] = _id(item)
        elif key in TEXT_FIELDS and isinstance(item, str):
            out[key] = text(item)
        elif key == "field" and isinstance(item, str) and item.startswith(_LOADS_FIELD):
            out[key] = _LOADS_FIELD + load_keys.local(item.removeprefix(_LOADS_FIELD))
        elif key == "generated_ids" and isinstance(item, dict):  # sheet row -> load id
            out[key] = {row: _id(load_id) for row, load_id in item.items()}
        elif key == "params" and isinstance(item, dict):
            out[key] = {
                k: _id(v) if k == "load" or k in LOAD_ID_FIELDS else shown(v)
                for k, v in item.items()
            }
        else:
            out[key] = shown(item)
    if "enterprise_id" not in value:
        for name in _NAMING:
            owner = value.get(name)
            if isinstance(owner, str) and load_keys.enterprise_of(owner) is not None:
                out["enterprise_id"] = load_keys.enterprise_of(owner)
                break
    return out
