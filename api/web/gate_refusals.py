"""A gate step the services refused (409), said on the gate page from its code and params: the
dock rules at a start (services/early_start.py), the steps in their order
(services/gate_times.py), a no-show before the slot (services/gate.py), the truck with no slot
(services/gate_no_slot.py). Nothing was written; times are said in the site's zone."""

from __future__ import annotations

from api.web.i18n import translate
from api.web.zone import day_minute
from hub_scheduler import load_keys
from hub_scheduler.errors import Conflict, NotFound

# A refusal's code: the page's words, and which param fills each of their placeholders.
_WORDS: dict[str, tuple[str, dict[str, str]]] = {
    "start_before_slot": (
        "Load {id} cannot start before its slot at {start}: dock {dock} is not free and disinfected until then.",  # noqa: E501
        {"start": "slot_start", "dock": "dock"},
    ),
    "dock_in_use": (
        "Load {id} cannot start at {at}: dock {dock} is in use or being disinfected until {until}.",  # noqa: E501
        {"at": "at", "until": "until", "dock": "dock"},
    ),
    "dock_blocked": (
        "Load {id} cannot start at {at}: dock {dock} is closed until {until}.",
        {"at": "at", "until": "until", "dock": "dock"},
    ),
    "time_before_arrival": (
        "Load {id} cannot start at {at}: it arrived at {before}.",
        {"at": "at", "before": "before"},
    ),
    "time_before_start": (
        "Load {id} cannot be completed at {at}: it started at {before}.",
        {"at": "at", "before": "before"},
    ),
    "no_show_before_slot": (
        "Load {id} cannot be marked as not come before its slot starts at {start}.",
        {"start": "slot_start"},
    ),
    "gate_not_whitelisted": (
        "Load {id} is not checked in: enterprise {enterprise} is not on the white-list on {day}. The command centre must put it on the white-list first.",  # noqa: E501
        {"enterprise": "enterprise", "day": "day"},
    ),
    "gate_whitelist_expired": (
        "Load {id} is not checked in: the white-list entry of enterprise {enterprise} ended on {until}. The command centre must extend it first.",  # noqa: E501
        {"enterprise": "enterprise", "until": "valid_until"},
    ),
    "gate_whitelist_not_yet_valid": (
        "Load {id} is not checked in: the white-list entry of enterprise {enterprise} starts on {begins}. The command centre must move its start first.",  # noqa: E501
        {"enterprise": "enterprise", "begins": "valid_from"},
    ),
    "start_without_slot": (
        "Load {id} has no slot in the plan in force, so it cannot start: a re-plan must give it one first, or ask the command centre.",  # noqa: E501
        {},
    ),
}
# Params that hold an ISO-8601 time.
_TIMES = {"slot_start", "at", "until", "before"}


def refusal_words(exc: Conflict | NotFound, load_id: str) -> str | None:
    """The page's words for a refusal the services gave a code for (the first such error), or
    for an unknown load; None for a refusal by the load's status (the caller says it)."""
    shown = load_keys.local(load_id)
    if isinstance(exc, NotFound):
        return translate("There is no load {id}.", id=shown)
    for error in exc.errors:
        words = _WORDS.get(error.code or "")
        if words is None or (words[1] and not error.params):
            continue
        template, fills = words
        params = error.params or {}
        values = {
            name: day_minute(params[key]) if key in _TIMES else params[key]
            for name, key in fills.items()
        }
        return translate(template, id=shown, **values)
    return None
