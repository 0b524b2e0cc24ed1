"""A failed plan job's reason in the reader's language: the API's `error_message`, the pages.

A job that failed stores a code and its params (`hub_scheduler/services/job_failures.py`) beside
its English `error`. Here, at the edge, the code is said by the catalogue's `job_err_<code>`
words (api/web/job_messages.py, zh-CN and English) with its params: seconds and counts as
numbers, a verifier's first finding by `api.verify_words`, a part's status by its label. A job
failed before the codes (migration 0012) or with a code this version has no words for keeps its
English `error`, as it was shown before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from api.verify_words import finding_words
from hub_scheduler.records import Plan

Translate = Callable[..., str]


def _number(value: Any) -> Any:
    """130.0 -> "130", 2.5 -> "2.5": seconds as a person writes them; anything else as it is."""
    return f"{value:g}" if isinstance(value, float) else value


def _first_finding(params: Mapping[str, Any], translate: Translate) -> str:
    """The first broken rule the verifier found, in `translate`'s language (its English text
    when it came without a code)."""
    code = params.get("finding")
    if isinstance(code, str):
        return finding_words(code, params.get("finding_params") or {}, translate)
    return str(params.get("first") or "")


def _parts(params: Mapping[str, Any], translate: Translate) -> str:
    """The parts that did not succeed: `#12 失败、#13 已取消`."""
    parts = params.get("parts") or []
    said = [f"#{p.get('id')} {translate('job_' + str(p.get('status')))}" for p in parts]
    return translate("list_sep").join(said)


def failure_words(code: str, params: Mapping[str, Any], translate: Translate) -> str | None:
    """The failure `code` with `params` in `translate`'s language ((message id, **values) ->
    text); None when the catalogue has no words for the code (the caller says its English)."""
    values = {name: _number(value) for name, value in params.items()}
    values.pop("parts", None)  # said below; a list of dicts is no word
    values.pop("finding_params", None)
    if "finding" in params or "first" in params:
        values["first"] = _first_finding(params, translate)
    if "parts" in params:
        values["parts"] = _parts(params, translate)
    message = f"job_err_{code}"
    template = translate(message)  # filled here: `translate` leaves a template unfilled
    if template == message:
        return None
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return None  # stored params this version's words do not fit


def error_words(
    error: str | None, code: str | None, params: Mapping[str, Any] | None, translate: Translate
) -> str | None:
    """A stored failure (English `error`, `code`, `params`) as its reader is told it: the
    code's words, else the English `error` (a job failed before the codes); None when there is
    no failure."""
    if code:
        words = failure_words(code, params or {}, translate)
        if words is not None:
            return words
    return error


def plan_failed_words(params: Mapping[str, Any], translate: Translate) -> str:
    """Why a plan job ended without a plan (the params of a `plan_failed` problem,
    `services.plans.plan_failed`): its failure's words, else that it ended in its status."""
    code = params.get("error_code")
    if isinstance(code, str):
        words = failure_words(code, params.get("error_params") or {}, translate)
        if words is not None:
            return words
    return translate("job_err_ended", status=translate(f"job_{params.get('status')}"))


def job_error_words(plan: Plan, translate: Translate) -> str | None:
    """What a failed `plan` job's reason says to its reader (`error_words`)."""
    return error_words(plan.error, plan.error_code, plan.error_params, translate)
