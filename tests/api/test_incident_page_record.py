"""An incident's page is its record: it names the positive truck by its plate (the load id beside
it when reported by load id), and its "trucks whose slot changes" list outlives the publish of
the repair plan (the trial saw the list go empty once the repair was the plan in force).
On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from api.web.signin import CSRF_FIELD
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, csrf, signed_in


@pytest.fixture
def admin(app, tokens):
    return signed_in(app, tokens, "admin")


def _changes(page: str) -> list[str]:
    table = re.search(r'<table class="data responsive" id="changes">(.*?)</table>', page, re.S)
    assert table is not None, "the moved list is shown"
    return re.findall(r"<tr><td[^>]*>(.*?)</td>", table.group(1))


def test_reported_by_load_id_titled_by_plate_and_its_moves_kept_after_the_publish(
    admin, in_force, client, tokens
):
    # A truck on its dock: the dock closes for disinfection, so the trucks behind it move.
    slot = in_force["assignments"][0]
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    at = datetime.fromisoformat(slot["start"]) + timedelta(minutes=10)
    form = {
        CSRF_FIELD: csrf(admin, "/command/incidents/new"),
        "load_id": slot["load_id"],
        "at": at.strftime("%Y-%m-%dT%H:%M"),
    }
    reported = admin.post("/command/incidents", data=form, headers=ZH)
    assert reported.status_code == 303
    path = reported.headers["Location"]
    page = admin.get(path, headers=ZH).get_data(as_text=True)
    truck = f"{load['vehicle_plate']}（车次 {slot['load_id']}）"
    title = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert truck in title and truck in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    listing = admin.get("/command/incidents", headers=ZH).get_data(as_text=True)
    assert truck in listing

    moved = _changes(page)
    assert moved, "the repair moves the trucks behind the closed dock"
    incident = client.get("/api/v1/incidents", headers=tokens["admin"]).json[0]
    publish = admin.post(f"{path}/publish", data={CSRF_FIELD: csrf(admin, path)}, headers=ZH)
    assert publish.status_code == 303
    in_force_now = client.get("/api/v1/plans/published?date=2026-11-28", headers=tokens["admin"])
    assert in_force_now.json["plan"]["id"] == incident["plan_id"]
    after = admin.get(path, headers=ZH).get_data(as_text=True)
    assert 'id="repair-published"' in after
    assert _changes(after) == moved
