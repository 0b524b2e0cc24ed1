"""A positive driver's plate, however it was typed, is stored and shown in one form (`京A·12345`)
and finds every load of the truck, whatever way each load's plate was written. On SQLite and
PostgreSQL."""

from __future__ import annotations

from hub_scheduler.services.tokens import issue_token
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body
from tests.api.web_pages import ZH, signed_in


def test_an_incident_stores_and_shows_the_plate_normalised_and_finds_every_load_of_the_truck(
    app, client, tokens, uow, published, xunwu
):
    source = min(published["assignments"], key=lambda a: a["start"])
    stored = client.get(f"/api/v1/loads/{source['load_id']}", headers=tokens["admin"]).json
    shown = stored["vehicle_plate"]  # the demo writes 赣B·XXXXX
    province, rest = shown.split("·")
    # The same truck booked again by its enterprise, its plate typed another way (full width).
    again = load_body(xunwu, 0, id="AGAIN-1", vehicle_plate=f"{province.lower()}－{rest.lower()}")
    token = issue_token(
        uow, role="enterprise", enterprise_id=stored["enterprise_id"], label="t", actor="test"
    )
    added = client.post("/api/v1/loads", json=again, headers={"Authorization": f"Bearer {token}"})
    assert added.status_code == 201, added.json

    typed = f"{province[0]}{province[1].lower()} {rest.lower()}"  # e.g. "赣b t52d8"
    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"vehicle_plate": typed, "at": source["end"], "time_limit_s": 1},
    )
    assert response.status_code == 201, response.json
    incident = response.json["incident"]
    assert incident["vehicle_plate"] == shown
    cancelled = {c["load_id"] for c in incident["cancelled_load_ids"]}
    assert "AGAIN-1" in cancelled  # found though written 赣ｂ－t52d8
    listed = client.get("/api/v1/incidents", headers=tokens["admin"]).json
    assert listed[0]["vehicle_plate"] == shown
    audit = client.get(
        "/api/v1/audit", headers=tokens["admin"], query_string={"action": "incident.create"}
    ).json["items"]
    assert audit[0]["details"]["vehicle_plate"] == shown

    admin = signed_in(app, tokens, "admin")
    listing = admin.get("/command/incidents", headers=ZH).get_data(as_text=True)
    page = admin.get(f"/command/incidents/{incident['id']}", headers=ZH).get_data(as_text=True)
    for text in (listing, page):
        assert shown in text and typed not in text


def test_the_same_truck_reported_twice_while_its_incident_is_open_is_a_409_naming_it(
    client, tokens, published
):
    source = min(published["assignments"], key=lambda a: a["start"])
    plate = client.get(f"/api/v1/loads/{source['load_id']}", headers=tokens["admin"]).json[
        "vehicle_plate"
    ]
    # On site: a checked-in truck is not cancelled, so only its plate ties its loads to the report.
    checked = client.post(
        f"/api/v1/loads/{source['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": source["start"], "has_pass": True},
    )
    assert checked.status_code == 200 and checked.json["passed"], checked.json
    first = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"vehicle_plate": plate, "at": source["end"], "time_limit_s": 1},
    )
    assert first.status_code == 201, first.json
    opened = first.json["incident"]["id"]
    assert source["load_id"] not in {
        c["load_id"] for c in first.json["incident"]["cancelled_load_ids"]
    }

    # Reported by plate first: the second report by one of its loads names the same truck.
    for body in ({"vehicle_plate": plate.replace("·", "")}, {"load_id": source["load_id"]}):
        again = client.post(
            "/api/v1/incidents",
            headers={**tokens["admin"], "Accept-Language": "zh-CN"},
            json={**body, "at": source["end"], "time_limit_s": 1},
        )
        assert again.status_code == 409, again.json
        error = again.json["errors"][0]
        assert error["code"] == "incident_already_open"
        assert error["field"] == next(iter(body))
        assert error["params"]["incident_id"] == opened
        assert f"事件 {opened}" in error["message"]

    listed = client.get("/api/v1/incidents", headers=tokens["admin"]).json
    assert [i["id"] for i in listed] == [opened]  # nothing written by the second reports
