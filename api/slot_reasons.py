"""Why a repaired slot is not earlier, in the reader's language: the check-in answer's `reasons`
and a load's `slot_changed.reasons` (`PATCH /loads/{id}`, `GET /loads/{id}`, `GET /loads`) as
{code, rule, params, message}. The limits come from the domain
(`hub_scheduler/solver/why_not_earlier.py`) as codes and params; the message is written here, at
the edge, from the pages' catalogue (`why_<code>`, `api/web/reason_messages.py`) in the request's
language (the switch's cookie, else Accept-Language, else zh-CN:
`api.problem_words.problem_language`), hubs by name, times as the site's clock."""

from __future__ import annotations

from typing import Any

from flask import g

from api.database import db
from api.problem_words import problem_language
from hub_scheduler.domain import Load
from hub_scheduler.reason_words import limit_words


def said_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`reasons` ({code, rule, params}) each with its `message` in the request's language."""
    if not reasons:
        return []
    from api.web.i18n import translator  # api.web imports the pages, which import the API's

    translate = translator(problem_language())
    if "slot_reason_hubs" not in g:  # read once per request (a page of loads)
        uow = db.read_uow()
        with uow:
            g.slot_reason_hubs = {h.id: h.name or h.id for h in uow.hubs.list()}
    names = g.slot_reason_hubs
    return [{**r, "message": limit_words(r, translate, names)} for r in reasons]


def said_checks(checks: list[Any]) -> list[dict[str, Any]]:
    """The entry checks a driver failed at the gate (`screening.FailedCheck`s) as {code, params,
    message}: the message is the gate page's sentence for the check, with its values, in the
    request's language (`check_<code>`, api/web/gate_messages.py), the code itself when it has
    none."""
    if not checks:
        return []
    from api.web.gate import check_text
    from api.web.i18n import translator

    say = translator(problem_language())
    return [
        {"code": c.code, "params": dict(c.params), "message": check_text(c.code, c.params, say)}
        for c in checks
    ]


def with_said_slot_changed(load: Load) -> Load | dict[str, Any]:
    """The load as the API shows it, its `slot_changed.reasons` (when any) with their messages."""
    changed = load.slot_changed
    if not changed or not changed.get("reasons"):
        return load
    said = {**changed, "reasons": said_reasons(changed["reasons"])}
    return {**load.model_dump(mode="python"), "slot_changed": said}
