"""Inputs an outside probe used to crash, stall or poison the service: each KIND is refused with a
4xx problem naming the field, before anything is written, on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest

from api.web.signin import CSRF_FIELD
from hub_scheduler import limits
from hub_scheduler.domain import Load
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.conftest import load_body
from tests.api.test_bad_input import IDS, JSON_WRITES

HUGE = 9223372036854775808  # 2**63: beyond any 64-bit column
EDGES = ["9999-12-31T20:00:00Z", "0001-01-01T00:00:00+08:00", "2000-01-01T00:00:00+08:00"]
CSV_HEADER = "id,enterprise_id,category,temperature,handling_minutes,release,due"


def _loads(client, tokens) -> int:
    response = client.get("/api/v1/loads?limit=1", headers=tokens["admin"])
    assert response.status_code == 200
    return response.json["total"]


def _fields(response) -> set[str]:
    return {e.get("field") for e in response.json.get("errors", [])}


def _problem(response, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    assert "Traceback" not in response.get_data(as_text=True)


# --- 1. nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "role"), JSON_WRITES, ids=IDS)
def test_a_body_nested_100000_levels_is_400_not_a_recursion_error(
    client, tokens, method, path, role
):
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.open(
        path, method=method, data=deep, headers=tokens[role], content_type="application/json"
    )
    _problem(response, 400)
    assert "nested" in response.json["detail"]


def test_nesting_is_counted_outside_strings_only(client, tokens, xunwu):
    body = load_body(xunwu, vehicle_plate="[[[[[[[[[[")
    deep = "[" * (limits.JSON_MAX_DEPTH + 1) + "]" * (limits.JSON_MAX_DEPTH + 1)
    assert client.post("/api/v1/loads", json=body, headers=tokens["enterprise"]).status_code == 201
    response = client.post(
        "/api/v1/loads", data=deep, headers=tokens["enterprise"], content_type="application/json"
    )
    _problem(response, 400)


# --- 2. integers beyond 64 bits -----------------------------------------------------------------


@pytest.mark.parametrize("field", ["handling_minutes", "priority_weight", "disinfection_minutes"])
def test_an_integer_beyond_64_bits_in_a_body_is_422_naming_it(client, tokens, xunwu, field):
    before = _loads(client, tokens)
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, **{field: HUGE}), headers=tokens["enterprise"]
    )
    _problem(response, 422)
    assert field in _fields(response)
    assert _loads(client, tokens) == before


@pytest.mark.parametrize(
    "query", ["offset=" + "9" * 30, "limit=" + "9" * 30, "offset=-1", "date=" + "9" * 30]
)
def test_an_integer_beyond_range_in_a_query_is_422(client, tokens, query):
    response = client.get(f"/api/v1/loads?{query}", headers=tokens["admin"])
    _problem(response, 422)
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
    before = _loads(client, tokens)
    single = client.post(
        "/api/v1/loads", json=load_body(xunwu, release=moment), headers=tokens["enterprise"]
    )
    batch = client.post(
        "/api/v1/loads/batch",
        json=[load_body(xunwu, 1), load_body(xunwu, 2, due=moment)],
        headers=tokens["enterprise"],
    )
    for response in (single, batch):
        _problem(response, 422)
        assert "5 years" in response.get_data(as_text=True)
    assert "release" in _fields(single) and "[1].due" in _fields(batch)
    assert _loads(client, tokens) == before
    assert client.get("/api/v1/loads", headers=tokens["admin"]).status_code == 200


def test_a_patch_a_plan_horizon_and_a_date_query_use_the_same_window(client, tokens, xunwu):
    created = client.post("/api/v1/loads", json=load_body(xunwu), headers=tokens["enterprise"])
    load_id = created.json["id"]
    patch = client.patch(
        f"/api/v1/loads/{load_id}", json={"due": EDGES[0]}, headers=tokens["enterprise"]
    )
    _problem(patch, 422)
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
    _problem(plan, 422)
    for query in ("/api/v1/loads?date=9999-12-31", "/api/v1/plans/published?date=0001-01-01"):
        _problem(client.get(query, headers=tokens["admin"]), 422)


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
        _problem(response, 422)
        assert "5 years" in response.get_data(as_text=True)
    assert _loads(client, tokens) == 0


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


# --- 4. the language switch's next --------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["/board%0d%0aSet-Cookie:%20x=1", "//evil.example", "/%5Cevil.example", "https://e.example/"],
)
def test_the_language_switch_sends_anything_but_a_relative_path_home(client, target):
    response = client.get(f"/language/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Set-Cookie: x" not in str(response.headers)


def test_the_language_switch_goes_back_to_a_relative_path(client):
    response = client.get("/language/en?next=/loads%3Fpage%3D2")
    assert response.status_code == 302 and response.headers["Location"] == "/loads?page=2"


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
    before = _loads(client, tokens)
    response = client.post(
        "/api/v1/loads", json=load_body(xunwu, **change), headers=tokens["enterprise"]
    )
    _problem(response, 422)
    assert set(change) <= _fields(response)
    assert _loads(client, tokens) == before


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
    assert _loads(client, tokens) == 0


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
    assert _loads(client, tokens) == 0


# --- 7. error lists are capped ------------------------------------------------------------------


def test_a_batch_of_10000_bad_rows_lists_200_errors_and_counts_them_all(client, tokens):
    rows = [{"category": "nope"} for _ in range(10_000)]
    response = client.post("/api/v1/loads/batch", json=rows, headers=tokens["enterprise"])
    _problem(response, 422)
    assert len(response.json["errors"]) == 200
    assert response.json["error_count"] >= 10_000
    assert response.json["errors_truncated"] is True
    assert len(response.get_data()) < 100_000


def test_a_batch_beyond_the_item_limit_is_one_error(client, tokens):
    rows = [{} for _ in range(limits.BATCH_MAX_ITEMS + 1)]
    response = client.post("/api/v1/loads/batch", json=rows, headers=tokens["enterprise"])
    _problem(response, 422)
    assert response.json["error_count"] == 1


# --- 10. security headers everywhere ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", "/api/v1/loads", "admin"),
        ("GET", "/api/v1/loads", None),
        ("GET", "/api/v1/openapi.json", None),
        ("GET", "/api/v1/docs", None),
        ("GET", "/api/v1/no-such-thing", None),
        ("DELETE", "/api/v1/openapi.json", None),
        ("GET", "/healthz", None),
        ("GET", "/login", None),
        ("POST", "/api/v1/loads", "enterprise"),
    ],
)
def test_every_response_carries_the_security_headers(client, tokens, method, path, role):
    response = client.open(path, method=method, headers=tokens[role] if role else {})
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


# --- 8. every list is paged ---------------------------------------------------------------------

LISTS = [
    "/api/v1/hubs",
    "/api/v1/enterprises",
    "/api/v1/activations",
    "/api/v1/incidents",
    "/api/v1/loads",
    "/api/v1/audit",
]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_takes_a_bounded_limit_and_offset(client, tokens, path):
    one = client.get(f"{path}?limit=1", headers=tokens["admin"])
    assert one.status_code == 200
    items = one.json if isinstance(one.json, list) else one.json["items"]
    assert len(items) <= 1
    everything = client.get(path, headers=tokens["admin"])
    if path in ("/api/v1/hubs", "/api/v1/enterprises"):  # the seeded Xunwu hubs and enterprises
        assert int(one.headers["X-Total-Count"]) == len(everything.json) > 1
        second = client.get(f"{path}?limit=1&offset=1", headers=tokens["admin"]).json
        assert second == everything.json[1:2]
    for query in (f"limit={limits.PAGE_LIMIT_MAX + 1}", "limit=0", f"offset={10**12}"):
        _problem(client.get(f"{path}?{query}", headers=tokens["admin"]), 422)


def test_a_plans_slots_are_paged(client, tokens, xunwu):
    for index in range(3):
        client.post("/api/v1/loads", json=load_body(xunwu, index), headers=tokens["enterprise"])
    plan = client.post(
        "/api/v1/plans",
        json={"horizon": xunwu.horizon.model_dump(mode="json")},
        headers=tokens["admin"],
    )
    assert plan.status_code == 202
    plan_id = plan.json["id"]
    for part in ("assignments", "unscheduled"):
        whole = client.get(f"/api/v1/plans/{plan_id}/{part}", headers=tokens["admin"])
        page = client.get(f"/api/v1/plans/{plan_id}/{part}?limit=1", headers=tokens["admin"])
        assert page.status_code == 200 and page.json == whole.json[:1]
        assert int(page.headers["X-Total-Count"]) == len(whole.json)


def _signed_in_page_client(client, headers) -> None:
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', form).group(1)
    token = headers["Authorization"].removeprefix("Bearer ")
    signed = client.post("/login", data={"token": token, CSRF_FIELD: csrf})
    assert signed.status_code == 303


def test_the_loads_page_shows_one_bounded_page_with_links(app, tokens, xunwu):
    from api.web.loads import PAGE_SIZE

    client = app.test_client()
    rows = [load_body(xunwu, i % len(xunwu.loads), id=f"P{i:04d}") for i in range(PAGE_SIZE + 5)]
    created = client.post("/api/v1/loads/batch", json=rows, headers=tokens["enterprise"])
    assert created.status_code == 201
    _signed_in_page_client(client, tokens["enterprise"])
    first = client.get("/loads").get_data(as_text=True)
    assert first.count("data-row-load-id=") == PAGE_SIZE
    assert f"offset={PAGE_SIZE}" in first
    second = client.get(f"/loads?offset={PAGE_SIZE}").get_data(as_text=True)
    assert second.count("data-row-load-id=") == 5
    for odd in ("9" * 30, "-1", "x"):
        assert client.get(f"/loads?offset={odd}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/plans/published?date=9999-12-31",
        "/plans/published?date=0001-01-01",
        "/plans/published?date=" + "9" * 30,
        "/board?date=9999-12-31",
        "/plans/" + "9" * 30,
        "/loads?status=" + "x" * 5000,
    ],
)
def test_pages_answer_edge_queries_without_a_server_error(app, tokens, path):
    client = app.test_client()
    _signed_in_page_client(client, tokens["admin"])
    response = client.get(path)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize(
    "change",
    [
        {"id": "a" * 100_000},
        {"id": "slash/id"},
        {"vehicle_plate": "赣B" + "1" * 30},
        {"release": "9999-12-31T20:00"},
    ],
    ids=["100k id", "slash id", "long plate", "year 9999"],
)
def test_the_web_form_refuses_what_the_api_refuses(app, tokens, change):
    client = app.test_client()
    _signed_in_page_client(client, tokens["enterprise"])
    csrf = re.search(
        rf'name="{CSRF_FIELD}" value="([^"]+)"', client.get("/loads").get_data(as_text=True)
    ).group(1)
    form = {
        CSRF_FIELD: csrf,
        "id": "F1",
        "category": "energy",
        "temperature": "ambient",
        "handling_minutes": "30",
        "release": "2026-11-28T08:00",
        "due": "2026-11-28T12:00",
    }
    response = client.post("/loads", data=form | change)
    assert response.status_code == 200  # the form again, with its errors
    assert _loads(client, tokens) == 0
    assert client.post("/loads", data=form).status_code == 303  # the same form, fixed, is taken
    assert _loads(client, tokens) == 1
