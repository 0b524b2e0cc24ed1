"""One zone, the site's, for every time the gate and the loads show or write, and for every day:
the same instant is a different day in Asia/Shanghai and in Europe/Berlin."""

from __future__ import annotations

import pytest

from api import create_app
from api.database import db
from tests.api.calls import audit_items
from tests.api.conftest import _bearer, load_body

# 2026-11-28 22:30 UTC: 06:30 on the 29th in Shanghai, 23:30 on the 28th in Berlin.
INSTANT = "2026-11-28T22:30:00Z"
SITES = [
    pytest.param("Asia/Shanghai", "2026-11-29", "2026-11-29T06:30:00+08:00", id="shanghai"),
    pytest.param("Europe/Berlin", "2026-11-28", "2026-11-28T23:30:00+01:00", id="berlin"),
]


@pytest.fixture
def site(request, api_database_url, xunwu):
    zone = request.param
    app = create_app(
        {
            "DATABASE_URL": api_database_url,
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_TIMEZONE": zone,
            "TESTING": True,
        }
    )
    uow = db.uow(app)
    with uow:
        for enterprise in xunwu.enterprises:
            uow.enterprises.add(enterprise)
        uow.commit()
    headers = {
        "admin": _bearer(uow, "admin"),
        "operator": _bearer(uow, "operator"),
        "enterprise": _bearer(uow, "enterprise", "E01"),
    }
    yield app, headers
    db.dispose(app)


def _submit(client, headers, xunwu) -> str:
    body = load_body(
        xunwu, 0, release=INSTANT, due="2026-11-29T01:00:00Z", deadline=None, has_pass=True
    )
    response = client.post("/api/v1/loads", json=body, headers=headers["enterprise"])
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.mark.parametrize(("site", "day", "local"), SITES, indirect=["site"])
def test_a_day_of_loads_is_a_day_in_the_site_zone(site, day, local, xunwu):
    app, headers = site
    client = app.test_client()
    load_id = _submit(client, headers, xunwu)

    page = client.get("/api/v1/loads", query_string={"date": day}, headers=headers["admin"]).json
    assert [ld["id"] for ld in page["items"]] == [load_id]
    assert page["items"][0]["release"] == local
    other_day = "2026-11-28" if day == "2026-11-29" else "2026-11-29"
    other = client.get("/api/v1/loads", query_string={"date": other_day}, headers=headers["admin"])
    assert other.json["total"] == 0


@pytest.mark.parametrize(("site", "day", "local"), SITES, indirect=["site"])
def test_gate_times_and_their_audit_are_written_in_the_site_zone(site, day, local, xunwu):
    app, headers = site
    client = app.test_client()
    load_id = _submit(client, headers, xunwu)

    checked = client.post(
        f"/api/v1/loads/{load_id}/check-in", json={"at": INSTANT}, headers=headers["operator"]
    )

    assert checked.status_code == 200, checked.json
    assert checked.json["load"]["arrived_at"] == local
    items = audit_items(client, headers["admin"], load_id, "load.check_in")
    assert [e["details"]["at"] for e in items] == [local]
