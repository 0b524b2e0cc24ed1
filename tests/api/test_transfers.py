"""Relays (H7) declared through the API: with a load, in a batch, or on their own; every refusal
names its field and writes nothing; a planned relay keeps H7. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body
from tests.api.test_leaks import _page_as

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
INBOUND = {"release": "2026-11-28T08:00:00+08:00", "due": "2026-11-28T11:00:00+08:00"}
OUTBOUND = {"release": "2026-11-28T08:00:00+08:00", "due": "2026-11-28T14:00:00+08:00"}


def _submit(client, tokens, xunwu, load_id, who="enterprise", index=0, **extra):
    body = load_body(xunwu, index, id=load_id, **{**INBOUND, **extra})
    return client.post("/api/v1/loads", json=body, headers=tokens[who])


def _count(client, tokens) -> int:
    return client.get("/api/v1/loads", headers=tokens["admin"]).json["total"]


def test_a_load_declares_its_relay_and_both_loads_show_their_partner(client, tokens, xunwu):
    assert _submit(client, tokens, xunwu, "IN-1").status_code == 201
    response = _submit(
        client, tokens, xunwu, "OUT-1", transfer_from="IN-1", transfer_min_gap_minutes=20
    )
    assert response.status_code == 201, response.json.get("errors")
    assert response.json["transfer_from"] == "IN-1" and response.json["transfer_to"] is None
    inbound = client.get("/api/v1/loads/IN-1", headers=tokens["enterprise"]).json
    assert inbound["transfer_to"] == "OUT-1" and inbound["transfer_from"] is None
    listed = client.get("/api/v1/loads", headers=tokens["enterprise"]).json["items"]
    assert {ld["id"]: ld["transfer_to"] for ld in listed} == {"IN-1": "OUT-1", "OUT-1": None}
    relays = client.get("/api/v1/transfers", headers=tokens["operator"]).json
    assert relays == [
        {"inbound": "IN-1", "outbound": "OUT-1", "min_gap_minutes": 20, "enterprise_id": "E01"}
    ]


def test_partners_in_one_batch_declare_one_relay(client, tokens, xunwu):
    batch = [
        load_body(xunwu, 0, id="B-IN", transfer_to="B-OUT", **INBOUND),
        load_body(xunwu, 1, id="B-OUT", transfer_from="B-IN", **OUTBOUND),
        load_body(xunwu, 2, id="B-LONE", **INBOUND),
    ]
    response = client.post("/api/v1/loads/batch", json=batch, headers=tokens["enterprise"])
    assert response.status_code == 201, response.json.get("errors")
    relays = client.get("/api/v1/transfers", headers=tokens["enterprise"]).json
    assert [(t["inbound"], t["outbound"]) for t in relays] == [("B-IN", "B-OUT")]


def test_a_bad_relay_in_a_batch_names_its_row_and_stores_nothing(client, tokens, xunwu):
    batch = [
        load_body(xunwu, 0, id="B-IN", **INBOUND),
        load_body(xunwu, 1, id="B-OUT", transfer_from="NOWHERE", **OUTBOUND),
    ]
    response = client.post("/api/v1/loads/batch", json=batch, headers=tokens["enterprise"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["[1].transfer_from"]
    assert _count(client, tokens) == 0


@pytest.mark.parametrize(
    ("who", "extra", "field", "words"),
    [
        ("enterprise", {"id": "X", "transfer_to": "X"}, "transfer_to", "itself"),
        ("enterprise", {"transfer_to": "NOWHERE"}, "transfer_to", "unknown load"),
        # another enterprise's load reads as unknown to an enterprise token (no existence leak)
        ("enterprise", {"transfer_to": "E02-LOAD"}, "transfer_to", "unknown load"),
        # a partner is named by its id in the load's own enterprise (ids are per enterprise), so
        # E02's load is unknown among E01's, also to an admin
        (
            "admin",
            {"enterprise_id": "E01", "transfer_to": "E02-LOAD"},
            "transfer_to",
            "unknown load",
        ),
        ("enterprise", {"transfer_to": "COLD"}, "transfer_to", "temperature zone"),
        ("enterprise", {"transfer_to": "OUT-1"}, "transfer_to", "already the outbound"),
        ("enterprise", {"transfer_from": "IN-1"}, "transfer_from", "already the inbound"),
    ],
    ids=[
        "self",
        "unknown",
        "other-enterprise",
        "admin-names-within-the-enterprise",
        "cold-ambient",
        "taken-out",
        "taken-in",
    ],
)
def test_a_bad_relay_on_a_load_is_refused_naming_the_field(
    client, tokens, xunwu, who, extra, field, words
):
    assert _submit(client, tokens, xunwu, "IN-1").status_code == 201
    assert _submit(client, tokens, xunwu, "OUT-1", transfer_from="IN-1").status_code == 201
    assert _submit(client, tokens, xunwu, "E02-LOAD", who="other_enterprise").status_code == 201
    assert _submit(client, tokens, xunwu, "COLD", index=53).status_code == 201  # a cold load
    before = _count(client, tokens)
    body = load_body(xunwu, 0, **{"id": "NEW", **INBOUND, **extra})
    response = client.post("/api/v1/loads", json=body, headers=tokens[who])
    assert response.status_code == 422, response.json
    problems = response.json.get("errors")
    assert any(p["field"] == field and words in p["message"] for p in problems), problems
    assert _count(client, tokens) == before
    assert len(client.get("/api/v1/transfers", headers=tokens["admin"]).json) == 1


def test_relays_never_form_a_cycle(client, tokens, xunwu):
    for load_id in ("A", "B", "C"):
        assert _submit(client, tokens, xunwu, load_id).status_code == 201
    for inbound, outbound in (("A", "B"), ("B", "C")):
        body = {"inbound": inbound, "outbound": outbound}
        created = client.post("/api/v1/transfers", json=body, headers=tokens["enterprise"])
        assert created.status_code == 201
    response = client.post(
        "/api/v1/transfers", json={"inbound": "C", "outbound": "A"}, headers=tokens["enterprise"]
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "outbound"
    assert "cycle" in response.json["errors"][0]["message"]


def test_a_relay_is_read_and_lifted_by_its_enterprise_only(client, tokens, xunwu):
    for load_id in ("IN-1", "OUT-1"):
        assert _submit(client, tokens, xunwu, load_id).status_code == 201
    created = client.post(
        "/api/v1/transfers",
        json={"inbound": "IN-1", "outbound": "OUT-1", "min_gap_minutes": 5},
        headers=tokens["enterprise"],
    )
    assert created.status_code == 201
    location = created.headers["Location"]
    assert location == "/api/v1/transfers/IN-1/OUT-1"
    assert client.get(location, headers=tokens["enterprise"]).json["min_gap_minutes"] == 5
    assert client.get(location, headers=tokens["other_enterprise"]).status_code == 404
    assert client.get("/api/v1/transfers", headers=tokens["other_enterprise"]).json == []
    assert client.delete(location, headers=tokens["other_enterprise"]).status_code == 404
    assert client.delete(location, headers=tokens["enterprise"]).status_code == 204
    assert client.get(location, headers=tokens["enterprise"]).status_code == 404
    inbound = client.get("/api/v1/loads/IN-1", headers=tokens["enterprise"]).json
    assert inbound["transfer_to"] is None


def test_a_plan_with_relays_declared_through_the_api_keeps_h7(app, client, tokens, xunwu):
    batch = [
        load_body(xunwu, 0, id="P-IN", transfer_to="P-OUT", transfer_min_gap_minutes=30, **INBOUND),
        load_body(xunwu, 1, id="P-OUT", **OUTBOUND),
    ]
    submitted = client.post("/api/v1/loads/batch", json=batch, headers=tokens["enterprise"])
    assert submitted.status_code == 201
    response = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    )
    assert response.status_code == 202
    job = client.get(response.headers["Location"], headers=tokens["admin"]).json
    # The job runner verifies every plan (hub_scheduler/verify.py, H7 included) before storing it.
    assert job["status"] == "succeeded", job
    slots = client.get(f"{response.headers['Location']}/assignments", headers=tokens["admin"]).json
    by_load = {s["load_id"]: s for s in slots}
    assert {"P-IN", "P-OUT"} <= set(by_load), slots
    inbound, outbound = by_load["P-IN"], by_load["P-OUT"]
    assert (inbound["hub_id"], inbound["zone_id"]) == (outbound["hub_id"], outbound["zone_id"])
    ready = datetime.fromisoformat(inbound["disinfected_at"]) + timedelta(minutes=30)
    assert datetime.fromisoformat(outbound["start"]) >= ready
    location = response.headers["Location"]
    export = client.get(f"{location}/export?format=csv", headers=tokens["admin"])
    assert export.status_code == 200
    text = export.get_data(as_text=True)
    assert "inbound for P-OUT" in text and "outbound after P-IN" in text
    # the timeline marks both bars, in Chinese
    page = _page_as(app, tokens, "operator", response.headers["Location"].removeprefix("/api/v1"))
    assert 'data-relay-to="P-OUT"' in page and 'data-relay-from="P-IN"' in page
    assert "接驳去向 P-OUT" in page and "接驳来源 P-IN" in page


SHEET_HEAD = (
    "车次编号,企业编号,货物类别,温层,装卸时长(分钟),预计到达,期望完成,"
    "接驳去向,接驳来源,接驳间隔(分钟)"
)


def _import(client, tokens, *rows: str):
    from tests.api.test_import_sheets import csv_of, upload

    return upload(client, tokens["enterprise"], csv_of(SHEET_HEAD, *rows), "relays.csv")


def test_a_sheet_declares_relays_in_its_chinese_columns(client, tokens, xunwu):
    response = _import(
        client,
        tokens,
        "S-IN,E01,农产品,常温,30,2026-11-28 08:00,2026-11-28 11:00,S-OUT,,15",
        "S-OUT,E01,农产品,常温,30,2026-11-28 08:00,2026-11-28 14:00,,S-IN,",
    )
    assert response.status_code == 201, response.json.get("errors")
    relays = client.get("/api/v1/transfers", headers=tokens["enterprise"]).json
    assert relays == [
        {"inbound": "S-IN", "outbound": "S-OUT", "min_gap_minutes": 15, "enterprise_id": "E01"}
    ]
    assert (
        client.get("/api/v1/loads/S-OUT", headers=tokens["enterprise"]).json["transfer_from"]
        == "S-IN"
    )


def test_a_bad_relay_in_a_sheet_names_its_cell_and_imports_nothing(client, tokens, xunwu):
    response = _import(
        client,
        tokens,
        "S-IN,E01,农产品,常温,30,2026-11-28 08:00,2026-11-28 11:00,,,",
        "S-OUT,E01,农产品,冷链,30,2026-11-28 08:00,2026-11-28 14:00,,S-IN,",
    )
    assert response.status_code == 422, response.json
    (problem,) = response.json.get("errors")
    assert (problem["row"], problem["column"], problem["cell"]) == (3, "transfer_from", "I3")
    assert _count(client, tokens) == 0
