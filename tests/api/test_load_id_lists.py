"""Lists of loads never leak or blur enterprises (issue 10, "Data that must not leak"): a repair's
`moved` and `for_load` name each load with its enterprise for the gate and the command centre,
and an enterprise sees only its own loads there (the others counted), in the API, its inbox and
its webhooks; events and audit entries listing loads name each by id and enterprise, so two
enterprises' `TWIN` stay two; an admin's `POST /transfers` names each side's enterprise. On
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from hub_scheduler.services import events
from hub_scheduler.services.deliveries import message_body
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body
from tests.api.test_gate_late import PASS, T, _cold_row
from tests.api.test_load_ids_per_enterprise import WINDOW
from tests.api.test_transfers_web import _form, _signed_in

XUNWU_TZ = ZoneInfo("Asia/Shanghai")
GATE_LATE = {"at": "2026-11-28T07:20:00+08:00", **PASS}


def _ref(load_id: str, enterprise_id: str) -> dict:
    return {"load_id": load_id, "enterprise_id": enterprise_id}


def _relay(inbound: str, outbound: str, inbound_owner: str, outbound_owner: str) -> dict:
    """A relay as GET /transfers shows one across two enterprises."""
    return {
        "inbound": inbound,
        "outbound": outbound,
        "enterprise_id": inbound_owner,
        "outbound_enterprise_id": outbound_owner,
        "min_gap_minutes": 0,
    }


def _payloads(uow, audience) -> list[dict]:
    """The Standard Webhooks payloads an audience's subscription would be sent, newest first."""
    with uow:
        stored = uow.events.list([audience], limit=100, offset=0)
    return [json.loads(message_body(e, XUNWU_TZ)) for e in stored]


def _late_e02_truck_pushes_e01s(client, tokens, uow, xunwu) -> dict:
    """E02's C1 is late at the gate and pushes E01's C2 on the one cold dock (test_gate_late)."""
    _cold_row(uow, xunwu, T("2026-11-28T07:00:00+08:00"), owners=("E02", "E01", "E01"))
    response = client.post("/api/v1/loads/C1/check-in", headers=tokens["operator"], json=GATE_LATE)
    assert response.status_code == 200, response.json
    return response.json


def test_a_repair_names_pushed_loads_with_their_enterprise_for_the_gate_and_command(
    client, tokens, uow, xunwu
):
    body = _late_e02_truck_pushes_e01s(client, tokens, uow, xunwu)
    assert body["reason"]["params"]["moved"] == [_ref("C2", "E01")]

    for who in ("admin", "operator"):
        c1 = client.get("/api/v1/loads/C1", headers=tokens[who]).json
        assert c1["slot_changed"]["params"]["moved"] == [_ref("C2", "E01")]
        c2 = client.get("/api/v1/loads/C2", headers=tokens[who]).json
        assert c2["slot_changed"]["params"]["for_load"] == _ref("C1", "E02")
    audit = client.get(
        "/api/v1/audit?target_id=C2&action=load.repair", headers=tokens["admin"]
    ).json
    assert [e["details"]["params"]["for_load"] for e in audit["items"]] == [_ref("C1", "E02")]


def test_an_enterprise_sees_only_its_own_loads_in_a_repair_in_the_api_inbox_and_webhooks(
    client, tokens, uow, xunwu
):
    _late_e02_truck_pushes_e01s(client, tokens, uow, xunwu)

    # E02, whose late truck pushed E01's: the count, never E01's id.
    late = client.get("/api/v1/loads/C1", headers=tokens["other_enterprise"])
    params = late.json["slot_changed"]["params"]
    assert (params["moved"], params["moved_others"]) == ([], 1)
    assert "C2" not in late.get_data(as_text=True)
    # E01, whose truck made room: why and when, never E02's id.
    pushed = client.get("/api/v1/loads/C2", headers=tokens["enterprise"])
    params = pushed.json["slot_changed"]["params"]
    assert params["for_load"] is None and params["shift_minutes"] == 30
    assert "C1" not in pushed.get_data(as_text=True)

    # Their inboxes and webhook payloads alike: each hears of its own load only.
    for who, enterprise, own, other in (
        ("other_enterprise", "E02", "C1", "C2"),
        ("enterprise", "E01", "C2", "C1"),
    ):
        inbox = client.get("/api/v1/inbox", headers=tokens[who])
        changed = [e for e in inbox.json["events"] if e["type"] == events.SLOT_CHANGED]
        assert [(e["data"]["load_id"], e["data"]["enterprise_id"]) for e in changed] == [
            (own, enterprise)
        ]
        assert f'"{other}"' not in inbox.get_data(as_text=True)
        payloads = _payloads(uow, events.enterprise(enterprise))
        assert [p["data"]["load_id"] for p in payloads] == [own]
        assert f'"{other}"' not in json.dumps(payloads)
    with uow:  # the stored rows are cut too (the inbox page reads them as they are)
        [row] = uow.events.list([events.enterprise("E02")], limit=10, offset=0)
    assert row.data["reason"]["params"]["moved"] == []
    assert row.data["reason"]["params"]["moved_others"] == 1


