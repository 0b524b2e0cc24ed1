"""The gate's steps keep their order and respect a closed dock (found by the session-12 new-user
trial): a start before the truck's arrival, or a completion before its start, is refused (409,
`time_before_arrival` / `time_before_start`, nothing written), and so is a start on a dock a
blocked window closes over the operation (H5, `dock_blocked`: the truck waiting since before a
positive case was reported started on the dock closed for its deep disinfection). Both
databases; in Chinese on the API and on the gate page."""

from __future__ import annotations

from datetime import datetime, timedelta

from api.moment_words import moment_words
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)

T = datetime.fromisoformat
ZH = {"Accept-Language": "zh-CN"}


def _step(client, tokens, slot: dict, step: str, at: datetime, **headers):
    body = {"at": at.isoformat()} | ({"has_pass": True} if step == "check-in" else {})
    return client.post(
        f"/api/v1/loads/{slot['load_id']}/{step}",
        headers={**tokens["operator"], **headers},
        json=body,
    )


def _status(client, tokens, slot: dict) -> dict:
    query = f"?enterprise_id={slot['enterprise_id']}"
    return client.get(f"/api/v1/loads/{slot['load_id']}{query}", headers=tokens["admin"]).json


def _first(published: dict) -> dict:
    return min(published["assignments"], key=lambda a: a["start"])


def test_a_start_before_the_arrival_is_refused_and_nothing_changes(client, tokens, published):
    slot = _first(published)
    arrived = T(slot["start"]) + timedelta(minutes=20)
    assert _step(client, tokens, slot, "check-in", arrived).status_code == 200

    response = _step(client, tokens, slot, "start", arrived - timedelta(minutes=12), **ZH)

    assert response.status_code == 409, response.json
    [error] = response.json["errors"]
    assert error["code"] == "time_before_arrival" and error["field"] == "at"
    assert error["params"]["before"] == arrived.isoformat()
    early = moment_words((arrived - timedelta(minutes=12)).isoformat())
    assert error["message"] == (
        f"开始作业时间（{early}）早于入场时间（{moment_words(arrived.isoformat())}）"
    )
    load = _status(client, tokens, slot)
    assert load["status"] == "checked_in" and load.get("started_at") is None
    # Within the gate clocks' skew (5 minutes) it is taken.
    taken = _step(client, tokens, slot, "start", arrived - timedelta(minutes=3))
    assert taken.status_code == 200, taken.json


def test_a_completion_before_the_start_is_refused_and_nothing_changes(client, tokens, published):
    slot = _first(published)
    started = T(slot["start"])
    for step in ("check-in", "start"):
        assert _step(client, tokens, slot, step, started).status_code == 200

    response = _step(client, tokens, slot, "complete", started - timedelta(minutes=10), **ZH)

    assert response.status_code == 409, response.json
    [error] = response.json["errors"]
    assert error["code"] == "time_before_start"
    assert "早于开始作业时间" in error["message"]
    load = _status(client, tokens, slot)
    assert load["status"] == "in_operation" and load.get("completed_at") is None
    done = _step(client, tokens, slot, "complete", started + timedelta(minutes=30))
    assert done.status_code == 200, done.json


def _close_after(client, tokens, slot: dict) -> tuple[datetime, datetime]:
    """A blocked window on the slot's dock from 10 minutes after its disinfection, 2 hours long
    (so the slot itself is untouched and the truck keeps it)."""
    start = T(slot["disinfected_at"]) + timedelta(minutes=10)
    end = start + timedelta(hours=2)
    response = client.post(
        f"/api/v1/hubs/{slot['hub_id']}/blocked-windows",
        json={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "zone_id": slot["zone_id"],
            "dock_id": slot["dock_id"],
            "reason": "阳性病例后深度消杀",
        },
        headers=tokens["admin"],
    )
    assert response.status_code == 201, response.json
    return start, end


def test_a_start_on_a_dock_closed_since_is_refused_until_it_opens(client, tokens, published):
    slot = _first(published)
    assert _step(client, tokens, slot, "check-in", T(slot["start"])).status_code == 200
    closed, opens = _close_after(client, tokens, slot)

    response = _step(client, tokens, slot, "start", closed + timedelta(minutes=5), **ZH)

    assert response.status_code == 409, response.json
    [error] = response.json["errors"]
    assert error["code"] == "dock_blocked"
    assert error["params"]["until"] == opens.isoformat()
    assert error["params"]["dock"] == slot["dock_id"]
    assert (
        "封闭至" in response.json["detail"]
        and moment_words(opens.isoformat()) in (response.json["detail"])
    )
    assert _status(client, tokens, slot)["status"] == "checked_in"
    # A start that ends with its disinfection before the closure is taken as before.
    assert _step(client, tokens, slot, "start", T(slot["start"])).status_code == 200


def test_the_gate_page_says_why_a_start_on_a_closed_dock_is_refused(
    app, client, tokens, published, monkeypatch
):
    from api.web.signin import CSRF_FIELD
    from tests.api.web_pages import ZH as PAGE_ZH
    from tests.api.web_pages import csrf, signed_in

    slot = _first(published)
    assert _step(client, tokens, slot, "check-in", T(slot["start"])).status_code == 200
    closed, opens = _close_after(client, tokens, slot)
    operator = signed_in(app, tokens, "operator")
    token = csrf(operator, "/gate?date=2026-11-28")
    at = closed + timedelta(minutes=5)
    monkeypatch.setattr("api.web.gate.now", lambda: at)  # the gate clock: inside the closure

    response = operator.post(
        f"/gate/loads/{slot['load_id']}/start",
        data={CSRF_FIELD: token, "date": "2026-11-28"},
        headers=PAGE_ZH,
    )

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    shown = opens.strftime("%Y-%m-%d %H:%M")
    assert f"车位 {slot['dock_id']} 封闭至 {shown}，期间不能作业" in text, text[-2000:]
    assert _status(client, tokens, slot)["status"] == "checked_in"


def test_a_one_tap_start_on_a_clock_before_the_typed_arrival_takes_the_arrival_time(
    app, client, tokens, published
):
    """A step with no time given takes the service's clock, never earlier than the step it
    follows: a training day's clock fixed at 00:00 and an arrival typed at the slot's start."""
    from api.database import db
    from hub_scheduler.records import Role
    from hub_scheduler.services import gate as gate_service
    from hub_scheduler.services.principal import Principal

    slot = _first(published)
    arrived = T(slot["start"])
    assert _step(client, tokens, slot, "check-in", arrived).status_code == 200
    clock = arrived.replace(hour=0, minute=0)  # the training day's fixed clock
    operator = Principal(role=Role.OPERATOR, actor="gate")
    with app.app_context():
        started = gate_service.start_load(
            db.uow(), slot["load_id"], principal=operator, at=None, clock=clock
        )
        done = gate_service.complete_load(
            db.uow(), slot["load_id"], principal=operator, at=None, clock=clock
        )
    assert started.started_at == arrived and done.completed_at == arrived
