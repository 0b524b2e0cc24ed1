"""A sheet's problems on the loads page are said in the page's language, words and columns alike
(Chinese first, English by switch), and the API's problem details carry their codes and params."""

from __future__ import annotations

import html
import io
import re

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.api.web_pages import ZH, csrf, signed_in

EN = {"Accept-Language": "en"}
# due (期望完成) before release (预计到达), and a hub nobody knows
HEADER = "企业编号,货物类别,温层,装卸时长（分钟）,预计到达,期望完成,允许场站"
ROW = "E01,医疗物资,冷链,30,2026/11/28 9:00,2026/11/28 8:00,NOWHERE"


def _sheet() -> bytes:
    return f"{HEADER}\n{ROW}\n".encode()


def _check(client, headers: dict) -> str:
    return _upload(client, headers, _sheet().decode())


def test_a_due_before_release_is_said_in_chinese_under_its_chinese_column(app, tokens):
    page = _check(signed_in(app, tokens, "enterprise"), ZH)
    assert "不能早于预计到达时间" in page
    assert "未知场站“NOWHERE”" in page
    assert "must not be before release" not in page and "数据不合要求" not in page
    assert "<td>期望完成</td>" in page and "<td>允许场站</td>" in page
    assert "<code>due</code>" not in page and "<code>allowed_hubs</code>" not in page


def test_the_same_sheet_in_english_names_the_columns_in_english(app, tokens):
    page = _check(signed_in(app, tokens, "enterprise"), EN)
    assert "must not be before release" in page and 'unknown hub "NOWHERE"' in page
    assert "<td>due</td>" in page and "<td>allowed_hubs</td>" in page


def test_the_api_problem_details_carry_the_codes_and_params(client, tokens):
    errors = _api_errors(client, tokens, _sheet().decode())
    coded = {(e["column"], e["code"], str(e.get("params"))) for e in errors}
    assert coded == {
        ("due", "before_release", "None"),
        ("allowed_hubs", "unknown_hub", "{'value': 'NOWHERE'}"),
    }


# an id past 64 characters, a handling time that is no number and one past its limit (the
# request schema's problems), and a relay to a load nobody has (checked once the rows are good)
LONG_ID = "L" * 80
RELAY_HEADER = "车次编号,企业编号,货物类别,温层,装卸时长（分钟）,预计到达,期望完成,接驳去向"
RELAY_ROWS = (
    "A1,E01,医疗物资,冷链,30,2026/11/28 9:00,2026/11/28 12:00,Q9",
    f"{LONG_ID},E01,医疗物资,冷链,30,2026/11/28 9:00,2026/11/28 12:00,",
    "A3,E01,医疗物资,冷链,abc,2026/11/28 9:00,2026/11/28 12:00,",
    "A4,E01,医疗物资,冷链,99999,2026/11/28 9:00,2026/11/28 12:00,",
)


def _upload(client, headers: dict, text: str) -> str:
    token = csrf(client, "/loads")
    boundary, body = encode_multipart(
        {"csrf_token": token, "sheet": FileStorage(io.BytesIO(text.encode()), "loads.csv")}
    )
    response = client.post(
        "/loads/import",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _problems(page: str) -> str:
    start = page.index("<tbody", page.index("<th>"))
    return page[start : page.index("</tbody>", start)]


def _sheet_of(*rows: str) -> str:
    return "\n".join([RELAY_HEADER, *rows]) + "\n"


def _said(problems: str) -> str:
    return re.sub(r"<[^>]*>", "", problems)


def test_schema_problems_are_said_in_chinese(app, tokens):
    problems = _problems(
        _upload(signed_in(app, tokens, "enterprise"), ZH, _sheet_of(*RELAY_ROWS[1:]))
    )
    assert "最多 64 个字符" in problems  # pydantic's string_too_long, {max_length}
    assert "“abc”不是数字" in problems  # the cell reader's own
    assert "不能大于 10080" in problems  # pydantic's less_than_equal, {le}
    assert problems.count("不能大于 10080") == 1  # once, not by the schema and the load again
    assert "数据不合要求" not in problems
    assert not re.search(r"[A-Za-z]{4,}", _said(problems)), problems


def test_a_relay_problem_is_said_in_chinese(app, tokens):
    problems = _problems(
        _upload(signed_in(app, tokens, "enterprise"), ZH, _sheet_of(RELAY_ROWS[0]))
    )
    assert "未知车次“Q9”" in problems and "<td>接驳去向</td>" in problems
    assert "数据不合要求" not in problems
    assert not re.search(r"[A-Za-z]{4,}", _said(problems)), problems


def test_the_same_problems_in_english(app, tokens):
    client = signed_in(app, tokens, "enterprise")
    problems = _problems(_upload(client, EN, _sheet_of(*RELAY_ROWS[1:])))
    assert "must be at most 64 characters" in problems and "must be at most 10080" in problems
    assert 'unknown load "Q9"' in _problems(_upload(client, EN, _sheet_of(RELAY_ROWS[0])))


def _api_errors(client, tokens, sheet: str, role: str = "enterprise") -> list[dict]:
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(sheet.encode()), "loads.csv")}
    )
    response = client.post(
        "/api/v1/loads/import",
        data=body,
        headers=tokens[role],
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    return response.json["errors"]


def _api_codes(client, tokens, sheet: str) -> set[tuple]:
    errors = _api_errors(client, tokens, sheet)
    return {(e["cell"], e["code"], str(e.get("params"))) for e in errors}


def test_the_api_keeps_the_schema_and_relay_codes(client, tokens):
    assert _api_codes(client, tokens, _sheet_of(*RELAY_ROWS[1:])) == {
        ("A2", "string_too_long", "{'max_length': '64'}"),
        ("E3", "number", "{'value': 'abc'}"),
        ("E4", "less_than_equal", "{'le': '10080'}"),
    }
    assert _api_codes(client, tokens, _sheet_of(RELAY_ROWS[0])) == {
        ("H2", "relay_unknown", "{'load': 'Q9'}")
    }
