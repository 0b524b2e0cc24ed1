"""Load keys at the edge: what a response or an event shows of a load's key (load_keys.py).

Below the API a load is known by `enterprise_id/id`; a response shows the id as its enterprise
wrote it, with `enterprise_id` beside it. `shown` rewrites a JSON-ready value (from
`api.respond.plain`, an event's data for a webhook) before it is sent: every field that holds a
load id (`LOAD_ID_FIELDS`), dict keys that are load keys (`screening_failures` of an import),
quoted keys in messages (`no load "E01/L-1"` -> `no load "L-1"`), a problem's `field`
(`loads.E01/L-1`), and objects naming a load by key (`load_id`, a relay's `inbound`) gain
`enterprise_id` when they lack it.

Fields that name *other* loads than the object's own (`REF_FIELDS`: a repair's `moved` and
`for_load`, a held relay partner's `source_load_id`, the lists of a publish, an incident and its
events) show each load as `{"load_id", "enterprise_id"}`, since a bare id is ambiguous between
enterprises. An enterprise's view (`viewer`, `seen_by`) keeps only its own loads there: another
enterprise's load in a list is counted in `<field>_others`, a single one is `null`. A plan's
KPIs (`OWN_ONLY_FIELDS`: its late loads and who held their dock) are cut the same way for an
enterprise and left as they are for staff; the other enterprises' late loads are not counted
(`UNCOUNTED`: a plan-wide figure).
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
    }
)
# Fields naming other loads, of any enterprise: shown as {"load_id", "enterprise_id"} each, and
# cut to the viewer's own loads in an enterprise's view.
REF_FIELDS = frozenset(
    {
        "moved",  # a repair's reason: the loads it pushed later; an incident's moved trucks
        "for_load",  # SHIFTED_FOR_REPAIR: the late load a load made room for
        "source_load_id",  # RELAY_OF_POSITIVE: the positive truck's load
        "dropped",  # a publish's progress and audit: loads it let go of, trucks kept on site
        "kept_on_site",
        "start_moved",  # a publish: trucks checked in whose start it moved (start_moves.py)
        "held_elsewhere",  # a publish: loads another day's plan in force keeps a slot for
        "cancelled_load_ids",  # an incident: the positive truck's cancelled loads
        "cancelled",
        "positive_truck_load_ids",  # incident.reported to a hub ahead
        "contact_load_ids",
    }
)
# Lists an enterprise sees cut to its own loads like `REF_FIELDS`, but shown to staff as stored: a
# plan's KPIs name every late load (`late_loads`) and, in each, the loads that held its dock before.
OWN_ONLY_FIELDS = frozenset({"late_loads", "dock_held_before_by"})
OTHERS = "_others"  # `moved_others`: how many of another enterprise's loads a list left out
# Lists cut without counting what was left out: how many of the plan's loads are late is a
# figure of the other enterprises (an enterprise reads only its own loads' figures).
UNCOUNTED = frozenset({"late_loads"})
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


def _mine(item: Any, enterprise_id: str) -> bool:
    """Whether one entry of a `REF_FIELDS` field (a key, or an object with `load_id`) names a
    load of `enterprise_id`; anything else (a count) is no load and stays."""
    if isinstance(item, dict) and isinstance(item.get("load_id"), str):
        owner = item.get("enterprise_id") or load_keys.enterprise_of(item["load_id"])
    elif isinstance(item, str):
        owner = load_keys.enterprise_of(item)
    else:
        return True
    return owner == enterprise_id


def _ref(item: Any) -> Any:
    """One entry of a `REF_FIELDS` field as `{"load_id", "enterprise_id"}`."""
    if isinstance(item, str):
        return {"load_id": load_keys.local(item), "enterprise_id": load_keys.enterprise_of(item)}
    return shown(item)


def seen_by(value: Any, enterprise_id: str) -> Any:
    """`value` as enterprise `enterprise_id` may see it: in `REF_FIELDS`, only its own loads
    (a list counts the others in `<field>_others`; another's single load becomes None). A load
    of unknown enterprise (a plain id stored before keys) counts as another's. Keys stay keys."""
    if isinstance(value, list):
        return [seen_by(v, enterprise_id) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[Any, Any] = {}
    others: dict[str, int] = {}
    for key, item in value.items():
        if (key not in REF_FIELDS and key not in OWN_ONLY_FIELDS) or item is None:
            out[key] = seen_by(item, enterprise_id)
        elif isinstance(item, list):
            kept = [seen_by(v, enterprise_id) for v in item if _mine(v, enterprise_id)]
            out[key] = kept
            if key not in UNCOUNTED:
                others[key] = len(item) - len(kept)
        else:
            out[key] = item if _mine(item, enterprise_id) else None
    for key, left_out in others.items():
        out[key + OTHERS] = int(value.get(key + OTHERS) or 0) + left_out
    return out


def _refs(item: Any) -> Any:
    return [_ref(v) for v in item] if isinstance(item, list) else _ref(item)


def _param(key: str, item: Any) -> Any:
    """One of a reason's or an error's `params`: `load` names a load too."""
    if key in REF_FIELDS and item is not None:
        return _refs(item)
    if key == "load" or key in LOAD_ID_FIELDS:
        return _id(item)
    return shown(item)


def shown(value: Any, viewer: str | None = None) -> Any:
    """`value` (JSON-ready: dicts, lists, strings, numbers) with load keys shown as ids; with
    `viewer` (an enterprise), cut to what it may see first (`seen_by`)."""
    if viewer is not None:
        value = seen_by(value, viewer)
    if isinstance(value, list):
        return [shown(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(key, str) and load_keys.SEPARATOR in key and load_keys.KEY_RE.match(key):
            key = load_keys.local(key)
        if key in REF_FIELDS and item is not None:
            out[key] = _refs(item)
        elif key in LOAD_ID_FIELDS:
            out[key] = _id(item)
        elif key in TEXT_FIELDS and isinstance(item, str):
            out[key] = text(item)
        elif key == "field" and isinstance(item, str) and item.startswith(_LOADS_FIELD):
            out[key] = _LOADS_FIELD + load_keys.local(item.removeprefix(_LOADS_FIELD))
        elif key == "generated_ids" and isinstance(item, dict):  # sheet row -> load id
            out[key] = {row: _id(load_id) for row, load_id in item.items()}
        elif key == "params" and isinstance(item, dict):
            out[key] = {k: _param(k, v) for k, v in item.items()}
        else:
            out[key] = shown(item)
    if "enterprise_id" not in value:
        for name in _NAMING:
            owner = value.get(name)
            if isinstance(owner, str) and load_keys.enterprise_of(owner) is not None:
                out["enterprise_id"] = load_keys.enterprise_of(owner)
                break
    return out
