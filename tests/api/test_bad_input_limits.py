"""Inputs an outside probe used to crash, stall or poison the service: each KIND is refused with a
4xx problem naming the field, before anything is written, on SQLite and on PostgreSQL. Here
nesting, integers, calendar edges, coercion and one set of limits; what every answer is bounded
by: test_bad_input_answers.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from hub_scheduler import limits
from hub_scheduler.domain import Load
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import assert_problem, load_total
from tests.api.conftest import load_body
from tests.api.test_bad_input import IDS, JSON_WRITES

HUGE = 9223372036854775808  # 2**63: beyond any 64-bit column
EDGES = ["9999-12-31T20:00:00Z", "0001-01-01T00:00:00+08:00", "2000-01-01T00:00:00+08:00"]
CSV_HEADER = "id,enterprise_id,category,temperature,handling_minutes,release,due"


def _fields(response) -> set[str]:
    return {e.get("field") for e in response.json.get("errors", [])}


# --- 1. nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "role"), JSON_WRITES, ids=IDS)
def test_a_body_nested_100000_levels_is_400_not_a_recursion_error(
    client, tokens, method, path, role
):
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.open(
        path, method=method, data=deep, headers=tokens[role], content_type="application/json"
    )
    assert_problem(response, 400)
    assert "nested" in response.json["detail"]


def test_nesting_is_counted_outside_strings_only(client, tokens, xunwu):
    body = load_body(xunwu, vehicle_plate="[[[[[[[[[[")
    deep = "[" * (limits.JSON_MAX_DEPTH + 1) + "]" * (limits.JSON_MAX_DEPTH + 1)
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 201
    response = client.post(
        "/api/v1/loads", data=deep, headers=tokens["enterprise"], content_type="application/json"
    )
    assert_problem(response, 400)


# --- 2. integers beyond 64 bits -----------------------------------------------------------------


@pytest.mark.parametrize("field", ["handling_minutes", "priority_weight", "disinfection_minutes"])
def test_an_integer_beyond_64_bits_in_a_body_is_422_naming_it(client, tokens, xunwu, field):
    before = load_total(client, tokens)
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, **{field: HUGE}), headers=tokens["enterprise"]
    )
    assert_problem(response, 422)
    assert field in _fields(response)
    assert load_total(client, tokens) == before


@pytest.mark.parametrize(
    "query", ["offset=" + "9" * 30, "limit=" + "9" * 30, "offset=-1", "date=" + "9" * 30]
)
def test_an_integer_beyond_range_in_a_query_is_422(client, tokens, query):
    response = client.get(f"/api/v1/loads?{query}", headers=tokens["admin"])
    assert_problem(response, 422)
    assert response.json["errors"][0]["field"] == query.split("=")[0]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/plans/" + "9" * 30,
        "/api/v1/plans/" + "9" * 30 + "/assignments",
        f"/api/v1/plans/{limits.INT_MAX + 1}",
        "/plans/" + "9" * 30,
    ],
)
def test_a_path_id_beyond_any_stored_id_is_404(client, tokens, path):
    response = client.get(path, headers=tokens["admin"])
    assert response.status_code == 404


def test_every_integer_field_of_a_submission_has_a_documented_range(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    load_in = schemas["LoadIn"]["properties"]
    for name in ("handling_minutes", "priority_weight", "disinfection_minutes"):
        shapes = load_in[name].get("anyOf", [load_in[name]])
        integer = next(s for s in shapes if s.get("type") == "integer")
        assert integer["maximum"] <= limits.INT_MAX, name
    assert load_in["handling_minutes"]["maximum"] == limits.MINUTES_MAX


# --- 3. dates at the edge of the calendar -------------------------------------------------------


@pytest.mark.parametrize("moment", EDGES)
def test_a_date_outside_the_window_is_refused_before_any_write(client, tokens, xunwu, moment):
    before = load_total(client, tokens)
    single = client.post(
        "/api/v1/loads", json=load_body(xunwu, release=moment), headers=tokens["enterprise"]
    )
    batch = client.post(
        "/api/v1/loads/batch",
        json=[load_body(xunwu, 1), load_body(xunwu, 2, due=moment)],
        headers=tokens["enterprise"],
    )
    for response in (single, batch):
        assert_problem(response, 422)
        assert "5 years" in response.get_data(as_text=True)
    assert "release" in _fields(single) and "[1].due" in _fields(batch)
    assert load_total(client, tokens) == before
    assert client.get("/api/v1/loads", headers=tokens["admin"]).status_code == 200


def test_a_patch_a_plan_horizon_and_a_date_query_use_the_same_window(client, tokens, xunwu):
    created = client.post("/api/v1/loads", json=load_body(xunwu), headers=tokens["enterprise"])
    load_id = created.json["id"]
    patch = client.patch(
        f"/api/v1/loads/{load_id}", json={"due": EDGES[0]}, headers=tokens["enterprise"]
    )
    assert_problem(patch, 422)
    assert "due" in _fields(patch)
    assert (
        client.get(f"/api/v1/loads/{load_id}", headers=tokens["admin"]).json["due"]
        == (created.json["due"])
    )
    plan = client.post(
        "/api/v1/plans",
        json={"horizon": {"start": "2026-11-28T00:00:00+08:00", "end": EDGES[0]}},
        headers=tokens["admin"],
    )
    assert_problem(plan, 422)
    for query in ("/api/v1/loads?date=9999-12-31", "/api/v1/plans/published?date=0001-01-01"):
        assert_problem(client.get(query, headers=tokens["admin"]), 422)


def test_a_sheet_with_a_date_outside_the_window_is_refused_by_cell(client, tokens):
    row = "S1,E01,energy,ambient,30,2026-11-28T08:00:00+08:00,9999-12-31T20:00:00Z"
    sheet = f"{CSV_HEADER}\n{row}\n"
    for dry_run in ("true", "false"):
        response = client.post(
            f"/api/v1/loads/import?dry_run={dry_run}",
            data={"file": (io.BytesIO(sheet.encode()), "loads.csv")},
            headers=tokens["enterprise"],
            content_type="multipart/form-data",
        )
        assert_problem(response, 422)
        assert "5 years" in response.get_data(as_text=True)
    assert load_total(client, tokens) == 0


def test_a_row_already_stored_at_the_calendar_edge_does_not_break_any_read(
    client, tokens, uow, xunwu
):
    data = xunwu.loads[0].model_dump() | {
        "id": "E01/EDGE-1",  # stored by its key (hub_scheduler/load_keys.py)
        "enterprise_id": "E01",
        "release": datetime(9999, 12, 31, 20, tzinfo=UTC),
        "due": datetime(9999, 12, 31, 22, tzinfo=UTC),
    }
    with uow:  # written past the API, as an older version of the service could have
        uow.loads.add(Load.model_validate(data, context={limits.STORED: True}))
        uow.commit()
    for role in ("admin", "enterprise"):
        listed = client.get("/api/v1/loads", headers=tokens[role])
        assert listed.status_code == 200
        assert "EDGE-1" in [item["id"] for item in listed.json["items"]]
    one = client.get("/api/v1/loads/EDGE-1", headers=tokens["enterprise"])
    assert one.status_code == 200 and one.json["release"].startswith("9999-12-31T20:00:00")


# --- 5. no loose coercion -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"handling_minutes": True},
        {"handling_minutes": "30"},
        {"release": 1_764_288_000},
        {"has_pass": 1},
        {"category": 1},
    ],
    ids=["bool as int", "text as int", "number as date", "int as bool", "int as enum"],
)
def test_a_value_of_the_wrong_json_type_is_422_not_coerced(client, tokens, xunwu, change):
    before = load_total(client, tokens)
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, **change), headers=tokens["enterprise"]
    )
    assert_problem(response, 422)
    assert set(change) <= _fields(response)
    assert load_total(client, tokens) == before


def test_iso_datetimes_and_json_numbers_still_work(client, tokens, xunwu):
    body = load_body(xunwu, release="2026-11-28T08:00:00+08:00", origin={"lat": 25, "lon": 115.6})
    response = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert response.status_code == 201, response.json
    assert response.json["release"] == "2026-11-28T08:00:00+08:00"


# --- 6. one set of limits for every entry point -------------------------------------------------


@pytest.mark.parametrize(
    "load_id",
    ["slash/id-1", "a" * (limits.ID_MAX_LENGTH + 1), "a" * 100_000, "nul\x00id", "-lead", "a b"],
    ids=["slash", "65 chars", "100k chars", "NUL", "leading dash", "space"],
)
def test_a_bad_load_id_is_refused_by_the_api_the_batch_and_the_sheet(
    client, tokens, xunwu, load_id
):
    single = client.post(
        "/api/v1/loads", json=load_body(xunwu, id=load_id), headers=tokens["enterprise"]
    )
    batch = client.post(
        "/api/v1/loads/batch", json=[load_body(xunwu, id=load_id)], headers=tokens["enterprise"]
    )
    sheet = f"{CSV_HEADER}\n{load_id},E01,energy,ambient,30,2026-11-28T08:00:00+08:00,"
    sheet += "2026-11-28T12:00:00+08:00\n"
    imports = [
        client.post(
            f"/api/v1/loads/import?dry_run={dry_run}",
            data={"file": (io.BytesIO(sheet.encode()), "loads.csv")},
            headers=tokens["enterprise"],
            content_type="multipart/form-data",
        )
        for dry_run in ("true", "false")
    ]
    for response in (single, batch, *imports):
        assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert load_total(client, tokens) == 0


def test_a_cjk_id_is_created_and_read_back_through_a_quoted_url(client, tokens, xunwu):
    created = client.post(
        "/api/v1/loads", json=load_body(xunwu, id="寻乌-001"), headers=tokens["enterprise"]
    )
    assert created.status_code == 201
    location = created.headers["Location"]
    assert location.endswith("/loads/%E5%AF%BB%E4%B9%8C-001")
    assert client.get(location, headers=tokens["enterprise"]).json["id"] == "寻乌-001"


def test_a_long_plate_is_refused_by_the_api_and_the_sheet(client, tokens, xunwu):
    plate = "赣B" + "1" * limits.PLATE_MAX_LENGTH
    api = client.post(
        "/api/v1/loads", json=load_body(xunwu, vehicle_plate=plate), headers=tokens["enterprise"]
    )
    sheet = f"{CSV_HEADER},vehicle_plate\nP1,E01,energy,ambient,30,2026-11-28T08:00:00+08:00,"
    sheet += f"2026-11-28T12:00:00+08:00,{plate}\n"
    imported = client.post(
        "/api/v1/loads/import",
        data={"file": (io.BytesIO(sheet.encode()), "loads.csv")},
        headers=tokens["enterprise"],
        content_type="multipart/form-data",
    )
    for response in (api, imported):
        assert response.status_code == 422
        assert "20" in response.get_data(as_text=True)
    assert load_total(client, tokens) == 0
