"""The API says what the load form says at submission: an arrival already past is stored (201)
with a `warnings` entry {field, code: release_past, params: {release}, message}, one load and in
a batch; an arrival still ahead has none. The clock is the service's (HUB_SCHEDULER_PLAN_NOW,
the Xunwu day's first minute here). (Before: 201 and not a word.) On SQLite and PostgreSQL."""

from __future__ import annotations

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body

PAST = {"release": "2026-11-26T08:00:00+08:00", "due": "2026-11-26T12:00:00+08:00"}
RELEASE_PAST = {
    "field": "release",
    "code": "release_past",
    "params": {"release": "2026-11-26T08:00:00+08:00"},
    "message": "the arrival time 2026-11-26 08:00 has already passed",
}


def test_a_load_arriving_two_days_ago_is_stored_with_a_warning(client, tokens, xunwu):
    body = {**load_body(xunwu), **PAST, "id": "PAST-1"}
    response = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert response.status_code == 201, response.json
    assert response.json["warnings"] == [RELEASE_PAST]
    stored = client.get("/api/v1/loads/PAST-1", headers=tokens["enterprise"])
    assert stored.status_code == 200 and "warnings" not in stored.json


def test_a_load_still_ahead_has_no_warning(client, tokens, xunwu):
    response = client.post("/api/v1/loads", json=load_body(xunwu), headers=tokens["enterprise"])
    assert response.status_code == 201
    assert response.json["warnings"] == []


def test_a_batch_warns_on_the_past_load_only(client, tokens, xunwu):
    items = [load_body(xunwu, 0, enterprise_id="E01"), {**load_body(xunwu, 1), **PAST}]
    items[1]["enterprise_id"] = "E01"
    response = client.post("/api/v1/loads/batch", json=items, headers=tokens["admin"])
    assert response.status_code == 201, response.json
    assert [ld["warnings"] for ld in response.json] == [[], [RELEASE_PAST]]
