"""A truck traced as a contact of an open incident and not yet come (the outbound truck that
collects the positive truck's goods) is refused at check-in: 409 `gate_incident_contact` naming
the incident, the hub and why, never the positive truck's plate, phone or load; nothing is
written. An `override_note` lets it in and is audited as `load.contact_override`; a truck that
is no contact, or a contact of an incident closed since, checks in as before; the gate page says
it in Chinese and offers the note.
(Before: the contact checked in at once, as any truck.)"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from api.database import db
from hub_scheduler.records import Incident
from hub_scheduler.services import events
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import audit_items, busy_slot
from tests.api.conftest import load_body

T = datetime.fromisoformat


def _gate(client, tokens, load_id: str, step: str, at: str):
    body = {"at": at} | ({"has_pass": True} if step == "check-in" else {})
    return client.post(f"/api/v1/loads/{load_id}/{step}", headers=tokens["operator"], json=body)


def _busy_and_next(published) -> tuple[dict, dict]:
    """A slot on a busy dock and the next slot on that dock."""
    mine = busy_slot(published["assignments"])
    lane = sorted(
        (
            a
            for a in published["assignments"]
            if (a["hub_id"], a["dock_id"]) == (mine["hub_id"], mine["dock_id"])
        ),
        key=lambda a: a["start"],
    )
    return mine, lane[lane.index(mine) + 1]


def _positive_and_contact(client, tokens, published, xunwu) -> tuple[dict, dict, dict]:
    """The positive truck (the inbound of a relay, checked in and started at its slot), the
    outbound truck that collects its goods (its contact, not yet come: a truck still to come on
    its dock is moved, not listed, test_incident_future_truck.py) and the incident reported a
    minute after the positive one started."""
    placed = {a["load_id"]: a for a in published["assignments"]}
    relay = next(t for t in xunwu.transfers if t.inbound in placed and t.outbound in placed)
    mine, after = placed[relay.inbound], placed[relay.outbound]
    for step in ("check-in", "start"):
        assert _gate(client, tokens, mine["load_id"], step, mine["start"]).status_code == 200
    reported = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={
            "load_id": mine["load_id"],
            "enterprise_id": mine["enterprise_id"],
            "at": (T(mine["start"]) + timedelta(minutes=1)).isoformat(),
            "note": "司机张三核酸阳性",
            "time_limit_s": 1,
        },
    )
    assert reported.status_code == 201, reported.json
    incident = reported.json["incident"]
    contacts = {(c["kind"], c["load_id"]) for c in incident["contacts"]}
    assert ("relay_outbound", after["load_id"]) in contacts, incident["contacts"]
    return mine, after, incident


def _status(client, tokens, slot: dict) -> dict:
    query = f"?enterprise_id={slot['enterprise_id']}"
    return client.get(f"/api/v1/loads/{slot['load_id']}{query}", headers=tokens["admin"]).json


def test_a_contact_of_an_open_incident_is_refused_at_check_in_without_the_positive_cases_data(
    client, tokens, published, xunwu
):
    mine, after, incident = _positive_and_contact(client, tokens, published, xunwu)
    positive = _status(client, tokens, mine)
    key = f"{after['enterprise_id']}/{after['load_id']}"
    held = audit_items(client, tokens["admin"], key)  # the incident held it (load.hold)

    response = client.post(
        f"/api/v1/loads/{after['load_id']}/check-in?enterprise_id={after['enterprise_id']}",
        headers={**tokens["operator"], "Accept-Language": "zh-CN"},
        json={"at": after["start"], "has_pass": True},
    )

    assert response.status_code == 409, response.json
    assert response.mimetype == "application/problem+json"
    [error] = response.json["errors"]
    assert error["code"] == "gate_incident_contact" and error["field"] == "override_note"
    assert error["params"]["incident_id"] == incident["id"]
    assert error["params"]["hub_id"] == mine["hub_id"]
    assert error["params"]["kind"] == "relay_outbound"
    assert "密接" in response.json["detail"] and "密接" in error["message"]
    # The hub by its name, as the operator knows it, in the texts; its id only in params.
    hub_name = client.get(f"/api/v1/hubs/{mine['hub_id']}", headers=tokens["admin"]).json["name"]
    assert error["params"]["hub"] == hub_name
    assert hub_name in response.json["detail"] and hub_name in error["message"]
    assert mine["hub_id"] not in error["message"]
    body = response.get_data(as_text=True)
    for personal in (positive.get("vehicle_plate"), positive.get("driver_phone"), "张三"):
        assert not personal or personal not in body, personal
    assert mine["load_id"] not in json.dumps(error["params"])  # not the positive truck's load
    assert _status(client, tokens, after)["status"] == "scheduled"  # nothing written
    assert [e["action"] for e in held] == ["load.hold"]
    assert audit_items(client, tokens["admin"], key) == held

    english = client.post(
        f"/api/v1/loads/{after['load_id']}/check-in?enterprise_id={after['enterprise_id']}",
        headers={**tokens["operator"], "Accept-Language": "en"},
        json={"at": after["start"], "has_pass": True, "override_note": "   "},
    )
    assert english.status_code == 409 and "contact" in english.json["detail"]


def test_an_override_note_lets_the_contact_in_and_is_audited(client, tokens, published, xunwu):
    _, after, incident = _positive_and_contact(client, tokens, published, xunwu)
    note = "指挥部同意：货物已消杀，司机复检阴性"

    response = client.post(
        f"/api/v1/loads/{after['load_id']}/check-in?enterprise_id={after['enterprise_id']}",
        headers=tokens["operator"],
        json={"at": after["start"], "has_pass": True, "override_note": note},
    )

    assert response.status_code == 200, response.json
    assert response.json["load"]["status"] == "checked_in"
    key = f"{after['enterprise_id']}/{after['load_id']}"
    [entry] = audit_items(client, tokens["admin"], key, "load.contact_override")
    assert entry["details"]["note"] == note
    assert entry["details"]["incident_ids"] == [incident["id"]]
    assert entry["actor"]
    assert audit_items(client, tokens["admin"], key, "load.check_in")
    # The command centre and the hub hear of it at once (their inboxes, their webhooks).
    uow = db.uow(client.application)
    with uow:
        told = [
            e
            for e in uow.events.list([events.COMMAND, events.hub(after["hub_id"])], limit=None)
            if e.type == events.CONTACT_LET_IN
        ]
    assert len(told) == 2, told  # one row per audience
    assert {e.data["load_id"] for e in told} == {after["load_id"]}
    assert all(e.data["note"] == note and e.data["incident_ids"] == [incident["id"]] for e in told)
    inbox = client.get("/api/v1/inbox", headers=tokens["admin"]).json
    assert any(item["type"] == events.CONTACT_LET_IN for item in inbox["events"]), inbox
    again = client.post(  # checked in now: its status is what refuses, not the contact
        f"/api/v1/loads/{after['load_id']}/check-in?enterprise_id={after['enterprise_id']}",
        headers=tokens["operator"],
        json={"at": after["start"], "has_pass": True},
    )
    assert again.status_code == 409
    assert "gate_incident_contact" not in again.get_data(as_text=True)


def test_a_truck_that_is_no_contact_checks_in_as_before(client, tokens, published, xunwu):
    mine, after, incident = _positive_and_contact(client, tokens, published, xunwu)
    traced = {c["load_id"] for c in incident["contacts"]} | {mine["load_id"]}
    other = next(
        a
        for a in sorted(published["assignments"], key=lambda a: a["start"])
        if a["load_id"] not in traced
        and a["hub_id"] != mine["hub_id"]
        and T(a["start"]) > T(mine["start"])
    )

    response = _gate(client, tokens, other["load_id"], "check-in", other["start"])

    assert response.status_code == 200, response.json
    assert response.json["load"]["status"] == "checked_in"


def test_a_contact_of_a_closed_incident_checks_in(app, client, tokens, published):
    slot = sorted(published["assignments"], key=lambda a: a["start"])[-1]
    key = f"{slot['enterprise_id']}/{slot['load_id']}"
    uow = db.uow(app)
    with uow:  # two days old, no dock closed, no repair plan waiting: closed
        uow.incidents.add(
            Incident(
                load_id="E99/X",
                reported_at=T(slot["start"]) - timedelta(days=2),
                actor="test",
                contacts=[
                    {"kind": "same_zone_same_time", "load_id": key, "hub_id": slot["hub_id"]}
                ],
            )
        )
        uow.commit()

    response = _gate(client, tokens, slot["load_id"], "check-in", slot["start"])

    assert response.status_code == 200, response.json
    assert not audit_items(client, tokens["admin"], key, "load.contact_override")


def test_the_gate_page_refuses_a_contact_in_chinese_and_takes_the_override_note(
    app, client, tokens, published, xunwu, monkeypatch
):
    from api.web.signin import CSRF_FIELD
    from tests.api.web_pages import ZH, csrf, signed_in

    _, after, incident = _positive_and_contact(client, tokens, published, xunwu)
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/gate?date=2026-11-28")
    monkeypatch.setattr("api.web.gate.now", lambda: T(after["start"]))
    path = f"/gate/loads/{after['enterprise_id']}/{after['load_id']}/check-in"
    form = {CSRF_FIELD: token, "date": "2026-11-28", "has_pass": "on"}

    refused = operator.post(path, data=form, headers=ZH)

    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert f"未结束疫情事件 {incident['id']} 的密接作业（接驳：取走其货物的车辆" in text, text[
        -3000:
    ]
    assert 'name="override_note"' in text and "放行说明" in text
    english = operator.post(path, data=form, headers={"Accept-Language": "en"})
    assert english.status_code == 409
    said = english.get_data(as_text=True)
    assert f"is a contact of open incident {incident['id']} (Relay: collects its goods" in said
    assert _status(client, tokens, after)["status"] == "scheduled"

    let_in = operator.post(path, data={**form, "override_note": "指挥部同意放行"}, headers=ZH)

    assert let_in.status_code == 303
    assert _status(client, tokens, after)["status"] == "checked_in"
    key = f"{after['enterprise_id']}/{after['load_id']}"
    [entry] = audit_items(client, tokens["admin"], key, "load.contact_override")
    assert entry["details"]["note"] == "指挥部同意放行"


def test_the_gate_page_hides_the_override_note_when_nothing_is_refused(app, tokens, published):
    from tests.api.web_pages import ZH, signed_in

    operator = signed_in(app, tokens, "operator")
    page = operator.get("/gate?date=2026-11-28", headers=ZH).get_data(as_text=True)
    assert 'name="override_note"' not in page


def test_the_positive_truck_booked_again_is_refused_until_overridden(
    client, tokens, published, xunwu
):
    """The incident cancels the positive truck's pending loads; a load its enterprise books
    for the same truck afterwards (the plate written another way) is stopped at the gate too.
    (Before: the new load checked in as any truck.)"""
    mine, _, incident = _positive_and_contact(client, tokens, published, xunwu)
    plate = _status(client, tokens, mine)["vehicle_plate"]
    rebooked = client.post(
        "/api/v1/loads",
        headers=tokens["enterprise"],
        json=load_body(
            xunwu,
            0,
            vehicle_plate=plate.replace("·", "").lower(),
            release=(T(mine["start"]) + timedelta(hours=2)).isoformat(),
            due=(T(mine["start"]) + timedelta(hours=6)).isoformat(),
        ),
    )
    assert rebooked.status_code == 201, rebooked.json
    new_id = rebooked.json["id"]
    at = (T(mine["start"]) + timedelta(hours=2)).isoformat()

    response = client.post(
        f"/api/v1/loads/{new_id}/check-in?enterprise_id=E01",
        headers={**tokens["operator"], "Accept-Language": "zh-CN"},
        json={"at": at, "has_pass": True},
    )

    assert response.status_code == 409, response.json
    [error] = response.json["errors"]
    assert error["code"] == "gate_positive_vehicle" and error["field"] == "override_note"
    assert error["params"]["incident_id"] == incident["id"]
    assert "阳性病例车辆" in response.json["detail"] and "阳性病例车辆" in error["message"]
    assert "张三" not in response.get_data(as_text=True)
    assert _status(client, tokens, {"load_id": new_id, "enterprise_id": "E01"})["status"] == (
        "submitted"
    )

    let_in = client.post(
        f"/api/v1/loads/{new_id}/check-in?enterprise_id=E01",
        headers=tokens["operator"],
        json={"at": at, "has_pass": True, "override_note": "换司机，车辆已终末消杀"},
    )
    assert let_in.status_code == 200, let_in.json
    [entry] = audit_items(client, tokens["admin"], f"E01/{new_id}", "load.contact_override")
    assert entry["details"]["incident_ids"] == [incident["id"]]


def test_a_truck_waiting_at_the_positive_trucks_dock_is_a_contact_though_moved_off_it(
    client, tokens, published
):
    """Checked in and pinned next on the dock when the positive case is reported: it is moved
    off the dock closed for disinfection, and still listed as a contact, at the slot it had.
    (Before: contacts were judged after the move, at its new slot, and it was missed.)"""
    mine, after = _busy_and_next(published)
    for step in ("check-in", "start"):
        assert _gate(client, tokens, mine["load_id"], step, mine["start"]).status_code == 200
    assert _gate(client, tokens, after["load_id"], "check-in", mine["start"]).status_code == 200

    reported = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={
            "load_id": mine["load_id"],
            "enterprise_id": mine["enterprise_id"],
            "at": (T(mine["start"]) + timedelta(minutes=1)).isoformat(),
            "time_limit_s": 1,
        },
    )

    assert reported.status_code == 201, reported.json
    incident = reported.json["incident"]
    listed = [c for c in incident["contacts"] if c["load_id"] == after["load_id"]]
    assert listed, incident["contacts"]
    assert {c["dock_id"] for c in listed} == {mine["dock_id"]}  # where it waited, not its new dock


def test_a_truck_that_had_not_come_when_its_slot_began_is_no_contact_and_checks_in_late(
    client, tokens, published
):
    """The next truck on the positive truck's dock, whose slot began before the report and which
    had not come by then, met no one there: it is not listed, and checks in when it comes late.
    (Before: it was traced at its planned slot and turned away at the gate.)"""
    mine, after = _busy_and_next(published)
    for step, at in (("check-in", mine["start"]), ("start", mine["start"])):
        assert _gate(client, tokens, mine["load_id"], step, at).status_code == 200
    assert _gate(client, tokens, mine["load_id"], "complete", mine["end"]).status_code == 200
    reported_at = T(after["start"]) + timedelta(minutes=20)

    reported = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={
            "load_id": mine["load_id"],
            "enterprise_id": mine["enterprise_id"],
            "at": reported_at.isoformat(),
            "contact_window_minutes": 24 * 60,
            "time_limit_s": 1,
        },
    )

    assert reported.status_code == 201, reported.json
    listed = {c["load_id"] for c in reported.json["incident"]["contacts"]}
    assert after["load_id"] not in listed, reported.json["incident"]["contacts"]
    came = (reported_at + timedelta(minutes=10)).isoformat()
    response = _gate(client, tokens, after["load_id"], "check-in", came)
    assert response.status_code == 200, response.json
    assert response.json["load"]["status"] == "checked_in"
