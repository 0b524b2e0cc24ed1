"""The hub's staff hear of slot changes in the live day (a trial found their inbox silent): a late
start that moves trucks at their hub puts a `slot.changed` for each moved truck in the operator's
inbox, with the reason; a publish does not (the staff review and publish the plan themselves, and
a whole day's confirmations would bury what changes at the gate)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.test_gate_late_start import (  # noqa: F401  (day: the fixture)
    _published_pair,
    _step,
    day,
)

T = datetime.fromisoformat


def _inbox(day, hub_id: str) -> list[dict]:  # noqa: F811
    response = day.client.get(f"/api/v1/inbox?hub_id={hub_id}&limit=200", headers=day.operator)
    assert response.status_code == 200, response.json
    return response.json["events"]


def test_a_late_start_tells_the_hubs_staff_which_trucks_moved_and_a_publish_does_not(
    day,  # noqa: F811
):
    a, b = _published_pair(day)
    hub_id = a["hub_id"]
    assert not [e for e in _inbox(day, hub_id) if e["type"].startswith("slot.")], "publish"
    _step(day, a, "check-in", T(a["start"]))
    started = T(a["start"]) + timedelta(minutes=22)
    assert started + (T(a["disinfected_at"]) - T(a["start"])) > T(b["start"])

    _step(day, a, "start", started)

    changed = {
        e["data"]["load_id"]: e["data"] for e in _inbox(day, hub_id) if e["type"] == "slot.changed"
    }
    assert changed[a["load_id"]]["reason"]["code"] == "LATE_START"
    assert "vehicle_plate" in changed[a["load_id"]]  # the gate knows the truck by it
    assert changed[b["load_id"]]["reason"]["code"] == "DOCK_TAKEN_BY_LATE_START"
    assert changed[b["load_id"]]["previous"]["start"] == b["start"]
    # Another hub's staff hear nothing of it unless a truck moved to their hub.
    moved_to = {d["slot"]["hub_id"] for d in changed.values() if d["slot"]}
    for other in {r["hub_id"] for r in day.in_force()["assignments"]} - moved_to - {hub_id}:
        assert not [e for e in _inbox(day, other) if e["type"] == "slot.changed"], other
