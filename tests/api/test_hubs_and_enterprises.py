"""Hubs and enterprises through the API: the scenario@1 shapes, consistency checks, audit."""

from __future__ import annotations

from hub_scheduler.domain import Hub


def _new_hub(xunwu, hub_id="XW-NEW") -> dict:
    hub = xunwu.hubs[0].model_dump(mode="json")
    hub.update(id=hub_id, name="new park", blocked=[], status="standby")
    return hub


def test_every_role_lists_the_four_xunwu_hubs(client, tokens):
    for role in ("admin", "operator", "enterprise"):
        response = client.get("/api/v1/hubs", headers=tokens[role])
        assert response.status_code == 200
        assert sorted(h["id"] for h in response.json) == ["XW-LP", "XW-SA-N", "XW-SA-S", "XW-TS"]


def test_a_hub_body_is_the_scenario_hub_shape_and_round_trips(client, tokens, xunwu):
    body = _new_hub(xunwu)
    created = client.post("/api/v1/hubs", json=body, headers=tokens["admin"])
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/api/v1/hubs/XW-NEW")
    fetched = client.get("/api/v1/hubs/XW-NEW", headers=tokens["operator"]).json
    assert Hub.model_validate(fetched) == Hub.model_validate(body)


def test_creating_a_hub_twice_is_a_conflict(client, tokens, xunwu):
    response = client.post("/api/v1/hubs", json=_new_hub(xunwu, "XW-LP"), headers=tokens["admin"])
    assert response.status_code == 409


