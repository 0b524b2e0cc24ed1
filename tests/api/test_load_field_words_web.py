"""The loads page names each field by one term: the submit form's labels, the loads list's
column heads and the sheet's error table all say what the sheet template's header says
(docs/sheets.md; before: 温度/温层, 到达/预计到达, 期望完成时间/期望完成), and the choices say the
sheet's words (before: 生产原料 on the form, 原材料 in the sheet's drop-down)."""

from __future__ import annotations

import html
import io
import re

import pytest

from api.web.messages import ZH as PAGE_ZH
from hub_scheduler import domain
from hub_scheduler.sheets.load_rows import COLUMNS
from hub_scheduler.sheets.template import header_name
from hub_scheduler.sheets.vocabulary import CHOICES
from models.scenario_store import store_scenario
from tests.api.test_sheet_problems_words import _upload
from tests.api.web_pages import ZH, signed_in

PREFIXES = {
    domain.CargoCategory: "cat_",
    domain.Temperature: "temp_",
    domain.HealthCode: "code_",
    domain.TestType: "test_",
    domain.TestResult: "result_",
}
# a due before its release and a plate too long: problems under 期望完成 and 车牌号
SHEET = (
    "企业编号,货物类别,温层,装卸时长（分钟）,预计到达,期望完成,车牌号\n"
    f"E01,原材料,冷链,30,2026/11/28 9:00,2026/11/28 8:00,{'赣' * 30}\n"
)


def _labels(page: str) -> dict[str, str]:
    """The submit form's field -> its label's text (without the "(optional)" mark)."""
    found = re.findall(r'<label for="([a-z_]+)">([^<]+)</label>', page)
    return {name: html.unescape(text).removesuffix("（可选）") for name, text in found}


def _sheet_name(column: str) -> str:
    return header_name(column).rstrip("*")


@pytest.fixture
def enterprise(app, tokens):
    return signed_in(app, tokens, "enterprise")


def test_the_form_says_each_field_as_the_sheet_template_heads_it(enterprise):
    page = enterprise.get("/loads", headers=ZH).get_data(as_text=True)
    labels = _labels(page)
    for field, said in (("temperature", "温层"), ("release", "预计到达"), ("due", "期望完成")):
        assert labels[field] == said == _sheet_name(field)
    on_the_form = [c for c in COLUMNS if c in labels]
    assert len(on_the_form) >= 15, labels
    assert {c: labels[c] for c in on_the_form} == {c: _sheet_name(c) for c in on_the_form}


def test_the_loads_list_heads_its_columns_as_the_form_labels_them(app, tokens, uow, xunwu):
    store_scenario(uow, xunwu)
    page = signed_in(app, tokens, "admin").get("/loads", headers=ZH).get_data(as_text=True)
    heads = re.search(r'id="loads-table".*?</thead>', page, re.S).group(0)
    assert all(f"<th>{_sheet_name(c)}</th>" in heads for c in ("temperature", "release", "due"))
    assert "<th>温度</th>" not in heads and "<th>到达</th>" not in heads


def test_the_error_table_names_a_column_as_the_form_labels_its_field(enterprise):
    form = _labels(enterprise.get("/loads", headers=ZH).get_data(as_text=True))
    page = _upload(enterprise, ZH, SHEET)
    rows = re.findall(r'<tr data-row="\d*" data-column="([a-z_]+)">.*?</tr>', page, re.S)
    columns = dict(
        re.findall(r'data-column="([a-z_]+)"><td>.*?</td><td>.*?</td><td>([^<]+)</td>', page)
    )
    assert {"due", "vehicle_plate"} <= set(rows), rows
    assert columns["due"] == form["due"] == "期望完成"
    assert columns["vehicle_plate"] == form["vehicle_plate"] == "车牌号"


def test_every_choice_on_the_pages_is_the_sheets_word():
    """The form's drop-downs and the pages say a value by the sheet's first word for it."""
    for family, words in CHOICES.items():
        for value, accepted in words.items():
            assert PAGE_ZH[PREFIXES[family] + value.value] == accepted[0], value


def test_the_csv_template_has_the_chinese_headers_of_the_excel_one_and_imports(app, tokens, client):
    """(Before: the page's "下载模板（CSV）" gave the column codes: id,enterprise_id,...)"""
    page = signed_in(app, tokens, "enterprise")
    response = page.get("/loads/template.csv", headers=ZH)
    assert (
        response.status_code == 200
        and "loads-template.csv" in response.headers["Content-Disposition"]
    )
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 by its BOM
    header = text.removeprefix("\ufeff").splitlines()[0]
    assert header.split(",") == [header_name(c, own_enterprise="E01") for c in COLUMNS]
    assert header.startswith("车次编号,企业编号,货物类别*,温层*")  # its own: the column optional
    row = {"enterprise_id": "E01", "category": "原材料", "temperature": "常温"}
    row |= {"handling_minutes": "30", "release": "2026/11/28 9:00", "due": "2026/11/28 12:00"}
    sheet = text + ",".join(row.get(c, "") for c in COLUMNS) + "\r\n"
    imported = client.post(
        "/api/v1/loads/import?dry_run=true",
        data={"file": (io.BytesIO(sheet.encode("utf-8")), "template.csv")},
        headers=tokens["enterprise"],
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200 and imported.json["count"] == 1, imported.json
    assert imported.json["unknown_columns"] == 0
