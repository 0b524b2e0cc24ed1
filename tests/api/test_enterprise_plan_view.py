"""What an enterprise reads of the plan in force: its own loads' slots, never who asked for the
plan (`requested_by`) nor the command centre's words and settings (`params.reason`...), over the
API and on its pages. On SQLite and PostgreSQL."""

from __future__ import annotations

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, signed_in

SECRET = "指挥部内部：寻乌北阳性病例密接排查"
PUBLISHED = "/api/v1/plans/published?date=2026-11-28"


def _activate_and_publish(client, tokens) -> dict:
    response = client.post(
        "/api/v1/activations",
        headers=tokens["admin"],
        json={"hub_ids": ["XW-SA-N"], "reason": SECRET, "time_limit_s": 1},
    )
    assert response.status_code in (201, 202), response.json
    plan_id = response.json["plan"]["id"]
    published = client.post(f"/api/v1/plans/{plan_id}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    return published.json


def test_the_enterprise_does_not_see_who_asked_for_the_plan_or_why(app, client, tokens, published):
    plan = _activate_and_publish(client, tokens)
    staff = client.get(PUBLISHED, headers=tokens["admin"]).json["plan"]
    assert staff["id"] == plan["id"] and SECRET in staff["params"]["reason"]
    actor = staff["requested_by"]
    assert actor

    answer = client.get(PUBLISHED, headers=tokens["enterprise"])
    assert answer.status_code == 200
    seen = answer.json["plan"]
    assert seen["id"] == plan["id"] and seen["status"] == "succeeded"
    assert seen["requested_by"] is None and seen["params"] == {} and seen["progress"] == {}
    text = answer.get_data(as_text=True)
    assert SECRET not in text and actor not in text
    assert answer.json["assignments"]  # its own slots are still there

    enterprise = signed_in(app, tokens, "enterprise")
    for path in ("/loads", "/loads?day=2026-11-28", "/inbox"):
        page = enterprise.get(path, headers=ZH)
        assert page.status_code == 200, path
        assert SECRET not in page.get_data(as_text=True), path
        assert actor not in page.get_data(as_text=True), path