def test_an_inconsistent_hub_is_refused_with_every_path(client, tokens, xunwu, uow):
    body = _new_hub(xunwu)
    body["zones"][0]["docks"].append({"id": body["zones"][0]["docks"][0]["id"]})
    body["opening_hours"] = [{"start": "06:00", "end": "12:00"}, {"start": "11:00", "end": "25:00"}]
    body["kind"] = "airport"
    response = client.post("/api/v1/hubs", json=body, headers=tokens["admin"])
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert {"kind", "opening_hours[1].end"} <= fields
    overlapping = {
        **_new_hub(xunwu),
        "opening_hours": [{"start": "06:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}],
    }
    response = client.post("/api/v1/hubs", json=overlapping, headers=tokens["admin"])
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "opening_hours"
    with uow:
        assert uow.hubs.get("XW-NEW") is None


def test_patch_changes_a_hub_and_keeps_the_rest(client, tokens):
    response = client.patch(
        "/api/v1/hubs/XW-TS",
        json={"name": "town station", "disinfection_minutes": 20},
        headers=tokens["admin"],
    )
    assert response.status_code == 200
    assert response.json["name"] == "town station" and response.json["disinfection_minutes"] == 20
    assert response.json["zones"]  # untouched
    assert client.patch("/api/v1/hubs/NOPE", json={}, headers=tokens["admin"]).status_code == 404
    bad = client.patch("/api/v1/hubs/XW-TS", json={"status": "active"}, headers=tokens["admin"])
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "status"


def test_blocked_windows_are_added_checked_and_lifted(client, tokens, xunwu):
    dock = xunwu.hub("XW-LP").zones[0].docks[0].id
    window = {
        "start": "2026-11-28T12:00:00+08:00",
        "end": "2026-11-28T13:00:00+08:00",
        "dock_id": dock,
        "reason": "pump repair",
    }
    added = client.post(
        "/api/v1/hubs/XW-LP/blocked-windows", json=window, headers=tokens["operator"]
    )
    assert added.status_code == 201 and added.json["id"]
    hub = client.get("/api/v1/hubs/XW-LP", headers=tokens["operator"]).json
    assert added.json["id"] in [b["id"] for b in hub["blocked"]]
    unknown = client.post(
        "/api/v1/hubs/XW-LP/blocked-windows",
        json={**window, "dock_id": "D-NOPE"},
        headers=tokens["operator"],
    )
    assert (
        unknown.status_code == 422
        and unknown.json["errors"][0]["field"] == "blocked[1].dock_id"
        or unknown.json["errors"][0]["field"].endswith("dock_id")
    )
    reversed_ = client.post(
        "/api/v1/hubs/XW-LP/blocked-windows",
        json={**window, "end": "2026-11-28T11:00:00+08:00"},
        headers=tokens["operator"],
    )
    assert reversed_.status_code == 422
    lifted = client.delete(
        f"/api/v1/hubs/XW-LP/blocked-windows/{added.json['id']}", headers=tokens["operator"]
    )
    assert lifted.status_code == 204
    again = client.delete(
        f"/api/v1/hubs/XW-LP/blocked-windows/{added.json['id']}", headers=tokens["operator"]
    )
    assert again.status_code == 404


def test_status_change_needs_a_reason_and_is_audited(client, tokens):
    no_reason = client.post(
        "/api/v1/hubs/XW-TS/status", json={"status": "suspended"}, headers=tokens["admin"]
    )
    assert no_reason.status_code == 422 and no_reason.json["errors"][0]["field"] == "reason"
    response = client.post(
        "/api/v1/hubs/XW-TS/status",
        json={"status": "suspended", "reason": "flooded access road"},
        headers=tokens["admin"],
    )
    assert response.status_code == 200
    assert response.json["hub"]["status"] == "suspended" and response.json["plan"] is None
    audit = client.get("/api/v1/audit?action=hub.status", headers=tokens["admin"]).json["items"]
    assert audit[0]["target_id"] == "XW-TS"
    assert audit[0]["details"]["reason"] == "flooded access road"
    assert audit[0]["actor"].startswith("test admin")


def test_a_replan_without_a_published_plan_needs_a_horizon(client, tokens, uow):
    response = client.post(
        "/api/v1/hubs/XW-SA-N/status",
        json={"status": "active", "reason": "drill", "replan": {}},
        headers=tokens["admin"],
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "horizon"


def test_enterprises_are_listed_added_and_changed_by_admins(client, tokens):
    listed = client.get("/api/v1/enterprises", headers=tokens["admin"]).json
    assert len(listed) == 15
    body = {"id": "E16", "name": "mountain tea cooperative", "whitelisted": False, "tier": 3}
    created = client.post("/api/v1/enterprises", json=body, headers=tokens["admin"])
    assert created.status_code == 201
    changed = client.patch(
        "/api/v1/enterprises/E16",
        json={"whitelisted": True, "valid_until": "2026-12-31"},
        headers=tokens["admin"],
    )
    assert changed.json["whitelisted"] is True and changed.json["valid_until"] == "2026-12-31"
    reversed_ = client.patch(
        "/api/v1/enterprises/E16", json={"valid_from": "2027-01-01"}, headers=tokens["admin"]
    )
    assert reversed_.status_code == 422 and reversed_.json["errors"][0]["field"] == "valid_until"
    assert client.post("/api/v1/enterprises", json=body, headers=tokens["admin"]).status_code == 409
    assert client.get("/api/v1/enterprises/E99", headers=tokens["admin"]).status_code == 404
    bad_tier = client.post(
        "/api/v1/enterprises", json={**body, "id": "E17", "tier": 7}, headers=tokens["admin"]
    )
    assert bad_tier.status_code == 422 and bad_tier.json["errors"][0]["field"] == "tier"


def test_every_change_writes_an_audit_entry_newest_first(client, tokens):
    client.patch("/api/v1/enterprises/E01", json={"tier": 1}, headers=tokens["admin"])
    client.patch("/api/v1/hubs/XW-LP", json={"name": "park"}, headers=tokens["admin"])
    entries = client.get("/api/v1/audit?limit=2", headers=tokens["admin"]).json["items"]
    assert [e["action"] for e in entries] == ["hub.update", "enterprise.update"]
    assert entries[0]["at"].endswith("+08:00")  # the site's offset (Asia/Shanghai)
