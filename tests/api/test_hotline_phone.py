"""The hotline's contact phone (a public problem report) is stored in one form whatever way it
was typed (spaces, dashes, brackets, +86, full width), accepts a mobile, a landline with its area
code or a 400/800 number, refuses anything else with a 422 naming `contact.phone` in Chinese, and
is shown formatted. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, csrf, signed_in


def _report(phone: str) -> dict:
    return {"kind": "no_slot", "text": "没有时段", "contact": {"name": "李四", "phone": phone}}


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("139 0000 0000", "13900000000", "139 0000 0000"),
        ("+86 139-0000-0000", "13900000000", "139 0000 0000"),
        ("１３９００００００００", "13900000000", "139 0000 0000"),
        ("(0797) 288 1234", "0797-2881234", "0797-2881234"),
        ("400 810 8888", "400-810-8888", "400-810-8888"),
        ("4008108888", "400-810-8888", "400-810-8888"),
        ("800-820-8820", "800-820-8820", "800-820-8820"),
    ],
)
def test_a_contact_phone_is_stored_in_one_form_and_shown_formatted(
    app, client, tokens, seeded, typed, stored, shown
):
    made = client.post("/api/v1/reports", json=_report(typed))
    assert made.status_code == 201, made.json
    listed = client.get("/api/v1/reports", headers=tokens["admin"]).json["reports"]
    assert listed[0]["contact"]["phone"] == stored
    page = signed_in(app, tokens, "admin").get("/admin/reports", headers=ZH).get_data(as_text=True)
    assert shown in page


@pytest.mark.parametrize("typed", ["12345", "139 0000 000", "4008", "0797-123", "call me"])
def test_a_bad_contact_phone_is_a_chinese_422_naming_the_field(client, seeded, typed):
    response = client.post("/api/v1/reports", json=_report(typed), headers=ZH)
    assert response.status_code == 422
    (error,) = response.json["errors"]
    assert error["field"] == "contact.phone"
    assert error["message"].startswith("不是电话号码；请填写 11 位手机号")
    assert "400 服务电话" in error["message"]


def test_the_public_form_refuses_a_bad_phone_in_chinese_and_keeps_a_good_one_normalised(
    app, client, tokens, seeded
):
    token = csrf(client, "/public")
    form = {"kind": "no_slot", "text": "没有时段", "name": "李四", "csrf_token": token}
    bad = client.post("/public/reports", data={**form, "phone": "12345"}, headers=ZH)
    assert bad.status_code == 422
    assert "电话号码格式不正确：请填写 11 位手机号" in bad.get_data(as_text=True)
    good = client.post("/public/reports", data={**form, "phone": "0797 288-1234"}, headers=ZH)
    assert good.status_code == 201
    listed = client.get("/api/v1/reports", headers=tokens["admin"]).json["reports"]
    assert listed[0]["contact"]["phone"] == "0797-2881234"
