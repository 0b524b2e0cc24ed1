"""The gate page's words for a white-list refusal name the entry's date (gate_refusals.py)."""

from __future__ import annotations

import pytest

from api.web.gate_refusals import refusal_words
from hub_scheduler.errors import Conflict, FieldError


def _refused(code: str, **params: str) -> Conflict:
    error = FieldError(field="enterprise_id", message="-", code=code, params=params)
    return Conflict("refused", [error])


@pytest.mark.parametrize(
    ("code", "params", "zh", "en"),
    [
        (
            "gate_whitelist_expired",
            {"enterprise": "赣南脐橙合作社", "day": "2026-11-28", "valid_until": "2026-11-27"},
            "车次 B1 不予入场登记：企业 赣南脐橙合作社 的白名单有效期已于 2026-11-27 截止",
            "ended on 2026-11-27",
        ),
        (
            "gate_whitelist_not_yet_valid",
            {"enterprise": "赣南脐橙合作社", "day": "2026-11-28", "valid_from": "2026-11-29"},
            "车次 B1 不予入场登记：企业 赣南脐橙合作社 的白名单自 2026-11-29 起生效",
            "starts on 2026-11-29",
        ),
    ],
)
def test_a_white_list_refusal_names_the_entry_date_in_both_languages(app, code, params, zh, en):
    with app.test_request_context("/gate", headers={"Accept-Language": "zh-CN"}):
        assert zh in (refusal_words(_refused(code, **params), "E1/B1") or "")
    with app.test_request_context("/gate", headers={"Accept-Language": "en"}):
        assert en in (refusal_words(_refused(code, **params), "E1/B1") or "")
