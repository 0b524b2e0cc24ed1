"""The driver's phone and the truck's plate: validated and stored in one form, shown to the gate,
the command centre and the owner, and never to another enterprise, not even to the partner of a
relay between two enterprises (loads, relays, proposals, plans, exports, trace, pages).
On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body
from tests.api.test_import_sheets import csv_of, upload
from tests.api.test_leaks import _page_as

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
TIMES = {"release": "2026-11-28T08:00:00+08:00", "due": "2026-11-28T12:00:00+08:00"}


def _submit(client, tokens, xunwu, who, load_id, **extra):
    body = load_body(xunwu, 0, id=load_id, **{**TIMES, **extra})
    return client.post("/api/v1/loads", json=body, headers=tokens[who])


def test_a_phone_is_stored_in_one_form_and_shown_to_gate_command_and_owner(client, tokens, xunwu):
    created = _submit(
        client,
        tokens,
        xunwu,
        "enterprise",
        "PH-1",
        driver_phone="+86 139-1234-5678",
        vehicle_plate="赣B·12345",
    )
    assert created.status_code == 201, created.json
    assert created.json["driver_phone"] == "13912345678"
    for who in ("admin", "operator", "enterprise"):
        shown = client.get("/api/v1/loads/PH-1", headers=tokens[who]).json
        assert shown["driver_phone"] == "13912345678", who
    # the plate however written finds the truck
    for written in ("赣B12345", "赣b12345", "赣B·12345"):
        found = client.get(
            "/api/v1/loads", query_string={"vehicle_plate": written}, headers=tokens["operator"]
        ).json
        assert [ld["id"] for ld in found["items"]] == ["PH-1"], written
    patched = client.patch(
        "/api/v1/loads/PH-1", json={"driver_phone": "(0797) 288 1234"}, headers=tokens["enterprise"]
    )
    assert patched.status_code == 200 and patched.json["driver_phone"] == "0797-2881234"


@pytest.mark.parametrize("phone", ["2881234", "12345", "138-0013-800", "电话"])
def test_a_bad_phone_is_a_422_naming_the_field_and_both_forms(client, tokens, xunwu, phone):
    response = _submit(client, tokens, xunwu, "enterprise", "PH-BAD", driver_phone=phone)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    (error,) = response.json["errors"]
    assert error["field"] == "driver_phone"
    assert "11-digit mobile" in error["message"] and "0797-2881234" in error["message"]
    _submit(client, tokens, xunwu, "enterprise", "PH-OK")
    patched = client.patch(
        "/api/v1/loads/PH-OK", json={"driver_phone": phone}, headers=tokens["enterprise"]
    )
    assert patched.status_code == 422


def test_a_sheet_brings_the_phone_and_a_bad_one_names_its_cell(client, tokens):
    head = "车次编号,企业编号,货物类别,温层,装卸时长(分钟),预计到达,期望完成,车牌号,司机电话"
    good = "S-1,E01,农产品,常温,30,2026-11-28 08:00,2026-11-28 11:00,赣B·12345,138 0013 8000"
    bad = "S-2,E01,农产品,常温,30,2026-11-28 08:00,2026-11-28 11:00,赣B·54321,8000"
    refused = upload(client, tokens["enterprise"], csv_of(head, good, bad), "phones.csv")
    assert refused.status_code == 422
    (error,) = refused.json["errors"]
    assert (error["cell"], error["column"], error["code"]) == ("I3", "driver_phone", "phone")
    accepted = upload(client, tokens["enterprise"], csv_of(head, good), "phones.csv")
    assert accepted.status_code == 201, accepted.json
    shown = client.get("/api/v1/loads/S-1", headers=tokens["operator"]).json
    assert (shown["driver_phone"], shown["vehicle_plate"]) == ("13800138000", "赣B·12345")


SECRETS = {
    "enterprise": ("13912345678", "赣B·SEC01"),
    "other_enterprise": ("0797-2881234", "粤M·SEC02"),
}


def test_another_enterprise_never_sees_the_phone_or_plate_even_across_a_relay(
    app, client, tokens, xunwu
):
    assert (
        _submit(
            client,
            tokens,
            xunwu,
            "enterprise",
            "E1-IN",
            driver_phone=SECRETS["enterprise"][0],
            vehicle_plate=SECRETS["enterprise"][1],
        ).status_code
        == 201
    )
    assert (
        _submit(
            client,
            tokens,
            xunwu,
            "other_enterprise",
            "E2-OUT",
            due="2026-11-28T16:00:00+08:00",
            driver_phone=SECRETS["other_enterprise"][0],
            vehicle_plate=SECRETS["other_enterprise"][1],
        ).status_code
        == 201
    )
    proposal = client.post(
        "/api/v1/transfers/proposals",
        json={"inbound": "E1-IN", "outbound": "E2-OUT", "partner_enterprise_id": "E02"},
        headers=tokens["enterprise"],
    ).json
    confirmed = client.post(
        f"/api/v1/transfers/proposals/{proposal['id']}/confirm",
        headers=tokens["other_enterprise"],
    )
    assert confirmed.status_code == 200
    plan = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    assert (
        client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"]).status_code
        == 200
    )
    # a positive truck traced by the command centre: the trace is the command centre's only
    traced = client.post(
        "/api/v1/incidents",
        json={"load_id": "E1-IN", "at": "2026-11-28T12:00:00+08:00", "time_limit_s": 1},
        headers=tokens["admin"],
    )
    assert traced.status_code in (201, 202), traced.json
    assert SECRETS["other_enterprise"][0] in traced.get_data(as_text=True)  # the partner traced

    paths = [
        "/api/v1/loads",
        "/api/v1/loads/E1-IN",
        "/api/v1/loads/E2-OUT",
        "/api/v1/transfers",
        "/api/v1/transfers/E1-IN/E2-OUT",
        "/api/v1/transfers/proposals",
        f"/api/v1/transfers/proposals/{proposal['id']}",
        "/api/v1/plans/published?date=2026-11-28",
        f"/api/v1/plans/{plan['id']}/assignments",
        f"/api/v1/plans/{plan['id']}/unscheduled",
        f"/api/v1/plans/{plan['id']}/export?format=csv",
        "/api/v1/incidents",
        "/api/v1/hubs",
    ]
    for viewer, other in (("enterprise", "other_enterprise"), ("other_enterprise", "enterprise")):
        phone, plate = SECRETS[other]
        for path in paths:
            text = client.get(path, headers=tokens[viewer]).get_data(as_text=True)
            assert phone not in text and plate not in text, (viewer, path)
        html = _page_as(app, tokens, viewer, "/loads")  # the timeline is staff only
        assert "E2-OUT" in html or "E1-IN" in html  # the relay partner's id is shown
        assert phone not in html and plate not in html, viewer
    # the owner sees its own; the gate sees both
    own = client.get("/api/v1/loads/E2-OUT", headers=tokens["other_enterprise"]).json
    assert own["driver_phone"] == SECRETS["other_enterprise"][0]
    gate = client.get("/api/v1/loads", headers=tokens["operator"]).json["items"]
    assert {ld["driver_phone"] for ld in gate} >= {p for p, _ in SECRETS.values()}


def test_the_load_form_takes_the_phone_and_says_a_bad_one_in_chinese(app, client, tokens):
    from tests.api.test_transfers_web import _form, _signed_in

    page_client = _signed_in(app, tokens, "enterprise")
    zh = {"Accept-Language": "zh-CN"}
    bad = page_client.post(
        "/loads", data=_form(page_client, id="F1", driver_phone="8000"), headers=zh
    )
    assert bad.status_code == 200  # the form again, with its errors
    text = bad.get_data(as_text=True)
    assert 'id="driver_phone-error"' in text and "“8000”不是电话号码" in text
    assert client.get("/api/v1/loads", headers=tokens["admin"]).json["total"] == 0
    good = _form(page_client, id="F1", driver_phone="139 1234 5678")
    assert page_client.post("/loads", data=good).status_code == 303
    stored = client.get("/api/v1/loads/F1", headers=tokens["operator"]).json
    assert stored["driver_phone"] == "13912345678"


def test_a_bad_phone_in_the_api_carries_its_code_for_the_pages(client, tokens, xunwu):
    response = _submit(client, tokens, xunwu, "enterprise", "PH-BAD", driver_phone="8000")
    (error,) = response.json["errors"]
    assert (error["code"], error["params"]) == ("phone", {"value": "8000"})
