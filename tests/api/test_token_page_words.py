"""The token page speaks the page's language throughout: a refused token names the field by its
label and says the problem in Chinese (before: `enterprise_id：is required for an enterprise
token`), the list's headers are Chinese; English by the switch."""

from __future__ import annotations

import re

import pytest

from api.web.signin import CSRF_FIELD
from tests.api.web_pages import ZH, csrf, signed_in

EN = {"Accept-Language": "en"}


def _refusal(admin, headers, **fields) -> tuple[int, str]:
    data = {CSRF_FIELD: csrf(admin, "/admin/tokens"), **fields}
    answer = admin.post("/admin/tokens", data=data, headers=headers)
    said = re.search(r'id="token-error">(.*?)</p>', answer.get_data(as_text=True)).group(1)
    return answer.status_code, said


@pytest.mark.parametrize(
    ("fields", "chinese", "english"),
    [
        (
            {"role": "enterprise"},
            "企业：企业令牌必填",
            "Enterprise: is required for an enterprise token",
        ),
        (
            {"role": "operator", "enterprise_id": "E01"},
            "企业：场站操作员令牌须留空",
            "Enterprise: must be empty for a operator token",
        ),
        ({"role": "admin", "expires_in_days": "9999"}, "有效天数：须为 1 到 3650 天", None),
        ({"role": "boss"}, "角色：请从列表中选择。", None),
    ],
)
def test_a_refused_token_is_said_in_chinese_naming_the_field(
    app, seeded, tokens, fields, chinese, english
):
    admin = signed_in(app, tokens, "admin")
    status, said = _refusal(admin, ZH, **fields)
    assert status == 422 and said.startswith(chinese)
    assert not re.search(r"[a-z_]{3,}", said), said  # no field name, no English word
    if english:
        assert _refusal(admin, EN, **fields) == (422, english)


def test_the_token_list_has_no_english_header(app, seeded, tokens):
    text = signed_in(app, tokens, "admin").get("/admin/tokens", headers=ZH).get_data(as_text=True)
    table = re.search(r"<table.*?</thead>", text, re.S).group(0)
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert headers[:3] == ["编号", "角色", "企业"]
