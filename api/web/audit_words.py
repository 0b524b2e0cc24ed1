"""An audit entry's details in words (the audit page): every key by its label
(`audit_key_<key>`, api/web/audit_messages.py), statuses and codes by their words, times in the
site's zone to the minute, loads as `id · enterprise`, numbers grouped, lists joined. A repair's
or a hold's reason (`{code, params}`) is said as the code's sentence, its params as details of
their own."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from api.web.i18n import current_language, translate
from api.web.load_fields import field_label
from api.web.messages import EN
from api.web.zone import local
from hub_scheduler import load_keys
from hub_scheduler.domain import HubStatus, LoadStatus
from hub_scheduler.records import ProposalStatus
from hub_scheduler.sheets.load_rows import COLUMNS

LISTED = 20  # items of a list shown in a detail; the rest are counted
# Reasons the services write as fixed English words (a re-plan's `reason` param, kept so by the
# stored plans and migration 0002): shown by their coded label.
SYSTEM_REASONS = {
    "incident: a positive case": "audit_reason_POSITIVE_CASE",
    "asked for on the timeline page": "audit_reason_TIMELINE_PAGE",  # api/web/timeline.py
}
# ... and fixed English words before a typed reason (services/activations.py, services/hubs.py)
REASON_PREFIXES = {
    "activation: ": "audit_reason_activation",
    "undone, the slots could not be withdrawn: ": "audit_reason_undone",
}
# ... and services/hubs.py's re-plan reason after a switch: "hub XW-TS suspended: <typed reason>"
_SWITCH = re.compile(rf"hub (\S+) ({'|'.join(s.value for s in HubStatus)}): (.*)", re.S)
# Keys whose value is a code with a sentence (`audit_reason_<code>`): a repair's or a hold's
# `code`, a shift's `cause`, a system-made window's or a cancel's `reason_code`.
CODE_KEYS = ("code", "cause", "reason_code")
# Keys whose values are loads by key (`E01/FU-101`), shown as `FU-101 · E01`.
LOAD_KEYS = (
    "load_id",
    "load_ids",
    "source_load_id",
    "for_load",
    "moved",
    "cancelled",
    "dropped",
    "kept_on_site",
    "start_moved",
    "held_elsewhere",
    "inbound",
    "outbound",
    "partner_load",
)
STATUS_KEYS = ("from", "to", "status")
_STATUS_LABELS = (
    {s.value: "load_" + s.value for s in LoadStatus}
    | {s.value: "status_" + s.value for s in HubStatus}
    | {s.value: "audit_proposal_" + s.value for s in ProposalStatus}
)
# As the services write a moment: ISO 8601 with a time (and maybe seconds, fractions, offset).
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_CHECK = re.compile(r"([A-Z_]+): ")  # a failed entry check as stored: "FEVER: body temperature..."


def _number(value: int | float) -> str:
    """1463135.0 -> 1,463,135; 0.4567 -> 0.46."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def _moment(text: str) -> str | None:
    """An ISO moment in the site's zone to the minute, as the pages show times; None if not one."""
    if not _MOMENT.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = local(moment) or moment
    return moment.strftime("%Y-%m-%d %H:%M")


def _coded(prefix: str, text: str) -> str | None:
    return translate(prefix + text) if prefix + text in EN else None


def _text(key: str, text: str) -> str:
    if key in LOAD_KEYS and "/" in text:
        return _load(text, None)
    said = (
        _moment(text)
        or (key == "role" and _coded("role_", text))
        or (key == "reason" and _reason(text))
        or (key in CODE_KEYS and _coded("audit_reason_", text))
        or (key in STATUS_KEYS and text in _STATUS_LABELS and translate(_STATUS_LABELS[text]))
        or (key == "kind" and (_coded("audit_kind_value_", text) or _coded("report_kind_", text)))
        or (key == "deadline_field" and _coded("audit_key_", text))
        or (key == "events" and _coded("event_", text))
        or (key == "fields" and _field(text))
        or (key == "failed_checks" and _check(text))
    )
    return said or text


def _field(name: str) -> str | None:
    """A changed field of a load (load.update: as the loads page names it) or of a hub."""
    if name in COLUMNS:
        return field_label(name)
    return _coded("hubadmin_field_", name) or _coded("audit_key_", name)


def said_reason(text: str) -> str | None:
    """A re-plan's reason as the services write it (`incident: a positive case`, `activation:
    <typed>`, `hub XW-TS suspended: <typed>`) in the page's language; None for a typed reason."""
    return _reason(text)


def _reason(text: str) -> str | None:
    if text in SYSTEM_REASONS:
        return translate(SYSTEM_REASONS[text])
    for prefix, message in REASON_PREFIXES.items():
        if text.startswith(prefix):
            return translate(message, reason=_reason(text[len(prefix) :]) or text[len(prefix) :])
    if switch := _SWITCH.fullmatch(text):
        hub, status, typed = switch.groups()
        said = translate(f"status_{status}") if current_language() == "zh-CN" else status
        return translate("audit_reason_switch", hub=hub, status=said, reason=typed)
    return None


def _check(text: str) -> str | None:
    """A failed entry check as stored ("FEVER: body temperature ...") by its code's short label."""
    found = _CHECK.match(text)
    if found is None or current_language() != "zh-CN":
        return None  # the English is the stored message itself
    return _coded("audit_check_", found.group(1))


def detail_value(key: str, value: Any) -> str:
    """One detail's value in words."""
    if isinstance(value, bool):
        return translate("audit_yes" if value else "audit_no")
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dict):
        if isinstance(value.get("load_id"), str):  # load_keys.ref
            return _load(value["load_id"], value.get("enterprise_id"))
        sep = translate("audit_sep")
        return sep.join(
            f"{label}{translate('colon')}{said}" for label, said in shown_details(value)
        )
    if isinstance(value, list | tuple):
        sep = "、" if current_language() == "zh-CN" else ", "
        said = sep.join(detail_value(key, v) for v in value[:LISTED])
        if len(value) > LISTED:
            said += " " + translate("audit_more", n=len(value) - LISTED)
        return said
    return _text(key, str(value))


def _load(key: str, enterprise: str | None) -> str:
    enterprise = enterprise or load_keys.enterprise_of(key)
    return f"{load_keys.local(key)} · {enterprise}" if enterprise else load_keys.local(key)


def label(key: str) -> str:
    """A detail's key by its label; a key without one (a newer service's) as it is."""
    return translate("audit_key_" + key) if "audit_key_" + key in EN else key


def _flat(details: dict[str, Any]) -> list[tuple[str, Any]]:
    """The details with a reason's `params` (a repair's, a hold's) as details of their own."""
    items: list[tuple[str, Any]] = []
    for key, said in details.items():
        if key == "params" and isinstance(said, dict):
            items += list(said.items())
        else:
            items.append((key, said))
    return items


def shown_details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """An entry's details as (label, value) in the page's language, empty ones left out."""
    return [
        (label(k), detail_value(k, v)) for k, v in _flat(details) if v not in (None, "", [], {})
    ]
