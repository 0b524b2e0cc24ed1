"""A positive driver: the trace is right. Contacts are at actual gate times where known, in the
site's zone with its offset; the relay partners of the truck's goods are traced and held; a
checked-in truck on a dock the incident blocks is moved with a reason, never silently dropped."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.calls import audit_items

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
PASS = {"has_pass": True}


def _lane(published: dict, gap_under: timedelta) -> list[dict]:
    """The slots of a dock where the second truck follows the first within `gap_under`."""
    by_dock: dict = {}
    for a in published["assignments"]:
        by_dock.setdefault((a["hub_id"], a["dock_id"]), []).append(a)
    for lane in by_dock.values():
        lane.sort(key=lambda a: a["start"])
        if len(lane) >= 2:
            gap = datetime.fromisoformat(lane[1]["start"]) - datetime.fromisoformat(lane[0]["end"])
            if gap < gap_under:
                return lane
    raise AssertionError("no such dock on the demo day")


def _report(client, tokens, load_id: str, at: str, **extra):
    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"load_id": load_id, "at": at, "time_limit_s": 1, **extra},
    )
    assert response.status_code == 201, response.json
    return response.json["incident"]


def test_contact_times_are_in_the_site_zone_with_its_offset(client, tokens, published):
    lane = _lane(published, timedelta(hours=3))
    # The next truck came early and waits on site for its slot (the gate saw it: a contact at its
    # planned times; one still to come would be moved, not listed).
    checked = client.post(
        f"/api/v1/loads/{lane[1]['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": lane[0]["start"], **PASS},
    )
    assert checked.status_code == 200, checked.json
    incident = _report(
        client, tokens, lane[0]["load_id"], lane[0]["end"], contact_window_minutes=24 * 60
    )
    contact = next(c for c in incident["contacts"] if c["load_id"] == lane[1]["load_id"])
    assert contact["start"] == lane[1]["start"]  # e.g. 07:45+08:00, not 23:45 the day before
    assert contact["start"].endswith("+08:00") and contact["times"] == "planned"


def test_contacts_use_the_actual_gate_times_where_known(client, tokens, published):
    lane = _lane(published, timedelta(hours=3))
    follower = lane[1]
    gate = tokens["operator"]
    started = datetime.fromisoformat(follower["start"]) + timedelta(minutes=7)
    client.post(
        f"/api/v1/loads/{follower['load_id']}/check-in",
        headers=gate,
        json={"at": follower["start"], **PASS},
    )
    assert (
        client.post(
            f"/api/v1/loads/{follower['load_id']}/start",
            headers=gate,
            json={"at": started.isoformat()},
        ).status_code
        == 200
    )

    incident = _report(
        client, tokens, lane[0]["load_id"], lane[0]["end"], contact_window_minutes=24 * 60
    )

    contact = next(c for c in incident["contacts"] if c["load_id"] == follower["load_id"])
    assert contact["times"] == "actual"
    assert contact["start"] == started.isoformat()


def test_the_relay_partner_of_the_positive_truck_is_traced_and_held(
    client, tokens, published, xunwu
):
    transfer = xunwu.transfers[0]
    slot = next(a for a in published["assignments"] if a["load_id"] == transfer.inbound)
    incident = _report(client, tokens, transfer.inbound, slot["end"])

    relays = [c for c in incident["contacts"] if c["kind"] == "relay_outbound"]
    assert [c["load_id"] for c in relays] == [transfer.outbound]
    owner = next(ld.enterprise_id for ld in xunwu.loads if ld.id == transfer.inbound)
    source = {"load_id": transfer.inbound, "enterprise_id": owner}
    assert relays[0]["source_load_id"] == source  # the command centre sees whose it is
    partner = client.get(f"/api/v1/loads/{transfer.outbound}", headers=tokens["admin"]).json
    assert partner["hold"]["code"] == "RELAY_OF_POSITIVE"
    assert partner["hold"]["params"]["source_load_id"] == source


def test_the_inbound_that_dropped_the_goods_is_traced_when_the_collector_is_positive(
    client, tokens, published, xunwu
):
    transfer = xunwu.transfers[0]
    slot = next(a for a in published["assignments"] if a["load_id"] == transfer.outbound)
    incident = _report(client, tokens, transfer.outbound, slot["end"])
    assert [c["load_id"] for c in incident["contacts"] if c["kind"] == "relay_inbound"] == [
        transfer.inbound
    ]
    partner = client.get(f"/api/v1/loads/{transfer.inbound}", headers=tokens["admin"]).json
    assert partner["hold"]["code"] == "RELAY_OF_POSITIVE"


def test_a_checked_in_truck_on_a_blocked_dock_is_moved_with_a_reason_not_dropped(
    client, tokens, published
):
    lane = _lane(published, timedelta(minutes=60))
    source, waiting = lane[0], lane[1]
    checked = client.post(
        f"/api/v1/loads/{waiting['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": waiting["start"], **PASS},
    )
    assert checked.json["slot"] == waiting

    _report(client, tokens, source["load_id"], source["end"], disinfection_minutes=120)

    load = client.get(f"/api/v1/loads/{waiting['load_id']}", headers=tokens["admin"]).json
    assert load["status"] == "checked_in"
    assert load["pinned"] is not None
    blocked_until = datetime.fromisoformat(source["end"]) + timedelta(minutes=120)
    moved_away = load["pinned"]["dock_id"] != waiting["dock_id"]
    assert moved_away or datetime.fromisoformat(load["pinned"]["start"]) >= blocked_until
    items = audit_items(client, tokens["admin"], waiting["load_id"], "load.repair")
    assert [e["details"]["code"] for e in items] == ["DOCK_BLOCKED"]
