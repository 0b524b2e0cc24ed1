"""The XLSX import template explains itself: its notes sheet says what each column takes, in the
template's language (Chinese; English with `?lang=en` or on the English page), and points to no
file the sender does not have. Both languages import as they are. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import openpyxl

from hub_scheduler.sheets.load_rows import COLUMNS
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.test_import_sheets import upload
from tests.api.web_pages import signed_in

CJK = re.compile(r"[\u4e00-\u9fff]")


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _notes(book, name: str) -> tuple[list[str], dict[str, list]]:
    rows = [[c for c in row] for row in book[name].iter_rows(values_only=True)]
    text = [str(c) for row in rows for c in row if c is not None]
    by_header = {row[0]: list(row) for row in rows if row and row[0] and len(row) > 2 and row[2]}
    return text, by_header


def test_the_chinese_template_explains_every_column_in_chinese(client, tokens):
    response = client.get("/api/v1/loads/template.xlsx", headers=tokens["enterprise"])
    book = _book(response.data)
    assert book.sheetnames == ["导入", "说明"]
    text, by_header = _notes(book, "说明")
    assert not [t for t in text if "docs/" in t or ".md" in t]
    headers = [c.value for c in book["导入"][1]]
    assert len(headers) == len(COLUMNS)
    for header in headers:  # one line per column: header, required, what to write (Chinese)
        assert header in by_header, header
        _, required, what, _ = by_header[header]
        assert CJK.search(what), (header, what)
        assert (required == "是") == header.endswith("*")
    assert "温层：冷链或常温" in by_header["温层*"][2]
    assert by_header["预计到达*"][3] == "2026/11/28 07:50"


def test_the_english_template_is_english_and_imports_as_it_is(client, tokens):
    response = client.get("/api/v1/loads/template.xlsx?lang=en", headers=tokens["enterprise"])
    assert response.status_code == 200
    book = _book(response.data)
    assert book.sheetnames == ["Import", "Notes"]
    sheet = book["Import"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["id", "enterprise_id", "category*", "temperature*"]
    assert [c.value for c in sheet[2]][2:4] == ["medical_supplies", "cold"]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["D2"] == '"cold,ambient"' and '"yes,no"' in lists.values()
    text, by_header = _notes(book, "Notes")
    assert not [t for t in text if "docs/" in t]
    for header in headers:
        what = by_header[header][2]
        assert not CJK.search(what.replace("赣B12345", "")), (header, what)
    dry = upload(client, tokens["enterprise"], response.data, "template.xlsx", "?dry_run=true")
    assert dry.status_code == 200, dry.json
    assert dry.json["count"] == 1 and not dry.json["warnings"]


def test_the_page_gives_the_template_in_its_language(app, tokens):
    page = signed_in(app, tokens, "enterprise")
    assert _book(page.get("/loads/template.xlsx").data).sheetnames == ["导入", "说明"]
    page.get("/language/en")
    assert _book(page.get("/loads/template.xlsx").data).sheetnames == ["Import", "Notes"]


def _header_and_required(data: bytes) -> tuple[list, dict]:
    book = _book(data)
    header = [c.value for c in book["导入"][1]]
    _, by_header = _notes(book, "说明")
    return header, {h: by_header[h][1] for h in header}


def test_the_enterprise_column_is_optional_for_an_enterprise_and_required_for_the_centre(
    app, client, tokens
):
    """An enterprise may leave its column out of its sheet (the import fills its rows), so its
    template marks the column optional: no `*`, not required in the notes, and the example row
    names that enterprise (E02's imports as it is); the command centre's keeps `企业编号*`.
    The same on the page's XLSX and CSV templates. (Before: `企业编号*` for everyone.)"""
    theirs = client.get("/api/v1/loads/template.xlsx", headers=tokens["other_enterprise"])
    header, required = _header_and_required(theirs.data)
    assert header[1] == "企业编号" and required["企业编号"] in (None, "")
    assert required["货物类别*"] == "是"
    assert _book(theirs.data)["导入"]["B2"].value == "E02"
    dry = upload(client, tokens["other_enterprise"], theirs.data, "t.xlsx", "?dry_run=true")
    assert dry.status_code == 200 and dry.json["count"] == 1, dry.json

    for role in ("admin", "operator"):
        centre = client.get("/api/v1/loads/template.xlsx", headers=tokens[role])
        header, required = _header_and_required(centre.data)
        assert header[1] == "企业编号*" and required["企业编号*"] == "是", role
        assert _book(centre.data)["导入"]["B2"].value == "E01"

    for role, column in (("enterprise", "企业编号"), ("admin", "企业编号*")):
        page = signed_in(app, tokens, role)
        assert [c.value for c in _book(page.get("/loads/template.xlsx").data)["导入"][1]][1] == (
            column
        )
        csv_header = page.get("/loads/template.csv").data.decode("utf-8").lstrip("\ufeff")
        assert csv_header.split(",")[1] == column, role
