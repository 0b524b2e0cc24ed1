"""A bad query parameter is named in Chinese words in a Chinese answer (`?date=bad` -> 日期), by
the API (problem+json) and by the pages; English by the switch keeps the parameter's name. On
SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, signed_in

EN = {"Accept-Language": "en"}
ASCII_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/api/v1/plans/published?date=bad", "日期（date）"),
        ("/api/v1/plans?horizon=2026-13-01", "排程日期（horizon）"),
        ("/api/v1/loads?limit=x&status=zz", "状态（status）、每页条数（limit）"),
        ("/api/v1/loads?date=2026/11/28", "日期（date）"),
    ],
)
def test_the_api_names_a_bad_query_parameter_in_chinese(client, tokens, path, words):
    response = client.get(path, headers={**tokens["admin"], **ZH})
    assert response.status_code == 422
    assert response.json["detail"] == f"查询参数不符合要求：{words}"
    for error in response.json["errors"]:
        # the words are Chinese but for the parameter's name and the values (in brackets)
        bare = re.sub(r"（[^）]*）|YYYY-MM-DD", "", error["message"])
        assert not ASCII_WORD.search(bare), error
    english = client.get(path, headers={**tokens["admin"], **EN})
    assert english.json["detail"].startswith("the query parameters are not valid: ")


def test_a_bad_date_says_why_in_chinese(client, tokens):
    """pydantic's own reason ("input is too short") never reaches a reader: its error type is the
    code, said in Chinese (api/problem_words.py)."""
    response = client.get("/api/v1/plans/published?date=bad", headers={**tokens["admin"], **ZH})
    assert response.json["errors"] == [
        {
            "field": "date",
            "code": "date_from_datetime_parsing",
            "message": "不是有效的日期（YYYY-MM-DD）",
        }
    ]
    month = client.get("/api/v1/plans/published?date=2026-13-01", headers={**tokens["admin"], **ZH})
    assert month.json["errors"][0]["message"] == "不是有效的日期（YYYY-MM-DD）"


@pytest.mark.parametrize(
    ("role", "path", "words"),
    [
        ("admin", "/plans/published?date=bad", "日期：格式应为 YYYY-MM-DD。"),
        ("admin", "/plans/published?from=x", "起始时刻：应为 0 到 24 的整点。"),
        ("admin", "/plans/published?zoom=7", "缩放比例：请选择页面提供的缩放比例。"),
        ("admin", "/board?date=bad", "日期：格式应为 YYYY-MM-DD。"),
        ("admin", "/plans/compare?a=x&b=1", "排程 A：应为排程编号。"),
        ("enterprise", "/loads?date=bad", "日期：格式应为 YYYY-MM-DD。"),
    ],
)
def test_the_pages_name_a_bad_query_parameter_in_chinese(app, tokens, role, path, words):
    page = signed_in(app, tokens, role)
    response = page.get(path, headers=ZH)
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    page.get("/language/en")
    english = page.get(path).get_data(as_text=True)
    assert words.split("：")[0] not in english
