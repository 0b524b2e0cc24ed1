"""A sheet's problems on the loads page are said in the page's language, words and columns alike
(Chinese first, English by switch), and the API's problem details carry their codes and params."""

from __future__ import annotations

import html
import io

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
    token = csrf(client, "/loads")
    boundary, body = encode_multipart(
        {"csrf_token": token, "sheet": FileStorage(io.BytesIO(_sheet()), "loads.csv")}
    )
    response = client.post(
        "/loads/import",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


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
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(_sheet()), "loads.csv")})
    response = client.post(
        "/api/v1/loads/import",
        data=body,
        headers=tokens["enterprise"],
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    coded = {(e["column"], e["code"], str(e.get("params"))) for e in response.json["errors"]}
    assert coded == {
        ("due", "before_release", "None"),
        ("allowed_hubs", "unknown_hub", "{'value': 'NOWHERE'}"),
    }
