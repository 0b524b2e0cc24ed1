"""A truck the plan in force does not place, at the gate (services/gate_no_slot.py): an enterprise
off the white-list on the arrival day is refused at check-in (409 `gate_not_whitelisted`, nothing
written, no override) until the command centre lists it; a walk-in gets a gap slot in the plan
covering its arrival (`WALK_IN`, no booked truck pushed), else `NO_SLOT_LEFT` and no pin; a truck
with no slot may not start while a plan is in force (409 `start_without_slot`), and may without
any plan. (Before: such a truck was checked in and started "on no dock", white-listed or not.)"""

from __future__ import annotations

from datetime import datetime

from hub_scheduler.domain import LoadStatus, ReasonCode, Schedule, Unscheduled
from hub_scheduler.facts import assignment, disinfection_minutes
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import audit_items, in_force, stored_plan
from tests.api.live_day import assert_true_to_the_database

T = datetime.fromisoformat
DAY_START = T("2026-11-28T00:00:00+08:00")
ZH = {"Accept-Language": "zh-CN"}


def _cold(xunwu, load_id: str, release: str, due: str, **changes):
    """A cold load for the toll station's one cold dock (TS-COLD1), stored by key, with a pass."""
    template = next(ld for ld in xunwu.loads if ld.temperature.value == "cold")
    owner = changes.pop("enterprise_id", template.enterprise_id)
    return template.model_copy(
        update={
            "id": f"{owner}/{load_id}",
            "enterprise_id": owner,
            "release": T(release),
            "due": T(due),
            "deadline": None,
            "allowed_hubs": ["XW-TS"],
            "has_pass": True,
            "status": LoadStatus.SCHEDULED,
            **changes,
        }
    )


def _booked_and_walk_in(uow, xunwu, walk_in_due: str, **walk_in) -> tuple[str, str]:
    """B1 booked on TS-COLD1 07:30-08:05 (disinfected 08:35, due 12:00) in a published plan that
    lists W1 (released 07:00) among its unscheduled loads; W1 has no slot. Returns the keys."""
    hub = next(h for h in xunwu.hubs if h.id == "XW-TS")
    zone = next(z for z in hub.zones if z.id == "TS-COLD")
    booked = _cold(xunwu, "B1", "2026-11-28T07:30:00+08:00", "2026-11-28T12:00:00+08:00")
    walker = _cold(xunwu, "W1", "2026-11-28T07:00:00+08:00", walk_in_due, **walk_in)
    with uow:
        uow.loads.add(booked)
        uow.loads.add(walker)
        uow.commit()
    row = assignment(
        booked.id,
        (hub.id, zone.id, "TS-COLD1"),
        T("2026-11-28T07:30:00+08:00"),
        booked.handling_minutes,
        disinfection_minutes(booked, zone, hub),
    )
    left_out = Unscheduled(
        load_id=walker.id, reason_code=ReasonCode.CAPACITY, reason="no dock was free"
    )
    schedule = Schedule(
        scenario="xunwu", status="feasible", assignments=[row], unscheduled=[left_out]
    )
    stored_plan(uow, schedule, DAY_START, publish=True)
    return booked.id, walker.id


def _gate(client, tokens, load_id: str, step: str, at: str, **headers):
    body = {"at": at} | ({"has_pass": True} if step == "check-in" else {})
    return client.post(
        f"/api/v1/loads/{load_id}/{step}", headers={**tokens["operator"], **headers}, json=body
    )


def _load(client, tokens, load_id: str) -> dict:
    return client.get(f"/api/v1/loads/{load_id}", headers=tokens["admin"]).json


# --- H11 at the gate ---------------------------------------------------------------------------


def test_a_truck_of_an_enterprise_off_the_white_list_is_refused_until_it_is_listed(
    client, tokens, uow, seeded, xunwu
):
    with uow:  # E14 is not on the white-list; no plan at all
        uow.loads.add(_cold(xunwu, "N1", "2026-11-28T09:00:00+08:00", "2026-11-28T12:00:00+08:00",
                            enterprise_id="E14"))  # fmt: skip
        uow.commit()
    before = _load(client, tokens, "N1")

    refused = _gate(client, tokens, "N1", "check-in", "2026-11-28T09:00:00+08:00")

    assert refused.status_code == 409, refused.json
    [error] = refused.json["errors"]
    assert (error["field"], error["code"]) == ("enterprise_id", "gate_not_whitelisted")
    assert error["params"] == {"enterprise": "客家农副产品贸易行", "day": "2026-11-28"}
    assert _load(client, tokens, "N1") == before  # no status, no arrival, no screening change
    assert audit_items(client, tokens["admin"], "N1") == []

    listed = client.patch(
        "/api/v1/enterprises/E14", json={"whitelisted": True}, headers=tokens["admin"]
    )
    assert listed.status_code == 200, listed.json
    again = _gate(client, tokens, "N1", "check-in", "2026-11-28T09:00:00+08:00")
    assert again.status_code == 200, again.json
    assert again.json["load"]["status"] == "checked_in"


