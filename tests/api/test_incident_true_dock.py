"""A positive driver whose truck completed at a dock before the next published re-plan: that plan
no longer holds his load (done loads drop out), yet the incident finds the dock from the gate's
record and the day's replaced plans, closes it and lists the trucks after him there. (Before: "no
dock used before the report", 0 docks closed, 0 contacts.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import busy_slot, in_force

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
T = datetime.fromisoformat


def _gate(client, tokens, load_id: str, step: str, at: str) -> None:
    body = {"at": at} | ({"has_pass": True} if step == "check-in" else {})
    response = client.post(f"/api/v1/loads/{load_id}/{step}", headers=tokens["operator"], json=body)
    assert response.status_code == 200, (step, response.json)


def test_an_incident_finds_the_dock_of_a_completed_truck_the_replan_dropped(
    client, tokens, published
):
    mine = busy_slot(published["assignments"])
    lane = sorted(
        (
            a
            for a in published["assignments"]
            if (a["hub_id"], a["dock_id"]) == (mine["hub_id"], mine["dock_id"])
        ),
        key=lambda a: a["start"],
    )
    after = lane[lane.index(mine) + 1]
    for step, at in (
        ("check-in", mine["start"]),
        ("start", mine["start"]),
        ("complete", mine["end"]),
    ):
        _gate(client, tokens, mine["load_id"], step, at)
    _gate(client, tokens, after["load_id"], "check-in", after["start"])
    now = (T(mine["end"]) + timedelta(minutes=1)).isoformat()
    plan = client.post(
        "/api/v1/plans",
        json={"horizon": HORIZON, "time_limit_s": 1, "now": now},
        headers=tokens["admin"],
    ).json
    published_again = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    assert published_again.status_code == 200, published_again.json
    assert mine["load_id"] not in {a["load_id"] for a in in_force(client, tokens)["assignments"]}

    _gate(client, tokens, after["load_id"], "start", after["start"])  # on the dock after him
    reported = (T(after["start"]) + timedelta(minutes=1)).isoformat()

    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"load_id": mine["load_id"], "at": reported, "time_limit_s": 1},
    )

    assert response.status_code == 201, response.json
    incident = response.json["incident"]
    assert len(incident["blocked_window_ids"]) == 1
    hub = client.get(f"/api/v1/hubs/{mine['hub_id']}", headers=tokens["admin"]).json
    window = next(b for b in hub["blocked"] if b["id"] == incident["blocked_window_ids"][0])
    assert window["dock_id"] == mine["dock_id"]
    contacts = {(c["kind"], c["load_id"]) for c in incident["contacts"]}
    assert ("same_dock_after", after["load_id"]) in contacts, incident["contacts"]
