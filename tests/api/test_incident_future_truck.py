"""An incident lists as contacts only the trucks that really shared the place with the positive
driver: those the gate saw (checked in, or run at their dock). The next truck booked on his dock,
whose slot lies inside the new deep-disinfection block and which has not come, met no one: it is
moved by the incident's re-plan, not listed (listed, it would be told it is a contact and turned
away at the gate). (Before: every truck still to come on the dock after him within the contact
window was listed.) On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import busy_slot

T = datetime.fromisoformat


def _gate(client, tokens, slot: dict, step: str, at: str) -> None:
    body = {"at": at} | ({"has_pass": True} if step == "check-in" else {})
    response = client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}?enterprise_id={slot['enterprise_id']}",
        headers=tokens["operator"],
        json=body,
    )
    assert response.status_code == 200, (step, response.json)


def _overlap(a: dict, start: datetime, end: datetime) -> bool:
    return T(a["start"]) < end and start < T(a["disinfected_at"])


def test_a_truck_still_to_come_on_the_closed_dock_is_moved_not_listed(client, tokens, published):
    rows = published["assignments"]
    mine = busy_slot(rows)
    lane = sorted(
        (a for a in rows if (a["hub_id"], a["dock_id"]) == (mine["hub_id"], mine["dock_id"])),
        key=lambda a: a["start"],
    )
    after = lane[lane.index(mine) + 1]  # next on his dock, not come
    # A truck of his zone at work when he starts, on another dock: it did share the place.
    beside = next(
        a
        for a in sorted(rows, key=lambda a: a["start"])
        if (a["hub_id"], a["zone_id"]) == (mine["hub_id"], mine["zone_id"])
        and a["dock_id"] != mine["dock_id"]
        and T(a["start"]) <= T(mine["start"]) < T(a["end"])
    )
    for step in ("check-in", "start"):
        _gate(client, tokens, beside, step, beside["start"])
        _gate(client, tokens, mine, step, mine["start"])
    reported = T(mine["start"]) + timedelta(minutes=1)
    assert reported < T(after["start"])

    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={
            "load_id": mine["load_id"],
            "enterprise_id": mine["enterprise_id"],
            "at": reported.isoformat(),
            "contact_window_minutes": 24 * 60,
            "time_limit_s": 1,
        },
    )

    assert response.status_code == 201, response.json
    incident = response.json["incident"]
    listed = {c["load_id"]: c["kind"] for c in incident["contacts"]}
    assert after["load_id"] not in listed, incident["contacts"]
    assert not [
        a["load_id"]
        for a in lane
        if T(a["start"]) > reported
        and a["load_id"] in listed
        and listed[a["load_id"]] == "same_dock_after"
    ]
    assert listed.get(beside["load_id"]) == "same_zone_same_time", incident["contacts"]
    # The block covers its slot, and the re-plan moves it off it.
    hub = client.get(f"/api/v1/hubs/{mine['hub_id']}", headers=tokens["admin"]).json
    [block] = [b for b in hub["blocked"] if b["id"] in incident["blocked_window_ids"]]
    closed = (T(block["start"]), T(block["end"]))
    assert _overlap(after, *closed)
    job = client.get(f"/api/v1/plans/{response.json['plan']['id']}", headers=tokens["admin"]).json
    assert job["status"] == "succeeded", job
    new = client.get(f"/api/v1/plans/{job['id']}/assignments", headers=tokens["admin"]).json
    moved = [
        a
        for a in new
        if (a["load_id"], a["enterprise_id"]) == (after["load_id"], after["enterprise_id"])
    ]
    assert all(not (a["dock_id"] == mine["dock_id"] and _overlap(a, *closed)) for a in moved), moved
