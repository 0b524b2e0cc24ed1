"""An enterprise's session on the loads page imports a sheet without the enterprise column (or
with it blank): the rows are its own. A row naming another enterprise is refused at its cell and
nothing is stored; the command centre's session still has to name the enterprise."""

from __future__ import annotations

import io
import re

from werkzeug.datastructures import FileStorage

from api.web.signin import CSRF_FIELD
from tests.api.web_pages import ZH, csrf, signed_in

HEADER = "车次编号,货物类别,温层,装卸时长（分钟）,预计到达,期望完成"
ROWS = (
    "W-1,医疗物资,冷链,30,2026/11/28 7:50,2026/11/28 10:00",
    "W-2,能源,常温,45,2026/11/28 8:10,2026/11/28 11:00",
)


def _check(web, text: str):
    data = {
        CSRF_FIELD: csrf(web, "/loads"),
        "sheet": FileStorage(io.BytesIO(text.encode()), "s.csv"),
    }
    return web.post("/loads/import", data=data, headers=ZH, content_type="multipart/form-data")


def _stored(client, tokens) -> list[tuple[str, str]]:
    items = client.get("/api/v1/loads", headers=tokens["admin"]).json["items"]
    return sorted((ld["enterprise_id"], ld["id"]) for ld in items)


def test_an_enterprise_session_imports_a_sheet_without_the_enterprise_column(
    app, client, tokens, seeded
):
    web = signed_in(app, tokens, "enterprise")
    assert "“企业编号”列可以省略或留空" in web.get("/loads", headers=ZH).get_data(as_text=True)
    checked = _check(web, "\n".join([HEADER, *ROWS]) + "\n")
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and 'id="confirm-import"' in page, page
    form = {
        name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
        for name in ("filename", "payload", "key")
    }
    confirmed = web.post(
        "/loads/import/confirm", data={CSRF_FIELD: csrf(web, "/loads"), **form}, headers=ZH
    )
    assert confirmed.status_code == 303
    assert _stored(client, tokens) == [("E01", "W-1"), ("E01", "W-2")]


def test_a_row_naming_another_enterprise_is_refused_at_its_cell(app, client, tokens, seeded):
    web = signed_in(app, tokens, "enterprise")
    sheet = "\n".join(["企业编号," + HEADER, "," + ROWS[0], "E02," + ROWS[1]]) + "\n"
    page = _check(web, sheet).get_data(as_text=True)
    assert 'id="confirm-import"' not in page
    assert "A3" in page and "只能填写本企业“E01”" in page
    assert _stored(client, tokens) == []


def test_the_command_centre_still_names_the_enterprise(app, client, tokens, seeded):
    web = signed_in(app, tokens, "admin")
    page = _check(web, "\n".join([HEADER, *ROWS]) + "\n").get_data(as_text=True)
    assert 'id="confirm-import"' not in page
    assert "缺少必填列（列名可写 enterprise_id / 企业编号" in page
    assert _stored(client, tokens) == []
