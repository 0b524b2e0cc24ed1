"""A positive case reported without `at` is taken at the service's clock (HUB_SCHEDULER_PLAN_NOW,
the Xunwu day's first minute here), as the report page does; one reported in the future is
refused as a gate time is (422 `time_in_future`, nothing written). One incident reads by its id
(admin only; 404 problem for an unknown id)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.conftest import DAY_START


def test_an_incident_without_a_time_is_reported_at_the_services_clock(client, tokens, published):
    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"load_id": published["assignments"][0]["load_id"], "time_limit_s": 1},
    )
    assert response.status_code == 201, response.json
    incident = response.json["incident"]
    reported = datetime.fromisoformat(incident["reported_at"])
    assert reported == datetime.fromisoformat(DAY_START)

    one = client.get(f"/api/v1/incidents/{incident['id']}", headers=tokens["admin"])
    assert one.status_code == 200 and one.json == incident
    for role in ("operator", "enterprise"):
        refused = client.get(f"/api/v1/incidents/{incident['id']}", headers=tokens[role])
        assert refused.status_code == 403


def test_an_incident_in_the_future_is_refused_and_writes_nothing(client, tokens, published):
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"load_id": published["assignments"][0]["load_id"], "at": later},
    )
    assert response.status_code == 422, response.json
    error = response.json["errors"][0]
    assert error["field"] == "at" and error["code"] == "time_in_future", error
    assert client.get("/api/v1/incidents", headers=tokens["admin"]).json == []


def test_an_unknown_incident_is_a_404_problem(client, tokens):
    missing = client.get("/api/v1/incidents/424242", headers=tokens["admin"])
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    doc = client.get("/api/v1/openapi.json").json
    assert "404" in doc["paths"]["/api/v1/incidents/{incident_id}"]["get"]["responses"]
