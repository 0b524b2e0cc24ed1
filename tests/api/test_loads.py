"""Loads through the API: submission, idempotency, batches, sheets, reading, changing, the gate."""

from __future__ import annotations

import io

import pytest

from tests.api.conftest import FIXTURES, load_body


def _count(uow) -> int:
    with uow:
        return uow.loads.count()


def test_an_enterprise_submits_its_own_load_and_gets_201_with_location(client, tokens, xunwu):
    response = client.post("/api/v1/loads", json=load_body(xunwu), headers=tokens["enterprise"])
    assert response.status_code == 201
    body = response.json
    assert body["enterprise_id"] == "E01" and body["status"] == "submitted"
    assert response.headers["Location"].endswith(f"/api/v1/loads/{body['id']}")
    assert body["release"].endswith("+08:00")  # times keep their offset


def test_an_admin_must_name_the_enterprise(client, tokens, xunwu):
    response = client.post("/api/v1/loads", json=load_body(xunwu), headers=tokens["admin"])
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "enterprise_id", "message": "is required", "code": "required"}
    ]
    ok = client.post(
        "/api/v1/loads", json=load_body(xunwu, enterprise_id="E03"), headers=tokens["admin"]
    )
    assert ok.status_code == 201 and ok.json["enterprise_id"] == "E03"


def test_an_enterprise_cannot_submit_for_another(client, tokens, xunwu, uow):
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, enterprise_id="E02"), headers=tokens["enterprise"]
    )
    assert response.status_code == 403
    assert _count(uow) == 0


def test_a_retry_with_the_same_idempotency_key_returns_the_first_load(client, tokens, xunwu, uow):
    headers = {**tokens["enterprise"], "Idempotency-Key": "order-17"}
    first = client.post("/api/v1/loads", json=load_body(xunwu), headers=headers)
    again = client.post("/api/v1/loads", json=load_body(xunwu), headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert _count(uow) == 1
    other = client.post(
        "/api/v1/loads",
        json=load_body(xunwu),
        headers={**tokens["enterprise"], "Idempotency-Key": "order-18"},
    )
    assert other.status_code == 201 and _count(uow) == 2


def test_the_same_idempotency_key_for_a_different_load_is_a_conflict(client, tokens, xunwu, uow):
    headers = {**tokens["enterprise"], "Idempotency-Key": "order-19"}
    assert client.post("/api/v1/loads", json=load_body(xunwu), headers=headers).status_code == 201
    other = client.post(
        "/api/v1/loads", json=load_body(xunwu, handling_minutes=99), headers=headers
    )
    assert other.status_code == 409
    assert other.json["errors"][0]["field"] == "Idempotency-Key"
    assert _count(uow) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"temperature": "warm"}, "temperature"),
        ({"handling_minutes": "long"}, "handling_minutes"),
        ({"handling_minutes": 0}, "handling_minutes"),
        ({"release": "2026-11-28T08:00:00"}, "release"),
        ({"category": None}, "category"),
        ({"colour": "red"}, "colour"),
        ({"due": "2026-11-27T08:00:00+08:00"}, "due"),
        ({"allowed_hubs": ["NOWHERE"]}, "allowed_hubs[0]"),
        ({"screening": {"health_code": "purple"}}, "screening.health_code"),
    ],
    ids=[
        "enum",
        "type",
        "range",
        "no-offset",
        "null",
        "unknown-field",
        "due-before-release",
        "unknown-hub",
        "screening-type",
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, tokens, xunwu, uow, change, field):
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, **change), headers=tokens["enterprise"]
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in [e.get("field") for e in response.json["errors"]]
    assert "Traceback" not in response.get_data(as_text=True)
    assert _count(uow) == 0


def test_a_driver_failing_screening_is_kept_with_the_reasons(client, tokens, xunwu, uow):
    screening = {
        "test_type": "pcr",
        "test_result": "positive",
        "test_time": "2026-11-27T20:00:00+08:00",
        "health_code": "green",
        "body_temperature_c": 36.5,
    }
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, screening=screening), headers=tokens["enterprise"]
    )
    assert response.status_code == 201
    assert response.json["screening_failures"] == ["TEST_POSITIVE: the test result is positive"]
    stored = client.get(f"/api/v1/loads/{response.json['id']}", headers=tokens["enterprise"])
    assert stored.json["screening_failures"] == response.json["screening_failures"]