def test_event_and_audit_lists_name_each_load_with_its_enterprise(client, tokens, uow, xunwu):
    """Two enterprises' TWIN on one positive truck: the incident, the command centre's event,
    its webhook payload and the audit entry list two loads, each with its enterprise."""
    plate = "赣B·TW999"
    for who, index in (("enterprise", 0), ("other_enterprise", 1)):
        body = load_body(xunwu, index, id="TWIN", vehicle_plate=plate, **WINDOW)
        assert client.post("/api/v1/loads", json=body, headers=tokens[who]).status_code == 201
    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"vehicle_plate": plate, "at": "2026-11-28T07:00:00+08:00", "time_limit_s": 1},
    )
    assert response.status_code == 201, response.json
    twins = [_ref("TWIN", "E01"), _ref("TWIN", "E02")]
    assert sorted(response.json["incident"]["cancelled_load_ids"], key=str) == twins

    inbox = client.get("/api/v1/inbox", headers=tokens["admin"]).json["events"]
    [reported] = [e for e in inbox if e["type"] == events.INCIDENT_REPORTED]
    assert sorted(reported["data"]["cancelled_load_ids"], key=str) == twins
    [payload] = [p for p in _payloads(uow, events.COMMAND) if p["type"] == "incident.reported"]
    assert sorted(payload["data"]["cancelled_load_ids"], key=str) == twins
    audit = client.get("/api/v1/audit?action=incident.create", headers=tokens["admin"]).json
    assert sorted(audit["items"][0]["details"]["cancelled"], key=str) == twins


def test_an_admin_names_each_side_of_a_relay_with_its_enterprise(client, tokens, xunwu):
    """E01's TWIN-IN to E02's TWIN-OUT while both hold both ids: only per-side enterprises can
    say it; left ambiguous, the 422 names each side's field."""
    for who in ("enterprise", "other_enterprise"):
        for load_id in ("TWIN-IN", "TWIN-OUT"):
            body = load_body(xunwu, 0, id=load_id, **WINDOW)
            assert client.post("/api/v1/loads", json=body, headers=tokens[who]).status_code == 201
    relay = {"inbound": "TWIN-IN", "outbound": "TWIN-OUT"}
    admin = tokens["admin"]

    ambiguous = client.post("/api/v1/transfers", json=relay, headers=admin)
    assert ambiguous.status_code == 422
    assert ambiguous.headers["Content-Type"] == "application/problem+json"
    errors = ambiguous.json["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("inbound_enterprise_id", "load_ambiguous"),
        ("outbound_enterprise_id", "load_ambiguous"),
    ]
    assert errors[0]["params"] == {"load": "TWIN-IN", "enterprises": ["E01", "E02"]}
    half = client.post(
        "/api/v1/transfers", json={**relay, "inbound_enterprise_id": "E01"}, headers=admin
    )
    assert [e["field"] for e in half.json["errors"]] == ["outbound_enterprise_id"]
    clash = {**relay, "enterprise_id": "E01", "outbound_enterprise_id": "E02"}
    refused = client.post("/api/v1/transfers", json=clash, headers=admin)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == ["outbound_enterprise_id"]
    assert client.get("/api/v1/transfers", headers=admin).json == []  # nothing written

    sides = {**relay, "inbound_enterprise_id": "E01", "outbound_enterprise_id": "E02"}
    made = client.post("/api/v1/transfers", json=sides, headers=admin)
    assert made.status_code == 201, made.json
    assert made.json == _relay("TWIN-IN", "TWIN-OUT", "E01", "E02")
    e1_in = client.get("/api/v1/loads/TWIN-IN", headers=tokens["enterprise"]).json
    e2_out = client.get("/api/v1/loads/TWIN-OUT", headers=tokens["other_enterprise"]).json
    assert e1_in["transfer_to"] == "TWIN-OUT" and e2_out["transfer_from"] == "TWIN-IN"
    e2_in = client.get("/api/v1/loads/TWIN-IN", headers=tokens["other_enterprise"]).json
    assert e2_in["transfer_to"] is None  # E02's own TWIN-IN is not the one relayed


