"""A driver turned away at the gate's screening frees his truck's slot at once, his enterprise
hears it as for any withdrawn slot, and the truck is checked in when it comes back with a fresh
test (the new-user trial of 2026-12-03: the slot stayed taken, and a second screening was answered
409 without naming a field). On SQLite and PostgreSQL (`migrated_database_url`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from api.database import db
from hub_scheduler.services import events
from tests.api.live_day import key, verify_in_force
from tests.api.test_publish_live import day, published  # noqa: F401  (fixtures)

T = datetime.fromisoformat


def _screening(test_at: datetime, **changes) -> dict:
    return {
        "test_type": "pcr",
        "test_time": test_at.isoformat(),
        "test_result": "negative",
        "health_code": "green",
        "body_temperature_c": 36.5,
        **changes,
    }


def _check_in(day, truck: dict, at: datetime, screening: dict):  # noqa: F811
    return day.client.post(
        f"/api/v1/loads/{truck['load_id']}/check-in?enterprise_id={truck['enterprise_id']}",
        json={"at": at.isoformat(), "has_pass": False, "screening": screening},
        headers=day.operator,
    )


def _turned_away(day, published) -> tuple[dict, datetime]:  # noqa: F811
    truck = next(a for a in published["assignments"] if a["start"][11:16] >= "10:00")
    at = T(truck["start"]) - timedelta(minutes=5)
    fever = _screening(at - timedelta(hours=10), body_temperature_c=38.4)
    response = _check_in(day, truck, at, fever)
    assert response.status_code == 200, response.json
    assert response.json["passed"] is False and response.json["load"]["status"] == "rejected"
    return truck, at


def test_a_driver_turned_away_frees_the_slot_and_the_enterprise_hears_why(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck, _ = _turned_away(day, published)
    assert truck["load_id"] not in day.slots()  # free for the trucks behind it
    left_out = [
        u
        for u in day.in_force()["unscheduled"]
        if (u["load_id"], u["enterprise_id"]) == (truck["load_id"], truck["enterprise_id"])
    ]
    assert [u["reason_code"] for u in left_out] == ["SCREENING_FAILED"], left_out
    assert left_out[0]["reason_detail"] == "screening_failed"
    uow = db.uow(day.app)
    with uow:
        told = uow.events.list([events.enterprise(truck["enterprise_id"])], limit=None)
        pinned = uow.loads.get(key(truck)).pinned
    withdrawn = [
        e for e in told if e.type == "slot.withdrawn" and e.data["load_id"] == truck["load_id"]
    ]
    assert len(withdrawn) == 1, [e.type for e in told]
    assert withdrawn[0].data["reason"]["code"] == "SCREENING_FAILED"
    assert any(e.type == "screening.failed" for e in told)
    assert pinned is None


def test_a_truck_turned_away_is_checked_in_when_it_brings_a_fresh_test(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck, at = _turned_away(day, published)
    back = at + timedelta(minutes=40)
    response = _check_in(day, truck, back, _screening(back - timedelta(minutes=30)))
    assert response.status_code == 200, response.json
    assert response.json["passed"] is True, response.json
    assert response.json["load"]["status"] == "checked_in"
    verify_in_force(day)


def test_a_refused_status_change_is_a_problem_naming_the_status(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck, at = _turned_away(day, published)
    back = at + timedelta(minutes=40)
    assert _check_in(day, truck, back, _screening(back - timedelta(hours=1))).status_code == 200
    again = _check_in(day, truck, back, _screening(back - timedelta(hours=1)))
    assert again.status_code == 409, again.json
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert [(e["field"], e["code"]) for e in again.json["errors"]] == [("status", "load_status")]
    assert again.json["errors"][0]["params"] == {"status": "checked_in", "to": "checked_in"}