def test_a_taken_load_id_is_a_conflict(client, tokens, xunwu, uow):
    body = load_body(xunwu, id="MY-1")
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 201
    again = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert again.status_code == 409 and again.json["errors"][0]["field"] == "id"
    assert _count(uow) == 1


def test_unknown_enterprise_is_a_field_error(client, tokens, xunwu, uow):
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, enterprise_id="E99"), headers=tokens["admin"]
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "enterprise_id"
    assert _count(uow) == 0


def test_malformed_json_wrong_content_type_and_oversized_bodies_are_clear_4xx(client, tokens, uow):
    headers = tokens["enterprise"]
    malformed = client.post(
        "/api/v1/loads", data='{"category": ', headers=headers, content_type="application/json"
    )
    assert malformed.status_code == 400 and "JSON" in malformed.json["detail"]
    wrong_type = client.post(
        "/api/v1/loads",
        data="category=x",
        headers=headers,
        content_type="application/x-www-form-urlencoded",
    )
    assert wrong_type.status_code == 415
    not_an_object = client.post("/api/v1/loads", json=[1, 2], headers=headers)
    assert not_an_object.status_code == 422
    huge = client.post(
        "/api/v1/loads",
        data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers=headers,
        content_type="application/json",
    )
    assert huge.status_code == 413 and huge.mimetype == "application/problem+json"
    assert _count(uow) == 0


