"""Idempotency-Key as clients rely on it: a retry is compared with the stored REQUEST, not with
the load as it is now; a batch honours the key too. Cases from /work/shared/cases/2026-11-30
(`idempotent-retry-after-patch.sh`, `batch-retry-same-key.sh`), adapted."""

from __future__ import annotations

from threads import all_at_once

from api.database import db
from hub_scheduler.services.tokens import issue_token

# The bodies of the shell cases (written for the demo day 2026-11-28).
SINGLE = {
    "category": "agricultural",
    "temperature": "ambient",
    "handling_minutes": 30,
    "release": "2026-11-28T10:30:00+08:00",
    "due": "2026-11-28T13:00:00+08:00",
    "vehicle_plate": "赣B·H0001",
}
BATCH = [
    {
        "category": "postal_express",
        "temperature": "ambient",
        "handling_minutes": 25,
        "release": "2026-11-28T16:00:00+08:00",
        "due": "2026-11-28T18:00:00+08:00",
        "vehicle_plate": "赣B·Q1001",
    },
    {
        "category": "postal_express",
        "temperature": "ambient",
        "handling_minutes": 25,
        "release": "2026-11-28T16:30:00+08:00",
        "due": "2026-11-28T18:30:00+08:00",
        "vehicle_plate": "赣B·Q1002",
    },
]


def _total(client, headers) -> int:
    return client.get("/api/v1/loads?limit=1", headers=headers).json["total"]


def test_a_retry_after_a_patch_returns_the_original_load_not_a_conflict(client, tokens):
    headers = {**tokens["enterprise"], "Idempotency-Key": "retry-order-1"}
    first = client.post("/api/v1/loads", json=SINGLE, headers=headers)
    assert first.status_code == 201
    again = client.post("/api/v1/loads", json=SINGLE, headers=headers)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    patched = client.patch(
        f"/api/v1/loads/{first.json['id']}",
        json={"due": "2026-11-28T14:00:00+08:00"},
        headers=tokens["enterprise"],
    )
    assert patched.status_code == 200

    retried = client.post("/api/v1/loads", json=SINGLE, headers=headers)

    assert retried.status_code == 200, retried.json
    assert retried.json["id"] == first.json["id"]
    assert _total(client, tokens["enterprise"]) == 1


def test_the_same_key_with_the_same_json_in_another_key_order_is_a_retry(client, tokens):
    headers = {**tokens["enterprise"], "Idempotency-Key": "retry-order-2"}
    first = client.post("/api/v1/loads", json=SINGLE, headers=headers)
    reordered = dict(reversed(list(SINGLE.items())))
    again = client.post("/api/v1/loads", json=reordered, headers=headers)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]


def test_the_same_key_with_another_body_is_a_409_naming_the_header(client, tokens):
    headers = {**tokens["enterprise"], "Idempotency-Key": "retry-order-3"}
    assert client.post("/api/v1/loads", json=SINGLE, headers=headers).status_code == 201
    other = client.post("/api/v1/loads", json={**SINGLE, "handling_minutes": 31}, headers=headers)
    assert other.status_code == 409
    assert other.json["errors"][0]["field"] == "Idempotency-Key"
    assert _total(client, tokens["enterprise"]) == 1


def test_a_retried_batch_with_the_same_key_answers_the_first_loads_and_stores_none_again(
    client, tokens
):
    headers = {**tokens["enterprise"], "Idempotency-Key": "retry-batch-1"}
    before = _total(client, tokens["enterprise"])
    first = client.post("/api/v1/loads/batch", json=BATCH, headers=headers)
    again = client.post("/api/v1/loads/batch", json=BATCH, headers=headers)

    assert first.status_code == 201 and again.status_code == 200
    assert [ld["id"] for ld in again.json] == [ld["id"] for ld in first.json]
    assert _total(client, tokens["enterprise"]) == before + 2


def test_a_batch_key_reused_for_another_batch_is_a_409_and_a_new_key_stores_anew(client, tokens):
    headers = {**tokens["enterprise"], "Idempotency-Key": "retry-batch-2"}
    assert client.post("/api/v1/loads/batch", json=BATCH, headers=headers).status_code == 201
    other = client.post("/api/v1/loads/batch", json=BATCH[:1], headers=headers)
    assert other.status_code == 409
    assert other.json["errors"][0]["field"] == "Idempotency-Key"
    fresh = {**tokens["enterprise"], "Idempotency-Key": "retry-batch-3"}
    assert client.post("/api/v1/loads/batch", json=BATCH, headers=fresh).status_code == 201
    assert _total(client, tokens["enterprise"]) == 4


def test_a_batch_without_a_key_is_stored_each_time(client, tokens):
    for _ in range(2):
        assert (
            client.post("/api/v1/loads/batch", json=BATCH, headers=tokens["enterprise"])
        ).status_code == 201
    assert _total(client, tokens["enterprise"]) == 4


def test_another_enterprise_may_use_the_same_key(client, tokens):
    key = {"Idempotency-Key": "shared-word"}
    mine = client.post("/api/v1/loads", json=SINGLE, headers={**tokens["enterprise"], **key})
    theirs = client.post(
        "/api/v1/loads", json=SINGLE, headers={**tokens["other_enterprise"], **key}
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json["id"] != theirs.json["id"]


# --- the same batch sent at once by several threads, on SQLite and PostgreSQL -------------------


def test_four_simultaneous_copies_of_one_keyed_batch_store_it_once(shared_app):
    token = issue_token(db.uow(shared_app), role="enterprise", enterprise_id="E03", actor="test")
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "race-batch"}

    def send():
        return shared_app.test_client().post("/api/v1/loads/batch", json=BATCH, headers=headers)

    answers = all_at_once([send] * 4)

    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    assert len({tuple(ld["id"] for ld in a.json) for a in answers}) == 1
    uow = db.uow(shared_app)
    with uow:
        assert uow.loads.count(enterprise_id="E03") == 2
