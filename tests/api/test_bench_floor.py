"""bench/floor_app.py is the ceiling issue 16's ratio is judged by, so it must really keep the four
guarantees it stands for: a token refused at once when revoked, the body checked by the real
request schema, the Idempotency-Key honoured, and the audit entry written with the load."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from bench.bench_api import prepare
from bench.floor_app import create_app
from bench.profile_api import submission

BODY = {**submission(1), "id": "F-1"}  # what the benchmarks send


@pytest.fixture
def floor(tmp_path):
    path = tmp_path / "floor.sqlite3"
    enterprise, admin = prepare(f"sqlite:///{path}")
    client = create_app(f"sqlite:///{path}").test_client()
    return client, {"Authorization": f"Bearer {enterprise}"}, admin, path


def test_a_load_and_its_audit_entry_are_stored_together(floor):
    client, auth, _admin, path = floor
    answer = client.post("/api/v1/loads", json=BODY, headers=auth)
    assert answer.status_code == 201
    assert answer.json["id"] == "F-1" and answer.json["enterprise_id"] == "E01"
    with sqlite3.connect(path) as db:
        (load,) = db.execute(
            "SELECT status, release, vehicle_plate_key, created_by FROM loads WHERE id = 'E01/F-1'"
        ).fetchall()
        audit = db.execute(
            "SELECT actor, target_id FROM audit_log WHERE action = 'load.create'"
        ).fetchall()
    assert load[:3] == ("submitted", "2026-11-28 02:30:00.000000", "赣BT52D8")
    assert audit == [(load[3], "E01/F-1")]
    taken = client.post("/api/v1/loads", json=BODY, headers=auth)
    assert taken.status_code == 409


def test_a_revoked_token_is_refused_on_the_next_request(floor):
    client, auth, _admin, path = floor
    assert client.post("/api/v1/loads", json=BODY, headers=auth).status_code == 201
    with sqlite3.connect(path) as db:
        revoked = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")  # as UtcDateTime stores it
        db.execute("UPDATE api_tokens SET revoked_at = ?", (revoked,))
    again = client.post("/api/v1/loads", json={**BODY, "id": "F-2"}, headers=auth)
    assert again.status_code == 401
    unknown = client.post("/api/v1/loads", json=BODY, headers={"Authorization": "Bearer x"})
    assert unknown.status_code == 401


def test_only_an_enterprise_submits_and_only_a_valid_body(floor):
    client, auth, admin, _path = floor
    admin_auth = {"Authorization": f"Bearer {admin}"}
    assert client.post("/api/v1/loads", json=BODY, headers=admin_auth).status_code == 403
    bad = client.post("/api/v1/loads", json={**BODY, "handling_minutes": 0}, headers=auth)
    assert bad.status_code == 422
    assert bad.json["errors"][0]["loc"] == ["handling_minutes"]
    unknown_field = client.post("/api/v1/loads", json={**BODY, "colour": "red"}, headers=auth)
    assert unknown_field.status_code == 422


def test_an_idempotency_key_replays_the_same_request_and_refuses_another(floor):
    client, auth, _admin, path = floor
    keyed = {**auth, "Idempotency-Key": "k-1"}
    first = client.post("/api/v1/loads", json=BODY, headers=keyed)
    replay = client.post("/api/v1/loads", json=BODY, headers=keyed)
    other = client.post("/api/v1/loads", json={**BODY, "id": "F-9"}, headers=keyed)
    assert (first.status_code, replay.status_code, other.status_code) == (201, 200, 409)
    assert replay.json["id"] == "F-1"
    with sqlite3.connect(path) as db:
        loads = db.execute("SELECT id FROM loads WHERE id LIKE 'E01/F-%'").fetchall()
        entries = db.execute("SELECT count(*) FROM audit_log WHERE action = 'load.create'")
        assert entries.fetchone() == (1,)
    assert loads == [("E01/F-1",)]