def test_the_white_list_is_judged_on_the_arrival_day_and_a_booked_truck_is_refused_too(
    client, tokens, uow, seeded, xunwu
):
    booked, _ = _booked_and_walk_in(uow, xunwu, "2026-11-28T12:00:00+08:00")
    owner = booked.split("/")[0]
    revoked = client.patch(
        f"/api/v1/enterprises/{owner}",
        json={"valid_until": "2026-11-27"},  # listed until the day before the truck comes
        headers=tokens["admin"],
    )
    assert revoked.status_code == 200, revoked.json

    refused = _gate(client, tokens, "B1", "check-in", "2026-11-28T07:30:00+08:00", **ZH)

    assert refused.status_code == 409, refused.json
    [error] = refused.json["errors"]
    # The entry ended the day before: the refusal names that date, so the operator can say it.
    assert error["code"] == "gate_whitelist_expired"
    assert error["params"]["day"] == "2026-11-28"
    assert error["params"]["valid_until"] == "2026-11-27"
    assert "白名单" in refused.json["detail"] and "B1" in refused.json["detail"]
    assert "2026-11-27" in error["message"] and "指挥部" in error["message"]
    assert _load(client, tokens, "B1")["status"] == "scheduled"
    assert audit_items(client, tokens["admin"], "B1") == []

    not_yet = client.patch(
        f"/api/v1/enterprises/{owner}",
        json={"valid_until": None, "valid_from": "2026-11-29"},  # listed from the day after
        headers=tokens["admin"],
    )
    assert not_yet.status_code == 200, not_yet.json
    early = _gate(client, tokens, "B1", "check-in", "2026-11-28T07:30:00+08:00", **ZH)
    assert early.status_code == 409, early.json
    [error] = early.json["errors"]
    assert error["code"] == "gate_whitelist_not_yet_valid"
    assert error["params"]["valid_from"] == "2026-11-29"
    assert "2026-11-29" in error["message"] and "生效" in error["message"]

    client.patch(f"/api/v1/enterprises/{owner}", json={"valid_from": None}, headers=tokens["admin"])
    again = _gate(client, tokens, "B1", "check-in", "2026-11-28T07:30:00+08:00")
    assert again.status_code == 200, again.json
    assert again.json["slot"]["start"] == "2026-11-28T07:30:00+08:00"  # on time: its slot


# --- a walk-in gets a gap ------------------------------------------------------------------------


def test_a_walk_in_gets_the_first_gap_from_its_arrival_and_no_booked_truck_moves(
    client, tokens, uow, seeded, xunwu
):
    _booked_and_walk_in(uow, xunwu, "2026-11-28T12:00:00+08:00")
    old = in_force(client, tokens)
    assert [u["load_id"] for u in old["unscheduled"]] == ["W1"]

    response = _gate(client, tokens, "W1", "check-in", "2026-11-28T07:00:00+08:00")

    assert response.status_code == 200, response.json
    body = response.json
    # 07:00 would run into B1 (07:30); the dock is free again after B1's disinfection (08:35),
    # at the next 15-minute grid minute.
    assert (body["slot"]["dock_id"], body["slot"]["start"]) == (
        "TS-COLD1",
        "2026-11-28T08:45:00+08:00",
    )
    assert body["reason"]["code"] == "WALK_IN"
    assert body["reason"]["params"]["planned_start"] is None
    assert body["reason"]["params"]["moved"] == []
    assert body["load"]["pinned"]["start"] == body["slot"]["start"]
    after = in_force(client, tokens)
    rows = {a["load_id"]: a for a in after["assignments"]}
    assert rows["W1"] == body["slot"]
    assert rows["B1"] == next(a for a in old["assignments"] if a["load_id"] == "B1")
    assert after["unscheduled"] == []  # placed, so no longer left out
    assert_true_to_the_database(after, uow, DAY_START)
    items = audit_items(client, tokens["admin"], "W1", "load.repair")
    assert [e["details"]["code"] for e in items] == ["WALK_IN"]


def test_a_walk_in_with_no_gap_gets_no_slot_and_pushes_no_booked_truck(
    client, tokens, uow, seeded, xunwu
):
    # W1 must be done by 07:40: only a start at 07:00 fits, where B1's dock is not free. Pushing
    # B1 (scheduled, not pinned) would make room; a walk-in may not.
    _booked_and_walk_in(
        uow, xunwu, "2026-11-28T07:40:00+08:00", deadline=T("2026-11-28T07:40:00+08:00")
    )
    old = in_force(client, tokens)

    response = _gate(client, tokens, "W1", "check-in", "2026-11-28T07:00:00+08:00")

    assert response.status_code == 200, response.json
    body = response.json
    assert body["slot"] is None
    assert body["reason"]["code"] == "NO_SLOT_LEFT"
    assert body["reason"]["params"]["cause"] == "WALK_IN"
    assert body["load"]["status"] == "checked_in" and body["load"]["pinned"] is None
    after = in_force(client, tokens)
    assert after["assignments"] == old["assignments"]
    assert _load(client, tokens, "B1").get("slot_changed") is None


