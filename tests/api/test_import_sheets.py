"""The sheet import over HTTP: real sheets, server-made ids, retries, the JSON API's limits, hostile
files, the template, and a fuzz property (4xx or success, never a 500, never a half write)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.api.conftest import load_body

CASES = Path(__file__).resolve().parents[1] / "cases"
IMPORT = "/api/v1/loads/import"
CST = timezone(timedelta(hours=8))
ZH_HEADER = "企业编号,货物类别,温层,装卸时长（分钟）,预计到达,期望完成"
ZH_ROW = "E01,医疗物资,冷链,30,2026/11/28 7:50,2026/11/28 10:00"


def _count(uow) -> int:
    with uow:
        return uow.loads.count()


def upload(client, headers, data: bytes, name: str, query: str = "", key: str | None = None):
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    # encoded here in memory: werkzeug's test client would spool a large body to a temporary
    # file it never closes (a ResourceWarning in a later test)
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post(
        IMPORT + query,
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def csv_of(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_the_sheet_chinese_excel_saved_back_imports(client, tokens, uow):
    data = (CASES / "sheet-excel-resaved-dates-gbk.csv").read_bytes()
    response = upload(client, tokens["admin"], data, "sheet-excel-resaved-dates-gbk.csv")
    assert response.status_code == 201, response.json
    assert response.json["load_ids"] == ["X001", "X002", "X003", "X004", "X005"]
    with uow:
        assert uow.loads.get("E01/X002").release == datetime(2026, 11, 28, 7, 50, tzinfo=CST)


def test_rows_without_an_id_get_one_and_a_retry_with_the_key_adds_nothing(client, tokens, uow):
    data = csv_of(ZH_HEADER, ZH_ROW, ZH_ROW.replace("30", "45"))
    first = upload(client, tokens["enterprise"], data, "a.csv", key="sheet-1")
    assert first.status_code == 201, first.json
    made = first.json["generated_ids"]
    assert sorted(made) == ["2", "3"] and first.json["load_ids"] == [made["2"], made["3"]]
    again = upload(client, tokens["enterprise"], data, "a.csv", key="sheet-1")
    assert again.status_code == 200 and again.json["replayed"] is True
    assert again.json["load_ids"] == first.json["load_ids"]
    assert again.json["generated_ids"] == made
    assert _count(uow) == 2
    other = upload(client, tokens["enterprise"], csv_of(ZH_HEADER, ZH_ROW), "b.csv", key="sheet-1")
    assert other.status_code == 409 and other.mimetype == "application/problem+json"
    assert _count(uow) == 2
    fresh = upload(client, tokens["enterprise"], data, "a.csv", key="sheet-2")
    assert fresh.status_code == 201 and _count(uow) == 4


def test_a_dry_run_with_a_key_does_not_use_the_key(client, tokens, uow):
    data = csv_of(ZH_HEADER, ZH_ROW)
    dry = upload(client, tokens["enterprise"], data, "a.csv", "?dry_run=true", key="k")
    assert dry.status_code == 200 and _count(uow) == 0
    real = upload(client, tokens["enterprise"], data, "a.csv", key="k")
    assert real.status_code == 201 and real.json["replayed"] is False and _count(uow) == 1


# The JSON API's limits, whatever they are today: a sheet must refuse what POST /loads refuses.
OVER_LIMITS = [
    ("id", "x" * 65, "A"),
    ("vehicle_plate", "赣B" + "1" * 19, "H"),
    ("id", "L\x001", "A"),
    ("vehicle_plate", "赣B\x0012345", "H"),
]


@pytest.mark.parametrize(("field", "value", "letter"), OVER_LIMITS)
@pytest.mark.parametrize("query", ["", "?dry_run=true"])
def test_a_sheet_cell_obeys_the_json_apis_limits(
    client, tokens, xunwu, uow, field, value, letter, query
):
    body = load_body(xunwu, **{field: value})
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 422
    header = "id,enterprise_id,category,temperature,handling_minutes,release,due,vehicle_plate"
    cells = {"id": "S1", "vehicle_plate": "赣B12345", field: value}
    row = f"{cells['id']},E01,energy,ambient,30,2026/11/28 7:50,2026/11/28 9:50,"
    row += cells["vehicle_plate"]
    response = upload(client, tokens["enterprise"], csv_of(header, row), "x.csv", query)
    assert response.status_code == 422, response.json
    (error,) = response.json["errors"]
    assert (error["cell"], error["column"]) == (f"{letter}2", field)
    assert _count(uow) == 0


def test_an_enterprise_token_imports_only_its_own_rows(client, tokens, uow):
    data = csv_of(ZH_HEADER, ZH_ROW, ZH_ROW.replace("E01", "E02"))
    response = upload(client, tokens["enterprise"], data, "x.csv")
    assert response.status_code == 422
    assert [(e["cell"], e["code"]) for e in response.json["errors"]] == [
        ("A3", "not_your_enterprise")
    ]
    assert _count(uow) == 0


NO_ENTERPRISE_HEADER = "货物类别,温层,装卸时长（分钟）,预计到达,期望完成"
NO_ENTERPRISE_ROW = "医疗物资,冷链,30,2026/11/28 7:50,2026/11/28 10:00"


@pytest.mark.parametrize("name", ["x.csv", "x.xlsx"])
def test_an_enterprise_may_leave_out_the_enterprise_column(client, tokens, uow, name):
    data = csv_of(NO_ENTERPRISE_HEADER, NO_ENTERPRISE_ROW, NO_ENTERPRISE_ROW.replace("30", "45"))
    if name.endswith(".xlsx"):
        book = openpyxl.Workbook()
        for line in data.decode().splitlines():
            book.active.append(line.split(","))
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    response = upload(client, tokens["enterprise"], data, name)
    assert response.status_code == 201, response.json
    with uow:
        stored = uow.loads.get_many([f"E01/{i}" for i in response.json["load_ids"]])
    assert sorted(ld.handling_minutes for ld in stored) == [30, 45]
    assert {ld.enterprise_id for ld in stored} == {"E01"}


def test_an_enterprise_may_leave_the_enterprise_cell_blank(client, tokens, uow):
    data = csv_of(ZH_HEADER, ZH_ROW, ZH_ROW.replace("E01", "").replace("30", "45"))
    response = upload(client, tokens["enterprise"], data, "x.csv")
    assert response.status_code == 201, response.json
    assert _count(uow) == 2


def test_a_blank_row_naming_another_enterprise_is_refused_at_its_cell(client, tokens, uow):
    """The column left blank on one row and naming E02 on another: the E02 row is refused at its
    cell, in words that do not say whether E02 exists, and nothing is stored."""
    data = csv_of(ZH_HEADER, ZH_ROW.replace("E01", ""), ZH_ROW.replace("E01", "E02"))
    response = upload(client, tokens["enterprise"], data, "x.csv")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert [(e["cell"], e["column"], e["code"]) for e in response.json["errors"]] == [
        ("A3", "enterprise_id", "not_your_enterprise")
    ]
    assert response.json["errors"][0]["params"] == {"enterprise": "E01"}
    assert _count(uow) == 0


def test_the_command_centre_must_name_the_enterprise(client, tokens, uow):
    missing = upload(
        client, tokens["admin"], csv_of(NO_ENTERPRISE_HEADER, NO_ENTERPRISE_ROW), "x.csv"
    )
    assert missing.status_code == 422
    assert [(e["column"], e["code"]) for e in missing.json["errors"]] == [
        ("enterprise_id", "column_missing")
    ]
    blank = upload(client, tokens["admin"], csv_of(ZH_HEADER, ZH_ROW.replace("E01", "")), "y.csv")
    assert blank.status_code == 422
    assert [(e["cell"], e["code"]) for e in blank.json["errors"]] == [("A2", "required")]
    assert _count(uow) == 0


# --- hostile and large files ----------------------------------------------------------------------


def test_more_rows_than_the_limit_is_a_413_naming_the_limit(client, tokens, uow):
    data = csv_of(ZH_HEADER, *["E01,energy,cold,30,2026/11/28,2026/11/28"] * 20_001)
    assert len(data) < 1_000_000  # under the request limit: it is the sheet check that refuses
    response = upload(client, tokens["admin"], data, "big.csv")
    assert response.status_code == 413, response.json
    assert response.json["errors"][0]["code"] == "too_many_rows"
    assert "20000" in response.json["detail"] and _count(uow) == 0


def xlsx_bomb(unpacked_mb: int) -> bytes:
    """A real workbook whose sheet XML is padded to `unpacked_mb` of blanks: tiny compressed."""
    book = openpyxl.Workbook()
    book.active.append(ZH_HEADER.split(","))
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, content)
                continue
            head, _, tail = content.partition(b"<sheetData>")
            with dst.open(info.filename, "w", force_zip64=True) as stream:
                stream.write(head + b"<sheetData>")
                for _ in range(unpacked_mb):
                    stream.write(b" " * (1 << 20))
                stream.write(tail)
    return out.getvalue()


def test_a_zip_bomb_is_refused_by_its_unpacked_size_before_parsing(client, tokens, uow):
    data = xlsx_bomb(100)
    assert len(data) < 1_000_000  # under the request limit: it is the sheet check that refuses
    response = upload(client, tokens["admin"], data, "bomb.xlsx")
    assert response.status_code == 413, response.json
    assert response.json["errors"][0]["code"] == "unpacked_too_large"
    assert _count(uow) == 0


def test_a_cell_at_the_end_of_the_sheet_is_refused_before_parsing(client, tokens):
    book = openpyxl.Workbook()
    book.active.append(ZH_HEADER.split(","))
    book.active["XFD1048576"] = "x"  # a dense reader would allocate 17 billion cells
    out = io.BytesIO()
    book.save(out)
    response = upload(client, tokens["admin"], out.getvalue(), "far.xlsx")
    assert response.status_code == 413
    assert response.json["errors"][0]["code"] == "too_many_rows"


def test_an_ods_row_repeated_a_hundred_thousand_times_is_refused(client, tokens):
    import pandas as pd

    plain = io.BytesIO()
    pd.DataFrame([ZH_HEADER.split(",")]).to_excel(plain, engine="odf", index=False, header=False)
    run = (
        b'<table:table-row table:number-rows-repeated="100000"><table:table-cell '
        b'office:value-type="string" table:number-columns-repeated="6"><text:p>x</text:p>'
        b"</table:table-cell></table:table-row></table:table>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "content.xml":
                content = content.replace(b"</table:table>", run, 1)
            dst.writestr(info, content)
    response = upload(client, tokens["admin"], out.getvalue(), "repeat.ods")
    assert response.status_code == 413, response.json
    assert response.json["errors"][0]["code"] == "too_many_rows"


def test_sixteen_thousand_unknown_columns_give_a_small_answer(client, tokens, uow):
    extra = [f"c{i}" for i in range(16_384 - 6)]
    data = csv_of(",".join([ZH_HEADER, *extra]), ",".join([ZH_ROW, *["" for _ in extra]]))
    response = upload(client, tokens["admin"], data, "wide.csv", "?dry_run=true")
    assert response.status_code == 200, response.json
    assert len(response.json["warnings"]) == 200
    assert response.json["unknown_columns"] == len(extra)
    assert response.json["warnings"][0]["cell"] == "G1"
    assert len(response.data) < 60_000


# --- the template ---------------------------------------------------------------------------------


def test_the_templates_notes_say_an_enterprise_may_leave_out_its_id(client, tokens):
    response = client.get("/api/v1/loads/template.xlsx", headers=tokens["enterprise"])
    notes = openpyxl.load_workbook(io.BytesIO(response.data))["说明"]
    rows = {r[0]: r for r in notes.iter_rows(values_only=True) if r and r[0]}
    said = rows["企业编号"][2]  # optional in an enterprise's template: no `*`
    assert "企业账号导入时可留空或删去此列" in said and "指挥中心代为导入时必填" in said
    english = client.get("/api/v1/loads/template.xlsx?lang=en", headers=tokens["enterprise"])
    notes = openpyxl.load_workbook(io.BytesIO(english.data))["Notes"]
    rows = {r[0]: r for r in notes.iter_rows(values_only=True) if r and r[0]}
    assert "may be left empty or the column left out" in rows["enterprise_id"][2]


def test_the_template_is_chinese_with_drop_downs_and_imports_as_it_is(client, tokens, uow):
    response = client.get("/api/v1/loads/template.xlsx", headers=tokens["enterprise"])
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["导入"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["车次编号", "企业编号", "货物类别*", "温层*", "装卸时长(分钟)*"] + [
        "预计到达*",
        "期望完成*",
    ]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert "医疗物资" in lists["C2"] and lists["D2"] == '"冷链,常温"'
    assert '"是,否"' in lists.values()
    assert sheet["F2"].is_date and sheet["F2"].number_format == "yyyy/m/d h:mm"
    dry = upload(client, tokens["enterprise"], response.data, "模板.xlsx", "?dry_run=true")
    assert dry.status_code == 200, dry.json
    assert dry.json["count"] == 1 and not dry.json["warnings"]


def test_the_template_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/loads/template.xlsx"]


# --- fuzz: any sheet gets a 4xx problem or a success, never a 500, never a half write ------------

header_cells = st.sampled_from(
    [
        "id",
        "企业编号",
        "货类",
        "温层",
        "装卸时长",
        "预计到达",
        "期望完成",
        "车牌号",
        "体温",
        "x",
        "",
    ]
)
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["E01", "能源", "冷链", "30", "2026/11/28 7:50", "11/12/2026", "是", "=1+1"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.lists(header_cells, min_size=0, max_size=8),
    rows=st.lists(st.lists(cells, max_size=9), max_size=5),
    noise=st.binary(max_size=64),
    name=st.sampled_from(["x.csv", "x.xlsx", "x.xls", "x.ods", "x.json"]),
    as_bytes=st.booleans(),
)
def test_any_sheet_gets_a_problem_or_a_success_and_never_a_half_write(
    client, tokens, uow, header, rows, noise, name, as_bytes
):
    before = _count(uow)
    lines = [",".join(header), *(",".join(c.replace(",", " ") for c in r) for r in rows)]
    data = noise if as_bytes else "\n".join(lines).encode("utf-8", "surrogatepass")
    response = upload(client, tokens["admin"], data, name)
    assert response.status_code in (200, 201, 400, 409, 413, 415, 422), response.data
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert _count(uow) == before
    else:
        assert _count(uow) == before + response.json["count"]


def test_a_csv_of_date_cells_formatted_as_numbers_imports(client, tokens, uow):
    """Excel saves a date column formatted as a number as its serials (46354.3263888889 is
    2026-11-28 07:50 in the site's zone). (Before: each such cell was a `moment` problem.)"""
    sheet = csv_of(
        "车次编号,企业编号,货物类别,温层,装卸时长(分钟),预计到达,期望完成",
        "S-1,E01,农产品,常温,30,46354.3263888889,46354.4166666667",
    )
    response = upload(client, tokens["enterprise"], sheet, "serials.csv")
    assert response.status_code == 201, response.json
    stored = client.get("/api/v1/loads/S-1", headers=tokens["enterprise"]).json
    assert (stored["release"], stored["due"]) == (
        "2026-11-28T07:50:00+08:00",
        "2026-11-28T10:00:00+08:00",
    )
