"""Load ids are unique per enterprise (issue 10, docs/security.md): an enterprise learns nothing
from ids another holds, two enterprises' `L-0001` are two loads through plan, publication and the
gate, and admins name one with `?enterprise_id=` when an id is ambiguous. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body
from tests.api.test_transfers_web import _signed_in

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
WINDOW = {"release": "2026-11-28T08:00:00+08:00", "due": "2026-11-28T14:00:00+08:00"}


def _submit(client, tokens, xunwu, load_id, who="enterprise", index=0, **extra):
    body = load_body(xunwu, index, id=load_id, **{**WINDOW, **extra})
    return client.post("/api/v1/loads", json=body, headers=tokens[who])


def _shape(response, load_id: str):
    """Status and body with the named id and the per-request values blanked: what a prober sees."""
    body = response.get_json()
    text = repr(sorted(body.items()) if isinstance(body, dict) else body)
    for moving in (load_id, *(str(body.get(k)) for k in ("created_at", "updated_at") if body)):
        text = text.replace(moving, "<x>")
    return response.status_code, text


def test_an_id_another_enterprise_holds_answers_exactly_like_a_fresh_one(client, tokens, xunwu):
    assert _submit(client, tokens, xunwu, "HELD-1").status_code == 201  # E01 holds HELD-1
    other = tokens["other_enterprise"]

    # Reading, changing, cancelling: the same 404 as for an id nobody holds.
    for method, suffix, body in (
        ("get", "", None),
        ("patch", "", {"handling_minutes": 20}),
        ("delete", "", None),
    ):
        held = getattr(client, method)(f"/api/v1/loads/HELD-1{suffix}", json=body, headers=other)
        fresh = getattr(client, method)(f"/api/v1/loads/NONE-1{suffix}", json=body, headers=other)
        assert held.status_code == 404
        assert _shape(held, "HELD-1") == _shape(fresh, "NONE-1")
    # Naming E01 explicitly is no way in either.
    assert client.get("/api/v1/loads/HELD-1?enterprise_id=E01", headers=other).status_code == 404

    # A relay to it: the same 422 as to an unknown id.
    held = _submit(client, tokens, xunwu, "R-1", who="other_enterprise", transfer_to="HELD-1")
    fresh = _submit(client, tokens, xunwu, "R-1", who="other_enterprise", transfer_to="NONE-1")
    assert held.status_code == 422
    assert _shape(held, "HELD-1") == _shape(fresh, "NONE-1")

    # Submitting it: created, like a fresh id; one at a time, in a batch and in a dry-run sheet.
    held = _submit(client, tokens, xunwu, "HELD-1", who="other_enterprise")
    fresh = _submit(client, tokens, xunwu, "NONE-1", who="other_enterprise")
    assert held.status_code == fresh.status_code == 201
    assert _shape(held, "HELD-1") == _shape(fresh, "NONE-1")
    assert held.json["id"] == "HELD-1" and held.json["enterprise_id"] == "E02"
    batch = [load_body(xunwu, 0, id=i, **WINDOW) for i in ("HELD-1", "B-2")]
    assert (
        client.post("/api/v1/loads/batch", json=batch, headers=tokens["enterprise"]).status_code
        == 422
    )
    batch = [load_body(xunwu, 0, id=i, **WINDOW) for i in ("B-1", "B-2")]
    done = client.post("/api/v1/loads/batch", json=batch, headers=other)
    assert done.status_code == 201
    assert (
        client.post("/api/v1/loads/batch", json=batch, headers=tokens["enterprise"]).status_code
        == 201
    )

    # Each sees its own load under the id; E01's is unchanged.
    mine = client.get("/api/v1/loads/HELD-1", headers=tokens["enterprise"]).json
    theirs = client.get("/api/v1/loads/HELD-1", headers=other).json
    assert (mine["enterprise_id"], theirs["enterprise_id"]) == ("E01", "E02")
    listed = client.get("/api/v1/loads", headers=other).json["items"]
    assert sorted(ld["id"] for ld in listed) == ["B-1", "B-2", "HELD-1", "NONE-1"]


def test_idempotency_keys_are_per_enterprise(client, tokens, xunwu):
    key = {"Idempotency-Key": "same-key"}
    body = load_body(xunwu, 0, id="K-1", **WINDOW)
    first = client.post("/api/v1/loads", json=body, headers={**tokens["enterprise"], **key})
    second = client.post("/api/v1/loads", json=body, headers={**tokens["other_enterprise"], **key})
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json["enterprise_id"], second.json["enterprise_id"]) == ("E01", "E02")
    again = client.post("/api/v1/loads", json=body, headers={**tokens["enterprise"], **key})
    assert again.status_code == 200 and again.json["enterprise_id"] == "E01"


def test_two_enterprises_with_one_id_are_planned_published_and_checked_in_apart(
    app, client, tokens, xunwu
):
    assert _submit(client, tokens, xunwu, "TWIN", index=0).status_code == 201
    assert (
        _submit(client, tokens, xunwu, "TWIN", who="other_enterprise", index=1).status_code == 201
    )
    admin, gate = tokens["admin"], tokens["operator"]

    response = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=admin
    )
    assert response.status_code == 202
    location = response.headers["Location"]
    assert client.get(location, headers=admin).json["status"] == "succeeded"
    slots = client.get(f"{location}/assignments", headers=admin).json
    twins = sorted((s["load_id"], s["enterprise_id"]) for s in slots if s["load_id"] == "TWIN")
    assert twins == [("TWIN", "E01"), ("TWIN", "E02")]
    # An enterprise sees its own slot only, by its own id.
    own = client.get(f"{location}/assignments", headers=tokens["enterprise"]).json
    assert [(s["load_id"], s["enterprise_id"]) for s in own if s["load_id"] == "TWIN"] == [
        ("TWIN", "E01")
    ]
    published = client.post(f"{location}/publish", headers=admin)
    assert published.status_code == 200, published.json
    # The timeline and the gate pages give each twin its own row anchor (enterprise · id).
    pages = _signed_in(app, tokens, "operator")
    timeline = pages.get("/plans/published?date=2026-11-28").get_data(as_text=True)
    assert 'id="op-E01·TWIN"' in timeline and 'id="op-E02·TWIN"' in timeline
    gate_page = pages.get("/gate?date=2026-11-28&plate=").get_data(as_text=True)
    assert 'id="load-E01·TWIN"' in gate_page and 'id="load-E02·TWIN"' in gate_page

    # At the gate the id alone is ambiguous; naming the enterprise checks in that truck only.
    at = {"at": "2026-11-28T07:50:00+08:00", "has_pass": True}
    ambiguous = client.post("/api/v1/loads/TWIN/check-in", json=at, headers=gate)
    assert ambiguous.status_code == 409
    assert ambiguous.json["errors"][0]["field"] == "enterprise_id"
    assert ambiguous.json["errors"][0]["params"]["enterprises"] == ["E01", "E02"]
    done = client.post("/api/v1/loads/TWIN/check-in?enterprise_id=E01", json=at, headers=gate)
    assert done.status_code == 200, done.json
    assert done.json["load"]["enterprise_id"] == "E01" and done.json["load"]["id"] == "TWIN"
    assert done.json["load"]["status"] == "checked_in"
    assert (
        client.get("/api/v1/loads/TWIN", headers=tokens["other_enterprise"]).json["status"]
        == "scheduled"
    )
    done = client.post("/api/v1/loads/TWIN/check-in?enterprise_id=E02", json=at, headers=gate)
    assert done.status_code == 200 and done.json["load"]["enterprise_id"] == "E02"
    assert (
        client.get("/api/v1/loads/TWIN", headers=tokens["enterprise"]).json["status"]
        == "checked_in"
    )


@pytest.mark.parametrize("who", ["admin", "operator"])
def test_an_admin_names_an_ambiguous_id_with_its_enterprise(client, tokens, xunwu, who):
    assert _submit(client, tokens, xunwu, "SAME", index=0).status_code == 201
    assert _submit(client, tokens, xunwu, "ONLY-E01", index=0).status_code == 201
    assert (
        _submit(client, tokens, xunwu, "SAME", who="other_enterprise", index=1).status_code == 201
    )
    headers = tokens[who]
    ambiguous = client.get("/api/v1/loads/SAME", headers=headers)
    assert ambiguous.status_code == 409
    assert ambiguous.headers["Content-Type"] == "application/problem+json"
    assert "E01" in ambiguous.json["detail"] and "E02" in ambiguous.json["detail"]
    named = client.get("/api/v1/loads/SAME?enterprise_id=E02", headers=headers)
    assert named.status_code == 200 and named.json["enterprise_id"] == "E02"
    # An id one enterprise holds needs no enterprise; a wrong one is a 404.
    assert client.get("/api/v1/loads/ONLY-E01", headers=headers).json["enterprise_id"] == "E01"
    assert (
        client.get("/api/v1/loads/ONLY-E01?enterprise_id=E02", headers=headers).status_code == 404
    )
    # Every load in a list names its enterprise.
    listed = client.get("/api/v1/loads", headers=headers).json["items"]
    assert sorted((ld["id"], ld["enterprise_id"]) for ld in listed) == [
        ("ONLY-E01", "E01"),
        ("SAME", "E01"),
        ("SAME", "E02"),
    ]


def test_relays_hold_within_each_enterprise_under_the_same_ids(client, tokens, xunwu):
    for who in ("enterprise", "other_enterprise"):
        assert _submit(client, tokens, xunwu, "R-IN", who=who).status_code == 201
    # E01 declares its relay with the load; the admin declares E02's with POST /transfers.
    response = _submit(client, tokens, xunwu, "R-OUT", transfer_from="R-IN")
    assert response.status_code == 201, response.json
    assert _submit(client, tokens, xunwu, "R-OUT", who="other_enterprise").status_code == 201
    relay = {"inbound": "R-IN", "outbound": "R-OUT"}
    ambiguous = client.post("/api/v1/transfers", json=relay, headers=tokens["admin"])
    assert ambiguous.status_code == 422  # each side's field named (test_load_id_lists.py)
    assert [e["field"] for e in ambiguous.json["errors"]] == [
        "inbound_enterprise_id",
        "outbound_enterprise_id",
    ]
    made = client.post(
        "/api/v1/transfers", json={**relay, "enterprise_id": "E02"}, headers=tokens["admin"]
    )
    assert made.status_code == 201, made.json
    assert made.json == {
        "inbound": "R-IN",
        "outbound": "R-OUT",
        "min_gap_minutes": 0,
        "enterprise_id": "E02",
    }
    assert made.headers["Location"].endswith("/api/v1/transfers/R-IN/R-OUT")

    every = client.get("/api/v1/transfers", headers=tokens["admin"]).json
    assert sorted((t["inbound"], t["outbound"], t["enterprise_id"]) for t in every) == [
        ("R-IN", "R-OUT", "E01"),
        ("R-IN", "R-OUT", "E02"),
    ]
    for who, enterprise in (("enterprise", "E01"), ("other_enterprise", "E02")):
        own = client.get("/api/v1/transfers", headers=tokens[who]).json
        assert [t["enterprise_id"] for t in own] == [enterprise]
        load = client.get("/api/v1/loads/R-OUT", headers=tokens[who]).json
        assert load["transfer_from"] == "R-IN" and load["enterprise_id"] == enterprise
        assert client.get("/api/v1/transfers/R-IN/R-OUT", headers=tokens[who]).status_code == 200
    # Lifting E02's relay leaves E01's.
    lifted = client.delete(
        "/api/v1/transfers/R-IN/R-OUT?enterprise_id=E02", headers=tokens["admin"]
    )
    assert lifted.status_code == 204
    left = client.get("/api/v1/transfers", headers=tokens["admin"]).json
    assert [t["enterprise_id"] for t in left] == ["E01"]


def test_a_relay_proposal_joins_two_enterprises_loads_under_the_same_ids(client, tokens, xunwu):
    """E01's TWIN-IN relays to E02's TWIN-OUT while E02 holds a TWIN-IN too: each side is keyed
    with its own enterprise, from the proposal to the relay and back to lifting it."""
    assert _submit(client, tokens, xunwu, "TWIN-IN").status_code == 201
    for load_id in ("TWIN-IN", "TWIN-OUT"):
        assert _submit(client, tokens, xunwu, load_id, who="other_enterprise").status_code == 201
    body = {"inbound": "TWIN-IN", "outbound": "TWIN-OUT", "partner_enterprise_id": "E02"}
    proposals = "/api/v1/transfers/proposals"
    proposed = client.post(proposals, json=body, headers=tokens["enterprise"])
    assert proposed.status_code == 202, proposed.json
    assert (proposed.json["inbound"], proposed.json["outbound"]) == ("TWIN-IN", "TWIN-OUT")
    waiting = client.get(proposals, headers=tokens["other_enterprise"]).json
    assert [(p["inbound"], p["outbound"], p["your_side"]) for p in waiting] == [
        ("TWIN-IN", "TWIN-OUT", "partner")
    ]
    confirmed = client.post(
        f"{proposals}/{waiting[0]['id']}/confirm", headers=tokens["other_enterprise"]
    )
    assert confirmed.status_code == 200, confirmed.json

    expected = {
        "inbound": "TWIN-IN",
        "outbound": "TWIN-OUT",
        "enterprise_id": "E01",
        "outbound_enterprise_id": "E02",
        "min_gap_minutes": 0,
    }
    for who in ("admin", "enterprise", "other_enterprise"):
        assert client.get("/api/v1/transfers", headers=tokens[who]).json == [expected], who
    # The relay joins E01's inbound and E02's outbound, never E02's own TWIN-IN.
    e1 = client.get("/api/v1/loads/TWIN-IN", headers=tokens["enterprise"]).json
    e2_out = client.get("/api/v1/loads/TWIN-OUT", headers=tokens["other_enterprise"]).json
    e2_in = client.get("/api/v1/loads/TWIN-IN", headers=tokens["other_enterprise"]).json
    assert e1["transfer_to"] == "TWIN-OUT" and e2_out["transfer_from"] == "TWIN-IN"
    assert e2_in["transfer_to"] is None
    # The partner reads and lifts it by the ids it sees.
    one = client.get("/api/v1/transfers/TWIN-IN/TWIN-OUT", headers=tokens["other_enterprise"])
    assert one.status_code == 200 and one.json == expected
    lifted = client.delete("/api/v1/transfers/TWIN-IN/TWIN-OUT", headers=tokens["other_enterprise"])
    assert lifted.status_code == 204
    assert client.get("/api/v1/transfers", headers=tokens["admin"]).json == []


def test_a_report_names_the_enterprises_own_load_only(client, tokens, xunwu):
    """A problem report naming a load id: the reporter's own load is found even when another
    enterprise holds the same id; an id only another holds is refused like an unknown one."""
    assert _submit(client, tokens, xunwu, "REP-1").status_code == 201  # E01's only
    report = {"kind": "wrong_slot", "text": "时段与车辆不符", "load_id": "REP-1"}
    held = client.post("/api/v1/reports", json=report, headers=tokens["other_enterprise"])
    fresh = client.post(
        "/api/v1/reports", json={**report, "load_id": "NONE-1"}, headers=tokens["other_enterprise"]
    )
    assert held.status_code == fresh.status_code == 422
    assert _shape(held, "REP-1") == _shape(fresh, "NONE-1")
    assert _submit(client, tokens, xunwu, "REP-1", who="other_enterprise").status_code == 201
    made = client.post("/api/v1/reports", json=report, headers=tokens["other_enterprise"])
    assert made.status_code == 201, made.json
    assert made.json["load_id"] == "REP-1" and made.json["enterprise_id"] == "E02"
