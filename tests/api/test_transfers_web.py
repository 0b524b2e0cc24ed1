"""The loads page declares a relay with a load: a bad one is said in Chinese on its field and
nothing is stored; a good one shows in the enterprise's own list. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

from api.web.signin import CSRF_FIELD
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body


def _signed_in(app, tokens, role: str):
    app.config["SESSION_COOKIE_SECURE"] = False  # the test client speaks plain http
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page).group(1)
    token = tokens[role]["Authorization"].removeprefix("Bearer ")
    assert client.post("/login", data={"token": token, CSRF_FIELD: csrf}).status_code == 303
    return client


def _form(client, **fields) -> dict:
    page = client.get("/loads", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    csrf = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', page).group(1)
    return {
        CSRF_FIELD: csrf,
        "category": "energy",
        "temperature": "ambient",
        "handling_minutes": "30",
        "release": "2026-11-28T08:00",
        "due": "2026-11-28T12:00",
        **fields,
    }


def test_the_load_form_declares_a_relay_and_the_list_shows_it(app, client, tokens, xunwu):
    body = load_body(xunwu, 0, id="IN-1")
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 201
    page_client = _signed_in(app, tokens, "enterprise")
    zh = {"Accept-Language": "zh-CN"}

    form = _form(page_client, id="F1", transfer_from="NOWHERE")
    bad = page_client.post("/loads", data=form, headers=zh)
    assert bad.status_code == 200  # the form again, with its errors
    text = bad.get_data(as_text=True)
    assert 'id="transfer_from-error"' in text and "未知车次“NOWHERE”" in text
    assert client.get("/api/v1/loads", headers=tokens["admin"]).json["total"] == 1

    good = _form(page_client, id="F1", transfer_from="IN-1", transfer_min_gap_minutes="10")
    assert page_client.post("/loads", data=good).status_code == 303
    relays = client.get("/api/v1/transfers", headers=tokens["enterprise"]).json
    assert relays == [
        {"inbound": "IN-1", "outbound": "F1", "min_gap_minutes": 10, "enterprise_id": "E01"}
    ]
    listed = page_client.get("/loads", headers=zh).get_data(as_text=True)
    assert "接驳去向 F1" in listed and "接驳来源 IN-1" in listed


def test_the_partner_confirms_a_proposed_relay_on_its_loads_page(app, client, tokens, xunwu):
    for who, load_id in (("enterprise", "E1-IN"), ("other_enterprise", "E2-OUT")):
        body = load_body(xunwu, 0, id=load_id, vehicle_plate=f"赣B·{load_id[:2]}999")
        assert client.post("/api/v1/loads", json=body, headers=tokens[who]).status_code == 201
    proposal = client.post(
        "/api/v1/transfers/proposals",
        json={"inbound": "E1-IN", "outbound": "E2-OUT", "partner_enterprise_id": "E02"},
        headers=tokens["enterprise"],
    ).json
    zh = {"Accept-Language": "zh-CN"}
    proposer_page = _signed_in(app, tokens, "enterprise").get("/loads", headers=zh)
    assert "待本企业确认的跨企业接驳" not in proposer_page.get_data(as_text=True)
    partner = _signed_in(app, tokens, "other_enterprise")
    page = partner.get("/loads", headers=zh).get_data(as_text=True)
    assert "待本企业确认的跨企业接驳" in page and f'data-proposal-id="{proposal["id"]}"' in page
    assert "赣B·E1999" not in page  # the proposer's truck is not shown
    form = _form(partner)
    csrf = {CSRF_FIELD: form[CSRF_FIELD]}
    done = partner.post(f"/loads/proposals/{proposal['id']}/confirm", data=csrf, headers=zh)
    assert done.status_code == 303
    after = partner.get("/loads", headers=zh).get_data(as_text=True)
    assert "接驳 E1-IN → E2-OUT 已确认。" in after and "接驳来源 E1-IN" in after
    again = partner.post(f"/loads/proposals/{proposal['id']}/decline", data=csrf, headers=zh)
    assert again.status_code == 303
    assert "该接驳提议已处理过。" in partner.get("/loads", headers=zh).get_data(as_text=True)
    relays = client.get("/api/v1/transfers", headers=tokens["admin"]).json
    assert relays == [
        {
            "inbound": "E1-IN",
            "outbound": "E2-OUT",
            "enterprise_id": "E01",
            "outbound_enterprise_id": "E02",
            "min_gap_minutes": 0,
        }
    ]
