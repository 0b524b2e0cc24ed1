"""A truck that starts before its slot: refused with a Chinese 409 naming the slot when the dock is
not free and disinfected until then (the truck before it, H3); allowed, with the actual start
recorded, when the dock is free. (Before: "开始作业" worked at once, 40 min before the slot.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from api.moment_words import moment_words
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import busy_slot

T = datetime.fromisoformat


def _arrive_and_start(client, tokens, slot: dict, at: datetime, **headers):
    checked = client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": at.isoformat(), "has_pass": True},
    )
    assert checked.status_code == 200, checked.json
    assert checked.json["slot"]["start"] == slot["start"], checked.json
    return client.post(
        f"/api/v1/loads/{slot['load_id']}/start",
        headers={**tokens["operator"], **headers},
        json={"at": at.isoformat()},
    )


def _next_on_dock(assignments: list[dict], slot: dict) -> dict:
    rows = sorted(
        (
            a
            for a in assignments
            if (a["hub_id"], a["dock_id"]) == (slot["hub_id"], slot["dock_id"])
        ),
        key=lambda a: a["start"],
    )
    return rows[rows.index(slot) + 1]


def test_a_start_before_the_slot_while_the_truck_before_holds_the_dock_is_a_409(
    client, tokens, published
):
    before = busy_slot(published["assignments"])
    slot = _next_on_dock(published["assignments"], before)
    early = T(before["start"]) + timedelta(minutes=1)  # the truck before is on the dock

    response = _arrive_and_start(client, tokens, slot, early, **{"Accept-Language": "zh-CN"})

    assert response.status_code == 409, response.json
    assert "开始" in response.json["detail"] and "消杀" in response.json["detail"]
    assert moment_words(slot["start"]) in response.json["detail"]  # as a page says
    assert "排定时段" in response.json["errors"][0]["message"]
    field = response.json["errors"][0]
    assert field["field"] == "at" and field["code"] == "start_before_slot"
    assert field["params"]["slot_start"] == slot["start"]
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    assert load["status"] == "checked_in" and load.get("started_at") is None

    english = client.post(
        f"/api/v1/loads/{slot['load_id']}/start",
        headers={**tokens["operator"], "Accept-Language": "en"},
        json={"at": early.isoformat()},
    )
    assert english.status_code == 409 and slot["start"] in english.json["detail"]


def test_a_start_before_the_slot_on_a_free_dock_is_taken_with_its_actual_time(
    client, tokens, published
):
    rows = sorted(published["assignments"], key=lambda a: (a["hub_id"], a["dock_id"], a["start"]))
    firsts = [
        a
        for i, a in enumerate(rows)
        if (
            i == 0 or (rows[i - 1]["hub_id"], rows[i - 1]["dock_id"]) != (a["hub_id"], a["dock_id"])
        )
        and T(a["start"]) - T(published["assignments"][0]["start"]).replace(hour=0, minute=0)
        > timedelta(hours=1)
    ]
    free = [
        a
        for a in firsts
        if not any(
            b["hub_id"] == a["hub_id"]
            and b["dock_id"] == a["dock_id"]
            and b["load_id"] != a["load_id"]
            and T(b["start"]) < T(a["disinfected_at"])
            for b in rows
        )
    ]
    slot = free[0]
    early = T(slot["start"]) - timedelta(minutes=40)

    response = _arrive_and_start(client, tokens, slot, early)

    assert response.status_code == 200, response.json
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    assert load["status"] == "in_operation"
    assert T(load["started_at"]) == early


def test_a_start_within_the_gate_clock_skew_of_the_slot_is_taken(client, tokens, published):
    before = busy_slot(published["assignments"])
    slot = _next_on_dock(published["assignments"], before)
    done = T(before["end"])
    for step, at in (
        ("check-in", T(before["start"])),
        ("start", T(before["start"])),
        ("complete", done),
    ):
        body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
        r = client.post(
            f"/api/v1/loads/{before['load_id']}/{step}", headers=tokens["operator"], json=body
        )
        assert r.status_code == 200, r.json
    at = T(slot["start"]) - timedelta(minutes=2)

    response = _arrive_and_start(client, tokens, slot, at)

    assert response.status_code == 200, response.json


def test_the_gate_page_names_the_slot_when_an_early_start_is_refused(
    app, client, tokens, published, monkeypatch
):
    from api.web.signin import CSRF_FIELD
    from tests.api.web_pages import ZH, csrf, signed_in

    before = busy_slot(published["assignments"])
    slot = _next_on_dock(published["assignments"], before)
    early = T(before["start"]) + timedelta(minutes=1)
    checked = client.post(
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": early.isoformat(), "has_pass": True},
    )
    assert checked.status_code == 200, checked.json
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/gate?date=2026-11-28")
    monkeypatch.setattr("api.web.gate.now", lambda: early)  # the gate clock: early

    response = operator.post(
        f"/gate/loads/{slot['load_id']}/start",
        data={CSRF_FIELD: token, "date": "2026-11-28"},
        headers=ZH,
    )

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    shown = T(slot["start"]).strftime("%Y-%m-%d %H:%M")
    assert f"不能早于排定时段 {shown} 开始作业" in text, text[-2000:]
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    assert load["status"] == "checked_in"


def test_a_start_while_the_truck_before_is_still_being_disinfected_is_a_409_until_it_is_done(
    client, tokens, published
):
    """At the slot's start, but the truck before ran late: its disinfection is not over."""
    before = busy_slot(published["assignments"])
    slot = _next_on_dock(published["assignments"], before)
    finished = T(slot["start"]) + timedelta(minutes=10)  # ran into this truck's slot
    free = finished + (T(before["disinfected_at"]) - T(before["end"]))
    assert free > finished + timedelta(minutes=1), "the dock is disinfected after each truck"
    for step, at in (("check-in", before["start"]), ("start", before["start"])):
        body = {"at": at, "has_pass": True} if step == "check-in" else {"at": at}
        done = client.post(
            f"/api/v1/loads/{before['load_id']}/{step}", headers=tokens["operator"], json=body
        )
        assert done.status_code == 200, done.json
    done = client.post(
        f"/api/v1/loads/{before['load_id']}/complete",
        headers=tokens["operator"],
        json={"at": finished.isoformat()},
    )
    assert done.status_code == 200, done.json

    checked = client.post(  # on time: its slot stays
        f"/api/v1/loads/{slot['load_id']}/check-in",
        headers=tokens["operator"],
        json={"at": slot["start"], "has_pass": True},
    )
    assert checked.status_code == 200 and checked.json["slot"]["start"] == slot["start"]
    response = client.post(
        f"/api/v1/loads/{slot['load_id']}/start",
        headers={**tokens["operator"], "Accept-Language": "zh-CN"},
        json={"at": (finished + timedelta(minutes=1)).isoformat()},
    )

    assert response.status_code == 409, response.json
    field = response.json["errors"][0]
    assert field["field"] == "at" and field["code"] == "dock_in_use"
    assert T(field["params"]["until"]) == free
    assert "消杀" in response.json["detail"]
    assert moment_words(field["params"]["until"]) in response.json["detail"]  # as a page says
    load = client.get(f"/api/v1/loads/{slot['load_id']}", headers=tokens["admin"]).json
    assert load["status"] == "checked_in" and load.get("started_at") is None

    started = client.post(
        f"/api/v1/loads/{slot['load_id']}/start",
        headers=tokens["operator"],
        json={"at": free.isoformat()},
    )
    assert started.status_code == 200, started.json
    assert T(started.json["started_at"]) == free
