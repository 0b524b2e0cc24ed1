"""Relays between two enterprises: one proposes, the other confirms or declines; the proposer
never learns whether the other enterprise's load exists; every rule is checked again at
confirmation; two confirms at once make one relay; only a confirmed relay is planned (H7).
On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from api.database import db
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import _bearer, load_body

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
INBOUND = {"release": "2026-11-28T08:00:00+08:00", "due": "2026-11-28T11:00:00+08:00"}
OUTBOUND = {"release": "2026-11-28T08:00:00+08:00", "due": "2026-11-28T14:00:00+08:00"}
PROPOSALS = "/api/v1/transfers/proposals"
COLD = 53  # a cold-chain load of the Xunwu fixture; index 0 is ambient


def _submit(client, tokens, xunwu, load_id, who, index=0, **extra):
    body = load_body(xunwu, index, id=load_id, **{**INBOUND, **extra})
    response = client.post("/api/v1/loads", json=body, headers=tokens[who])
    assert response.status_code == 201, response.json
    return response.json


def _propose(client, tokens, inbound, outbound, partner="E02", who="enterprise", gap=0):
    body = {
        "inbound": inbound,
        "outbound": outbound,
        "partner_enterprise_id": partner,
        "min_gap_minutes": gap,
    }
    return client.post(PROPOSALS, json=body, headers=tokens[who])


@pytest.fixture
def third(uow, tokens):
    """A token of a third enterprise, E03."""
    return _bearer(uow, "enterprise", "E03")


def test_the_partner_confirms_a_proposed_relay_and_both_see_only_ids(client, tokens, xunwu):
    _submit(client, tokens, xunwu, "E1-IN", "enterprise", vehicle_plate="赣B·11111")
    _submit(client, tokens, xunwu, "E2-OUT", "other_enterprise", **OUTBOUND)
    proposed = _propose(client, tokens, "E1-IN", "E2-OUT", gap=10)
    assert proposed.status_code == 202, proposed.json
    assert proposed.json["status"] == "pending" and proposed.json["your_side"] == "proposer"
    assert proposed.headers["Location"] == f"{PROPOSALS}/{proposed.json['id']}"
    # nothing is a relay yet: not listed, not on the loads
    assert client.get("/api/v1/transfers", headers=tokens["admin"]).json == []
    assert (
        client.get("/api/v1/loads/E1-IN", headers=tokens["enterprise"]).json["transfer_to"] is None
    )

    waiting = client.get(f"{PROPOSALS}?status=pending", headers=tokens["other_enterprise"]).json
    assert [(p["inbound"], p["outbound"], p["your_side"]) for p in waiting] == [
        ("E1-IN", "E2-OUT", "partner")
    ]
    assert "赣B" not in str(waiting)  # ids only, never the other side's truck
    confirmed = client.post(
        f"{PROPOSALS}/{waiting[0]['id']}/confirm", headers=tokens["other_enterprise"]
    )
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json["status"] == "confirmed" and confirmed.json["decided_at"]

    relay = [
        {
            "inbound": "E1-IN",
            "outbound": "E2-OUT",
            "enterprise_id": "E01",
            "outbound_enterprise_id": "E02",
            "min_gap_minutes": 10,
        }
    ]
    for who in ("admin", "enterprise", "other_enterprise"):
        assert client.get("/api/v1/transfers", headers=tokens[who]).json == relay, who
    assert (
        client.get("/api/v1/loads/E2-OUT", headers=tokens["other_enterprise"]).json["transfer_from"]
        == "E1-IN"
    )
    assert (
        client.get("/api/v1/loads/E1-IN", headers=tokens["enterprise"]).json["transfer_to"]
        == "E2-OUT"
    )
    # the partner still cannot read the proposer's load
    assert client.get("/api/v1/loads/E1-IN", headers=tokens["other_enterprise"]).status_code == 404
    # a second confirm: the proposal is no longer pending
    again = client.post(
        f"{PROPOSALS}/{waiting[0]['id']}/confirm", headers=tokens["other_enterprise"]
    )
    assert again.status_code == 409
    # either side may lift the relay
    lifted = client.delete("/api/v1/transfers/E1-IN/E2-OUT", headers=tokens["other_enterprise"])
    assert lifted.status_code == 204
    assert client.get("/api/v1/transfers", headers=tokens["admin"]).json == []


def test_the_proposer_cannot_tell_whether_the_other_load_exists(client, tokens, xunwu, third):
    _submit(client, tokens, xunwu, "MINE", "enterprise")
    _submit(client, tokens, xunwu, "THEIRS", "other_enterprise", **OUTBOUND)
    cases = [
        ("THEIRS", "E02"),  # exists, and is E02's
        ("NOWHERE", "E02"),  # no such load
        ("THEIRS", "E03"),  # exists, but not the named enterprise's
        ("NOWHERE", "NO-SUCH-ENTERPRISE"),  # neither exists
    ]
    answers = []
    for outbound, partner in cases:
        response = _propose(client, tokens, "MINE", outbound, partner=partner)
        body = dict(response.json)
        for varying in ("id", "proposed_at", "outbound", "partner_enterprise_id"):
            body.pop(varying)
        answers.append((response.status_code, sorted(response.headers.keys()), body))
    assert all(a == answers[0] for a in answers), answers
    assert answers[0][0] == 202
    # the proposer's own list reads alike for all four
    listed = client.get(PROPOSALS, headers=tokens["enterprise"]).json
    assert [p["status"] for p in listed] == ["pending"] * 4
    assert {p["your_side"] for p in listed} == {"proposer"}
    # the partner sees only the one naming it beside its own load; E03 sees none
    seen = client.get(PROPOSALS, headers=tokens["other_enterprise"]).json
    assert [(p["outbound"], p["partner_enterprise_id"]) for p in seen] == [("THEIRS", "E02")]
    assert client.get(PROPOSALS, headers=third).json == []
    # E03 cannot confirm a proposal that named it beside a load it does not own
    wrong = next(p for p in listed if p["partner_enterprise_id"] == "E03")
    assert client.post(f"{PROPOSALS}/{wrong['id']}/confirm", headers=third).status_code == 404
    assert client.get("/api/v1/transfers", headers=tokens["admin"]).json == []


def test_only_the_partner_may_answer_and_a_declined_proposal_makes_no_relay(
    client, tokens, xunwu, third
):
    _submit(client, tokens, xunwu, "MINE", "enterprise")
    _submit(client, tokens, xunwu, "THEIRS", "other_enterprise", **OUTBOUND)
    proposal = _propose(client, tokens, "MINE", "THEIRS").json
    url = f"{PROPOSALS}/{proposal['id']}"
    for who in (tokens["enterprise"], third):  # the proposer itself, a stranger
        assert client.post(f"{url}/confirm", headers=who).status_code == 404
    assert client.get(url, headers=third).status_code == 404
    declined = client.post(f"{url}/decline", headers=tokens["other_enterprise"])
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    assert client.get(url, headers=tokens["enterprise"]).json["status"] == "declined"
    assert client.post(f"{url}/confirm", headers=tokens["other_enterprise"]).status_code == 409
    assert client.get("/api/v1/transfers", headers=tokens["admin"]).json == []


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"inbound": "MINE", "outbound": "MINE"}, "outbound", "relay_self"),
        ({"partner_enterprise_id": "E01"}, "partner_enterprise_id", "relay_partner_self"),
        ({"inbound": "NOT-MINE", "outbound": "THEIRS"}, "inbound", "relay_unknown"),
        ({"inbound": "TAKEN-IN"}, "inbound", "relay_inbound_taken"),
    ],
    ids=["self", "own-enterprise", "neither-mine", "own-side-taken"],
)
def test_rules_about_the_proposers_own_load_are_checked_at_once(
    client, tokens, xunwu, body, field, code
):
    _submit(client, tokens, xunwu, "MINE", "enterprise")
    _submit(client, tokens, xunwu, "TAKEN-IN", "enterprise", transfer_to="MINE")
    full = {"inbound": "MINE", "outbound": "THEIRS", "partner_enterprise_id": "E02", **body}
    response = client.post(PROPOSALS, json=full, headers=tokens["enterprise"])
    assert response.status_code == 422, response.json
    assert (field, code) in [(e["field"], e["code"]) for e in response.json["errors"]]
    assert client.get(PROPOSALS, headers=tokens["enterprise"]).json == []


def test_every_relay_rule_is_checked_again_at_confirmation(client, tokens, xunwu):
    _submit(client, tokens, xunwu, "AMBIENT", "enterprise")
    _submit(client, tokens, xunwu, "AMBIENT-2", "enterprise")
    _submit(client, tokens, xunwu, "COLD-OUT", "other_enterprise", index=COLD, **OUTBOUND)
    _submit(client, tokens, xunwu, "OUT", "other_enterprise", **OUTBOUND)
    cold = _propose(client, tokens, "AMBIENT", "COLD-OUT").json
    first = _propose(client, tokens, "AMBIENT", "OUT").json
    second = _propose(client, tokens, "AMBIENT-2", "OUT").json  # OUT would take two
    partner = tokens["other_enterprise"]

    refused = client.post(f"{PROPOSALS}/{cold['id']}/confirm", headers=partner)
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json["errors"]] == ["relay_temperature"]
    # a refused confirmation leaves the proposal pending
    assert client.get(f"{PROPOSALS}/{cold['id']}", headers=partner).json["status"] == "pending"

    assert client.post(f"{PROPOSALS}/{first['id']}/confirm", headers=partner).status_code == 200
    taken = client.post(f"{PROPOSALS}/{second['id']}/confirm", headers=partner)
    assert taken.status_code == 422
    assert "relay_outbound_taken" in [e["code"] for e in taken.json["errors"]]
    # the cycle rule across enterprises: OUT -> AMBIENT would close AMBIENT -> OUT
    back = client.post(
        PROPOSALS,
        json={"inbound": "OUT", "outbound": "AMBIENT-2", "partner_enterprise_id": "E01"},
        headers=partner,
    ).json
    assert (
        client.post(f"{PROPOSALS}/{back['id']}/confirm", headers=tokens["enterprise"]).status_code
        == 200
    )
    loop = client.post(
        PROPOSALS,
        json={"inbound": "AMBIENT-2", "outbound": "AMBIENT", "partner_enterprise_id": "E02"},
        headers=tokens["enterprise"],
    )
    # AMBIENT-2 and AMBIENT are both E01's: not a cross-enterprise proposal at all
    assert loop.status_code == 422
    relays = client.get("/api/v1/transfers", headers=tokens["admin"]).json
    assert {(t["inbound"], t["outbound"]) for t in relays} == {
        ("AMBIENT", "OUT"),
        ("OUT", "AMBIENT-2"),
    }


def test_an_admin_joins_two_enterprises_loads_directly(client, tokens, xunwu):
    _submit(client, tokens, xunwu, "E1-IN", "enterprise")
    _submit(client, tokens, xunwu, "E2-OUT", "other_enterprise", **OUTBOUND)
    created = client.post(
        "/api/v1/transfers",
        json={"inbound": "E1-IN", "outbound": "E2-OUT"},
        headers=tokens["admin"],
    )
    assert created.status_code == 201, created.json
    # an enterprise token naming another's load directly still reads it as unknown
    refused = client.post(
        "/api/v1/transfers",
        json={"inbound": "E1-IN", "outbound": "E2-OUT"},
        headers=tokens["enterprise"],
    )
    assert refused.status_code == 422


def test_two_confirms_at_once_make_one_relay(app, client, tokens, xunwu):
    _submit(client, tokens, xunwu, "MINE", "enterprise")
    _submit(client, tokens, xunwu, "THEIRS", "other_enterprise", **OUTBOUND)
    proposal = _propose(client, tokens, "MINE", "THEIRS").json
    url = f"{PROPOSALS}/{proposal['id']}/confirm"
    start = threading.Barrier(2)
    codes: list[int] = []

    def confirm(headers):
        local = app.test_client()
        start.wait()
        codes.append(local.post(url, headers=headers).status_code)

    threads = [
        threading.Thread(target=confirm, args=(tokens["other_enterprise"],)),
        threading.Thread(target=confirm, args=(tokens["admin"],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == [200, 409], codes
    uow = db.uow(app)
    with uow:
        assert [(t.inbound, t.outbound) for t in uow.transfers.list()] == [
            ("E01/MINE", "E02/THEIRS")
        ]


def test_only_a_confirmed_relay_is_planned(client, tokens, xunwu):
    _submit(client, tokens, xunwu, "P-IN", "enterprise")
    _submit(client, tokens, xunwu, "P-OUT", "other_enterprise", **OUTBOUND)
    _submit(client, tokens, xunwu, "Q-IN", "enterprise")
    _submit(client, tokens, xunwu, "Q-OUT", "other_enterprise", **OUTBOUND)
    confirmed = _propose(client, tokens, "P-IN", "P-OUT", gap=30).json
    _propose(client, tokens, "Q-IN", "Q-OUT")  # left pending
    answer = client.post(
        f"{PROPOSALS}/{confirmed['id']}/confirm", headers=tokens["other_enterprise"]
    )
    assert answer.status_code == 200
    response = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    )
    location = response.headers["Location"]
    job = client.get(location, headers=tokens["admin"]).json
    assert job["status"] == "succeeded", job  # verified, H7 included
    by_load = {
        s["load_id"]: s for s in client.get(f"{location}/assignments", headers=tokens["admin"]).json
    }
    inbound, outbound = by_load["P-IN"], by_load["P-OUT"]
    assert (inbound["hub_id"], inbound["zone_id"]) == (outbound["hub_id"], outbound["zone_id"])
    ready = datetime.fromisoformat(inbound["disinfected_at"]) + timedelta(minutes=30)
    assert datetime.fromisoformat(outbound["start"]) >= ready
    export = client.get(f"{location}/export?format=csv", headers=tokens["admin"]).get_data(
        as_text=True
    )
    assert "inbound for P-OUT" in export and "Q-OUT" in export
    assert "inbound for Q-OUT" not in export  # the pending proposal is no relay
