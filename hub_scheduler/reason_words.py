"""An unscheduled load's reason in a reader's language, from its detail code and parameters.

The solver gives each load it leaves out a `reason_detail` (one of `domain.REASON_DETAILS`) and
`reason_params`; the words live in the catalogues at the edge (`why_<detail>` in
`api/web/reason_messages.py`, zh-CN and English), reached through the `translate` callable the
caller passes, so the pages, the API and the exports share one way of writing them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from hub_scheduler.domain import Unscheduled

Translate = Callable[..., str]


def _names(ids: list[Any], hub_names: Mapping[str, str], key: str) -> list[str]:
    return [hub_names.get(str(i), str(i)) if key in ("hub", "hubs") else str(i) for i in ids]


def check_words(code: str, params: Mapping[str, Any], translate: Translate) -> str:
    """A failed entry check (`screening.FailedCheck` code and params) as `check_<code>` words;
    its coded values (health code, test type) translated too."""
    values = dict(params)
    if "health_code" in values:
        values["health_code"] = translate("code_" + str(values["health_code"]))
    if "test_type" in values:
        values["test_type"] = translate("test_" + str(values["test_type"]))
    words = translate("check_" + code, **values)
    return code if words == "check_" + code else words


def reason_words(
    unscheduled: Unscheduled, translate: Translate, hub_names: Mapping[str, str] | None = None
) -> str:
    """The sentence for `unscheduled`'s detail in `translate`'s language, hub ids given as the
    hubs' names from `hub_names` (id -> name); "" when the plan stored no detail (plans made
    before details were kept) or the detail is newer than the catalogue."""
    detail = unscheduled.reason_detail
    if not detail:
        return ""
    names = hub_names or {}
    separator = translate("list_separator")
    values: dict[str, Any] = {}
    for key, value in unscheduled.reason_params.items():
        if key == "checks":
            value = translate("check_separator").join(
                check_words(str(c.get("code", "")), c.get("params") or {}, translate).rstrip("。.")
                for c in value
            )
        elif key == "temperature":
            value = translate(f"temp_{value}")
        elif key == "status":
            value = translate(f"status_{value}")
        elif isinstance(value, list):
            value = separator.join(_names(value, names, key))
        elif key == "hub":
            value = names.get(str(value), str(value))
        elif key in ("deadline", "now", "start") and isinstance(value, str):
            value = _clock_if_iso(value)  # ISO, the site's zone: 'MM-DD HH:MM'
        values[key] = value
    message = f"why_{detail}"
    if detail == "capacity_held" and values.get("more"):
        message = "why_capacity_held_more"
    elif detail == "capacity_held" and not values.get("loads"):
        message = "why_capacity_held_unnamed"  # an enterprise's view: others' loads are not named
    if detail == "inbound_not_placed" and not values.get("loads"):
        message = "why_inbound_not_in_plan"
    if detail == "hub_closed" and values.get("note"):
        message = "why_hub_closed_note"
    words = translate(message, **values)
    return "" if words == message else words


# The time params of a repair's limits (ISO-8601 in the site's zone), said as the clock there.
_TIMES = ("start", "from", "end", "until", "deadline")


def _clock(iso: str, day: date | None) -> str:
    """'HH:MM' (the site's wall clock, as the ISO text carries its offset), 'MM-DD HH:MM' when
    the moment is on another day than `day`."""
    moment = datetime.fromisoformat(iso)
    return moment.strftime("%H:%M" if moment.date() == day else "%m-%d %H:%M")


def _clock_if_iso(text: str) -> str:
    """An ISO time as the site's clock ('MM-DD HH:MM'); other text (a plan stored before its
    times were ISO: already 'MM-DD HH:MM') as it is."""
    try:
        return _clock(text, None)
    except ValueError:
        return text


def limit_words(
    limit: Mapping[str, Any],
    translate: Translate,
    hub_names: Mapping[str, str] | None = None,
    day: date | None = None,
) -> str:
    """A limit of a repaired slot (`solver/why_not_earlier.Limit.as_dict()`: code, rule, params)
    as `why_<code>` words in `translate`'s language: hubs by name, temperatures by label, times
    as the site's clock ('HH:MM', with the date when not on `day`, by default the day of the
    limit's first time). "" when the code is newer than the catalogue."""
    params = limit.get("params") or {}
    names = hub_names or {}
    times = [str(params[k]) for k in _TIMES if params.get(k)]
    if day is None and times:
        day = datetime.fromisoformat(times[0]).date()
    values: dict[str, Any] = {}
    for key, value in params.items():
        if key in _TIMES and value:
            value = _clock(str(value), day)
        elif key in ("temperature", "zone_temperature"):
            value = translate(f"temp_{value}")
        elif key == "hub":
            value = names.get(str(value), str(value))
        values[key] = value
    message = f"why_{limit.get('code')}"
    try:
        words = translate(message, **values)
    except (KeyError, IndexError, ValueError):
        return ""
    return "" if words == message else words