def test_a_batch_is_all_or_nothing(client, tokens, xunwu, uow):
    good = [load_body(xunwu, i, enterprise_id="E01") for i in range(3)]
    bad = [*good, load_body(xunwu, 3, temperature="hot")]
    response = client.post("/api/v1/loads/batch", json=bad, headers=tokens["admin"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["[3].temperature"]
    assert _count(uow) == 0
    ok = client.post("/api/v1/loads/batch", json=good, headers=tokens["admin"])
    assert ok.status_code == 201 and len(ok.json) == 3
    assert _count(uow) == 3


def test_a_batch_with_a_duplicate_id_stores_nothing(client, tokens, xunwu, uow):
    items = [
        load_body(xunwu, 0, id="DUP", enterprise_id="E01"),
        load_body(xunwu, 1, id="DUP", enterprise_id="E01"),
    ]
    response = client.post("/api/v1/loads/batch", json=items, headers=tokens["admin"])
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "[1].id"
    assert _count(uow) == 0


def _upload(client, headers, path, query=""):
    data = {"file": (io.BytesIO(path.read_bytes()), path.name)}
    return client.post(
        f"/api/v1/loads/import{query}",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("name", ["loads_sample.csv", "loads_sample.xlsx"])
def test_a_good_sheet_imports_every_row_and_dry_run_writes_nothing(client, tokens, uow, name):
    dry = _upload(client, tokens["admin"], FIXTURES / name, "?dry_run=true")
    assert dry.status_code == 200, dry.json
    assert dry.json["dry_run"] is True and dry.json["count"] > 0
    assert dry.json["screening_failures"]["S013"][0].startswith("FEVER")  # kept, with the reason
    assert _count(uow) == 0
    real = _upload(client, tokens["admin"], FIXTURES / name)
    assert real.status_code == 201
    assert _count(uow) == real.json["count"] == dry.json["count"]


BROKEN = sorted((FIXTURES / "broken").glob("*.*"))


@pytest.mark.parametrize("path", BROKEN, ids=[p.name for p in BROKEN])
def test_each_broken_sheet_is_refused_by_row_and_column_and_writes_nothing(
    client, tokens, uow, path
):
    response = _upload(client, tokens["admin"], path)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    errors = response.json["errors"]
    assert errors and all("row" in e and e["message"] for e in errors)
    assert _count(uow) == 0


def test_an_enterprise_cannot_import_rows_of_another(client, tokens, uow):
    response = _upload(client, tokens["other_enterprise"], FIXTURES / "loads_sample.csv")
    assert response.status_code == 422
    columns = {e["column"] for e in response.json["errors"]}
    # the sample's explicit weights are refused too: only the command centre sets them
    assert "enterprise_id" in columns and columns <= {"enterprise_id", "priority_weight"}
    assert _count(uow) == 0


def test_import_needs_a_multipart_file(client, tokens):
    assert client.post("/api/v1/loads/import", json={}, headers=tokens["admin"]).status_code == 415
    empty = client.post(
        "/api/v1/loads/import", data={}, headers=tokens["admin"], content_type="multipart/form-data"
    )
    assert empty.status_code == 400
    text = client.post(
        "/api/v1/loads/import",
        headers=tokens["admin"],
        data={"file": (io.BytesIO(b"hello"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert text.status_code == 422


def _submit(client, tokens, xunwu, role="enterprise", index=0, **changes):
    body = load_body(xunwu, index, **changes)
    if role == "admin":
        body.setdefault("enterprise_id", "E01")
    response = client.post("/api/v1/loads", json=body, headers=tokens[role])
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_an_enterprise_sees_only_its_own_loads_and_another_s_is_404(client, tokens, xunwu):
    mine = _submit(client, tokens, xunwu)
    theirs = client.post(
        "/api/v1/loads", json=load_body(xunwu, 1), headers=tokens["other_enterprise"]
    )
    theirs_id = theirs.json["id"]
    listing = client.get("/api/v1/loads", headers=tokens["enterprise"]).json
    assert [ld["id"] for ld in listing["items"]] == [mine] and listing["total"] == 1
    assert client.get(f"/api/v1/loads/{theirs_id}", headers=tokens["enterprise"]).status_code == 404
    for method in ("PATCH", "DELETE"):
        response = client.open(
            f"/api/v1/loads/{theirs_id}", method=method, json={}, headers=tokens["enterprise"]
        )
        assert response.status_code == 404, method
    filtered = client.get("/api/v1/loads?enterprise_id=E02", headers=tokens["enterprise"]).json
    assert filtered["items"] == []
    everything = client.get("/api/v1/loads", headers=tokens["operator"]).json
    assert everything["total"] == 2


def test_listing_filters_and_paginates(client, tokens, xunwu):
    for i in range(5):
        _submit(client, tokens, xunwu, "admin", i, enterprise_id="E01")
    page = client.get("/api/v1/loads?limit=2&offset=1", headers=tokens["admin"]).json
    assert page["total"] == 5 and len(page["items"]) == 2 and page["offset"] == 1
    releases = [
        ld["release"] for ld in client.get("/api/v1/loads", headers=tokens["admin"]).json["items"]
    ]
    assert releases == sorted(releases)
    assert client.get("/api/v1/loads?status=submitted", headers=tokens["admin"]).json["total"] == 5
    assert client.get("/api/v1/loads?status=completed", headers=tokens["admin"]).json["total"] == 0
    assert client.get("/api/v1/loads?date=2026-11-28", headers=tokens["admin"]).json["total"] == 5
    assert client.get("/api/v1/loads?date=2026-11-29", headers=tokens["admin"]).json["total"] == 0
    bad = client.get("/api/v1/loads?limit=0&status=flying", headers=tokens["admin"])
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json["errors"]} == {"limit", "status"}


def test_patch_changes_a_load_and_rechecks_it(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    ok = client.patch(
        f"/api/v1/loads/{load_id}", json={"handling_minutes": 55}, headers=tokens["enterprise"]
    )
    assert ok.status_code == 200 and ok.json["handling_minutes"] == 55
    bad = client.patch(
        f"/api/v1/loads/{load_id}",
        json={"due": "2026-11-27T00:00:00+08:00"},
        headers=tokens["enterprise"],
    )
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "due"
    status = client.patch(
        f"/api/v1/loads/{load_id}", json={"status": "completed"}, headers=tokens["enterprise"]
    )
    assert status.status_code == 422  # status moves only through the lifecycle endpoints
    missing = client.patch("/api/v1/loads/NOPE", json={}, headers=tokens["admin"])
    assert missing.status_code == 404


def test_delete_cancels_and_keeps_the_record(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    response = client.delete(f"/api/v1/loads/{load_id}", headers=tokens["enterprise"])
    assert response.status_code == 200 and response.json["status"] == "cancelled"
    assert (
        client.get(f"/api/v1/loads/{load_id}", headers=tokens["enterprise"]).json["status"]
        == "cancelled"
    )
    again = client.delete(f"/api/v1/loads/{load_id}", headers=tokens["enterprise"])
    assert again.status_code == 409


def test_the_truck_s_life_check_in_start_complete(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    gate = tokens["operator"]
    checked = client.post(
        f"/api/v1/loads/{load_id}/check-in", headers=gate, json={"at": "2026-11-28T10:20:00+08:00"}
    )
    assert checked.status_code == 200, checked.json
    assert checked.json["passed"] is True and checked.json["load"]["status"] == "checked_in"
    assert client.post(f"/api/v1/loads/{load_id}/no-show", headers=gate).status_code == 409
    assert (
        client.post(f"/api/v1/loads/{load_id}/start", headers=gate).json["status"] == "in_operation"
    )
    done = client.post(
        f"/api/v1/loads/{load_id}/complete", headers=gate, json={"at": "2026-11-28T11:00:00+08:00"}
    )
    assert done.json["status"] == "completed"
    assert client.post(f"/api/v1/loads/{load_id}/complete", headers=gate).status_code == 409


def test_check_in_screens_the_driver_again_and_refuses_a_fever(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    screening = {**load_body(xunwu)["screening"], "body_temperature_c": 38.4}
    response = client.post(
        f"/api/v1/loads/{load_id}/check-in",
        headers=tokens["operator"],
        json={"at": "2026-11-28T10:20:00+08:00", "screening": screening},
    )
    assert response.status_code == 200
    assert response.json["passed"] is False
    assert any(c.startswith("FEVER") for c in response.json["failed_checks"])
    assert response.json["load"]["status"] == "rejected"
    fever = next(c for c in response.json["checks"] if c["code"] == "FEVER")
    assert fever["message"] == "Body temperature 38.4 °C is above 37.3 °C."  # asked in English
    assert fever["params"]["temperature_c"] == 38.4


def test_the_checks_a_driver_failed_are_said_in_chinese_first(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    response = client.post(
        f"/api/v1/loads/{load_id}/check-in",
        headers={**tokens["operator"], "Accept-Language": "zh-CN"},
        json={"at": "2026-11-30T10:20:00+08:00"},
    )
    assert response.json["passed"] is False
    old = next(c for c in response.json["checks"] if c["code"] == "TEST_TOO_OLD")
    hours = old["params"]["age_h"]
    assert old["message"] == f"到达时检测已过 {hours} 小时（最多 48 小时）。"


def test_check_in_a_day_later_finds_the_test_too_old(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    response = client.post(
        f"/api/v1/loads/{load_id}/check-in",
        headers=tokens["operator"],
        json={"at": "2026-11-30T10:20:00+08:00"},
    )
    assert response.json["passed"] is False
    assert any(c.startswith("TEST_TOO_OLD") for c in response.json["failed_checks"])


def test_no_show_frees_a_scheduled_slot_only(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    # A submitted load has no slot yet: no-show is for trucks that had one.
    assert (
        client.post(f"/api/v1/loads/{load_id}/no-show", headers=tokens["operator"]).status_code
        == 409
    )
    bad = client.post(
        f"/api/v1/loads/{load_id}/start", headers=tokens["operator"], json={"at": "yesterday"}
    )
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "at"


def test_a_nul_character_anywhere_is_a_field_error_never_a_500(client, tokens, xunwu, uow):
    body = load_body(xunwu, vehicle_plate="赣B\x00T52")
    response = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "vehicle_plate", "message": "must not contain a NUL character"}
    ]
    assert client.get("/api/v1/loads/A%00B", headers=tokens["admin"]).status_code == 422
    assert client.get("/api/v1/loads?enterprise_id=%00", headers=tokens["admin"]).status_code == 422
    assert _count(uow) == 0
