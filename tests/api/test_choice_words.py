"""A value outside a choice (a category, a temperature) is refused in Chinese by the choices'
Chinese names, the code in brackets at most: over the JSON API and the sheet import, on
SQLite and PostgreSQL; English by the switch keeps the codes."""

from __future__ import annotations

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body
from tests.api.test_import_sheets import ZH_HEADER, ZH_ROW, csv_of, upload
from tests.api.web_pages import ZH

CATEGORIES = "医疗物资、生活必需品、政府储备物资、邮政快递、农产品、能源、原材料、其他"


def test_a_bad_category_over_the_json_api_lists_the_chinese_names_first(client, tokens, xunwu):
    body = load_body(xunwu, 0, category="food")
    response = client.post("/api/v1/loads", json=body, headers={**tokens["enterprise"], **ZH})
    assert response.status_code == 422
    (error,) = response.json["errors"]
    assert error["field"] == "category"
    assert error["message"].startswith("须为以下之一：医疗物资（medical_supplies）、生活必需品（")
    assert error["message"].endswith("或其他（other）")
    english = client.post(
        "/api/v1/loads", json=body, headers={**tokens["enterprise"], "Accept-Language": "en"}
    )
    assert english.json["errors"][0]["message"].startswith('must be "medical_supplies"')


def test_a_bad_category_in_a_sheet_lists_the_chinese_words(client, tokens):
    data = csv_of(ZH_HEADER, ZH_ROW.replace("医疗物资", "玩具").replace("冷链", "冰冻"))
    response = upload(client, {**tokens["admin"], **ZH}, data, "loads.csv")
    assert response.status_code == 422
    messages = [e["message"] for e in response.json["errors"]]
    assert f"“玩具”不是可选值；请填写：{CATEGORIES}（或其代码：medical_supplies, " in messages[0]
    assert messages[1].startswith("“冰冻”不是可选值；请填写：冷链、常温（或其代码：cold, ambient）")