# --- no start without a slot while a plan is in force ---------------------------------------------


def test_a_truck_with_no_slot_may_not_start_while_a_plan_is_in_force(
    client, tokens, uow, seeded, xunwu
):
    _booked_and_walk_in(
        uow, xunwu, "2026-11-28T07:40:00+08:00", deadline=T("2026-11-28T07:40:00+08:00")
    )
    checked = _gate(client, tokens, "W1", "check-in", "2026-11-28T07:00:00+08:00")
    assert checked.status_code == 200 and checked.json["slot"] is None, checked.json

    refused = _gate(client, tokens, "W1", "start", "2026-11-28T07:05:00+08:00", **ZH)

    assert refused.status_code == 409, refused.json
    [error] = refused.json["errors"]
    assert (error["field"], error["code"]) == ("load_id", "start_without_slot")
    assert "生效排程" in refused.json["detail"] and "W1" in refused.json["detail"]
    assert "没有时段" in error["message"] and "指挥部" in error["message"]
    shown = _load(client, tokens, "W1")
    assert shown["status"] == "checked_in" and shown.get("started_at") is None
    english = _gate(client, tokens, "W1", "start", "2026-11-28T07:05:00+08:00")
    assert english.status_code == 409
    assert "no slot in the plan in force" in english.json["detail"]


def test_without_any_plan_a_truck_with_no_slot_checks_in_and_starts_as_before(
    client, tokens, uow, seeded, xunwu
):
    with uow:
        uow.loads.add(_cold(xunwu, "G1", "2026-11-28T09:00:00+08:00", "2026-11-28T12:00:00+08:00"))
        uow.commit()

    checked = _gate(client, tokens, "G1", "check-in", "2026-11-28T09:00:00+08:00")
    assert checked.status_code == 200, checked.json
    assert checked.json["slot"] is None and checked.json["reason"] is None
    started = _gate(client, tokens, "G1", "start", "2026-11-28T09:05:00+08:00")
    assert started.status_code == 200, started.json
    assert started.json["status"] == "in_operation"


def test_the_gate_page_says_a_walk_in_had_no_slot_and_got_one(
    app, client, tokens, uow, seeded, xunwu, monkeypatch
):
    from api.web.signin import CSRF_FIELD
    from tests.api.web_pages import csrf, signed_in

    _booked_and_walk_in(uow, xunwu, "2026-11-28T12:00:00+08:00")
    at = T("2026-11-28T07:00:00+08:00")
    monkeypatch.setattr("api.web.gate.now", lambda: at)  # the gate clock
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/gate?date=2026-11-28")

    done = operator.post(
        "/gate/loads/W1/check-in",
        data={CSRF_FIELD: token, "date": "2026-11-28", "plate": "", "has_pass": "on"},
        headers=ZH,
        follow_redirects=True,
    )

    text = done.get_data(as_text=True)
    assert "该车无预约时段到场，已安排 08:45 开始的时段。" in text, text[-3000:]


def test_the_gate_page_says_why_a_truck_with_no_slot_may_not_start(
    app, client, tokens, uow, seeded, xunwu, monkeypatch
):
    from api.web.signin import CSRF_FIELD
    from tests.api.web_pages import csrf, signed_in

    _booked_and_walk_in(
        uow, xunwu, "2026-11-28T07:40:00+08:00", deadline=T("2026-11-28T07:40:00+08:00")
    )
    checked = _gate(client, tokens, "W1", "check-in", "2026-11-28T07:00:00+08:00")
    assert checked.status_code == 200 and checked.json["slot"] is None, checked.json
    at = T("2026-11-28T07:05:00+08:00")
    monkeypatch.setattr("api.web.gate.now", lambda: at)  # the gate clock
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/gate?date=2026-11-28")

    response = operator.post(
        "/gate/loads/W1/start", data={CSRF_FIELD: token, "date": "2026-11-28"}, headers=ZH
    )

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "车次 W1 在生效排程中没有时段，不能开始作业" in text, text[-3000:]
    assert _load(client, tokens, "W1")["status"] == "checked_in"


def test_the_gate_page_says_why_a_truck_off_the_white_list_is_not_checked_in(
    app, client, tokens, uow, seeded, xunwu, monkeypatch
):
    from api.web.signin import CSRF_FIELD
    from tests.api.web_pages import csrf, signed_in

    with uow:
        uow.loads.add(_cold(xunwu, "N1", "2026-11-28T09:00:00+08:00", "2026-11-28T12:00:00+08:00",
                            enterprise_id="E14"))  # fmt: skip
        uow.commit()
    monkeypatch.setattr("api.web.gate.now", lambda: T("2026-11-28T09:00:00+08:00"))
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/gate?date=2026-11-28")

    response = operator.post(
        "/gate/loads/N1/check-in",
        data={CSRF_FIELD: token, "date": "2026-11-28", "plate": "", "has_pass": "on"},
        headers=ZH,
    )

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "企业 客家农副产品贸易行 在 2026-11-28 不在白名单内" in text, text[-3000:]
    assert _load(client, tokens, "N1")["status"] == "scheduled"