def test_an_enterprise_token_may_name_only_its_own_enterprise_for_a_relay(client, tokens, xunwu):
    for load_id in ("OWN-IN", "OWN-OUT"):
        body = load_body(xunwu, 0, id=load_id, **WINDOW)
        assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code
    relay = {"inbound": "OWN-IN", "outbound": "OWN-OUT"}
    mine = tokens["enterprise"]
    for field in ("inbound_enterprise_id", "outbound_enterprise_id", "enterprise_id"):
        refused = client.post("/api/v1/transfers", json={**relay, field: "E02"}, headers=mine)
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json["errors"]] == [field]
        # The answer depends on the token's own enterprise only: E09 (no such loads) alike.
        other = client.post("/api/v1/transfers", json={**relay, field: "E09"}, headers=mine)
        assert other.json == refused.json
    named = {**relay, "inbound_enterprise_id": "E01", "outbound_enterprise_id": "E01"}
    made = client.post("/api/v1/transfers", json=named, headers=mine)
    assert made.status_code == 201, made.json
    assert made.json["enterprise_id"] == "E01" and "outbound_enterprise_id" not in made.json


def test_a_load_names_its_relay_partners_enterprise_in_the_api_and_the_admin_form(
    app, client, tokens, xunwu
):
    """`transfer_enterprise_id`: an admin joins a new load to another enterprise's load of an id
    both hold, by the API and on the loads page; an enterprise token may name only itself."""
    for who in ("enterprise", "other_enterprise"):
        body = load_body(xunwu, 0, id="TWIN-IN", **WINDOW)
        assert client.post("/api/v1/loads", json=body, headers=tokens[who]).status_code == 201
    own = load_body(xunwu, 0, id="OUT-1", transfer_from="TWIN-IN", **WINDOW)
    refused = client.post(
        "/api/v1/loads", json={**own, "transfer_enterprise_id": "E02"}, headers=tokens["enterprise"]
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == ["transfer_enterprise_id"]
    made = client.post(
        "/api/v1/loads",
        json={**own, "enterprise_id": "E01", "transfer_enterprise_id": "E02"},
        headers=tokens["admin"],
    )
    assert made.status_code == 201, made.json
    relays = client.get("/api/v1/transfers", headers=tokens["admin"]).json
    assert relays == [_relay("TWIN-IN", "OUT-1", "E02", "E01")]

    pages = _signed_in(app, tokens, "admin")
    zh = {"Accept-Language": "zh-CN"}
    page = pages.get("/loads", headers=zh).get_data(as_text=True)
    assert 'name="transfer_enterprise_id"' in page and "接驳对方车次所属企业" in page
    form = {
        **_form(pages, id="OUT-2", enterprise_id="E02", transfer_from="TWIN-IN"),
        "transfer_enterprise_id": "E01",
    }
    assert pages.post("/loads", data=form, headers=zh).status_code == 303
    relays = client.get("/api/v1/transfers", headers=tokens["admin"]).json
    assert _relay("TWIN-IN", "OUT-2", "E01", "E02") in relays
    enterprise_page = _signed_in(app, tokens, "enterprise").get("/loads", headers=zh)
    assert 'name="transfer_enterprise_id"' not in enterprise_page.get_data(as_text=True)
