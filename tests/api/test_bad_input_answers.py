"""What every answer to an outside probe is bounded by, on SQLite and on PostgreSQL: the language
switch sends only to a relative path, error lists are capped, every response carries the
security headers, every list and page is paged."""

from __future__ import annotations

import re

import pytest

from api.web.signin import CSRF_FIELD
from hub_scheduler import limits
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import assert_problem, load_total
from tests.api.conftest import load_body

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


# --- 7. error lists are capped ------------------------------------------------------------------


def test_a_batch_of_10000_bad_rows_lists_200_errors_and_counts_them_all(client, tokens):
    rows = [{"category": "nope"} for _ in range(10_000)]
    response = client.post("/api/v1/loads/batch", json=rows, headers=tokens["enterprise"])
    assert_problem(response, 422)
    assert len(response.json["errors"]) == 200
    assert response.json["error_count"] >= 10_000
    assert response.json["errors_truncated"] is True
    assert len(response.get_data()) < 100_000


def test_a_batch_beyond_the_item_limit_is_one_error(client, tokens):
    rows = [{} for _ in range(limits.BATCH_MAX_ITEMS + 1)]
    response = client.post("/api/v1/loads/batch", json=rows, headers=tokens["enterprise"])
    assert_problem(response, 422)
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
        assert_problem(client.get(f"{path}?{query}", headers=tokens["admin"]), 422)


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
    assert load_total(client, tokens) == 0
    assert client.post("/loads", data=form).status_code == 303  # the same form, fixed, is taken
    assert load_total(client, tokens) == 1
