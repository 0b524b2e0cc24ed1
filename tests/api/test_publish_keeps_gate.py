"""A checked-in truck never loses its dock, and a publish takes no slot away silently (the
new-user trial of 2026-12-03: a re-plan's publish left a checked-in truck without its slot and
answered `dropped: []`). On SQLite and PostgreSQL (`migrated_database_url`).

- (a truck pinned near midnight: tests/integration/test_db_pinned_across_midnight.py)
- a truck in operation past its deadline keeps its row (reality wins, as the verifier says);
- when a checked-in truck truly cannot be kept, the publish is refused (409 naming the load);
- every load that loses its slot in force is listed in `dropped` with its reason code.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from api.database import db
from hub_scheduler import load_keys
from hub_scheduler.domain import ReasonCode, Unscheduled
from tests.api.live_day import key, verify_in_force
from tests.api.test_publish_live import (  # noqa: F401  (fixtures)
    _schedule_in_force,
    _store,
    day,
    published,
)

T = datetime.fromisoformat


def _checked_in(live, a: dict, at: datetime) -> dict:
    response = live.client.post(
        f"/api/v1/loads/{a['load_id']}/check-in?enterprise_id={a['enterprise_id']}",
        json={"at": at.isoformat(), "has_pass": True},
        headers=live.operator,
    )
    assert response.status_code == 200, response.json
    return response.json


def _loads(live) -> dict:
    uow = db.uow(live.app)
    with uow:
        return {ld.id: ld for ld in uow.loads.list()}


def _by_start(shown) -> list[dict]:
    return sorted(shown["assignments"], key=lambda a: a["start"])


def _replan_and_publish(live, now: datetime):
    job = live.plan(now=now.isoformat())
    return job, live.publish(job["id"])


def test_a_truck_in_operation_past_its_deadline_keeps_its_row_in_a_replan(
    day,  # noqa: F811
    published,  # noqa: F811
):
    uow = db.uow(day.app)
    loads = _loads(day)
    truck = next(
        a
        for a in _by_start(published)
        if loads[key(a)].deadline is not None and a["start"][11:16] >= "08:00"
    )
    deadline = loads[key(truck)].deadline
    _checked_in(day, truck, T(truck["start"]) - timedelta(minutes=5))
    started = T(truck["start"]) + timedelta(minutes=2)
    response = day.client.post(
        f"/api/v1/loads/{truck['load_id']}/start?enterprise_id={truck['enterprise_id']}",
        json={"at": started.isoformat()},
        headers=day.operator,
    )
    assert response.status_code == 200, response.json
    # Its deadline passes while it works (a customer's deadline moved earlier since).
    with uow:
        load = uow.loads.get(key(truck))
        uow.loads.update(load.model_copy(update={"deadline": started + timedelta(minutes=1)}))
        uow.commit()
    assert started + timedelta(minutes=1) < deadline
    _, response = _replan_and_publish(day, started + timedelta(minutes=10))
    assert response.status_code == 200, response.json
    assert truck["load_id"] in day.slots()
    verify_in_force(day)


def test_a_publish_that_would_take_a_checked_in_trucks_dock_is_refused_naming_it(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck = next(a for a in published["assignments"] if a["start"][11:16] >= "10:00")
    _checked_in(day, truck, T(truck["start"]) - timedelta(minutes=5))
    # Its deadline now ends before its slot does: no plan can keep it there (H4).
    uow = db.uow(day.app)
    with uow:
        load = uow.loads.get(key(truck))
        uow.loads.update(load.model_copy(update={"deadline": T(truck["start"])}))
        uow.commit()
    job, response = _replan_and_publish(day, T(truck["start"]) + timedelta(minutes=15))
    assert response.status_code == 409, response.json
    mine = [e for e in response.json["errors"] if e["code"] == "publish_drops_on_site"]
    assert [e["field"] for e in mine] == [f"loads.{truck['load_id']}"], response.json
    assert mine[0]["params"]["dock"] == truck["dock_id"]
    # Nothing was written: the truck holds its dock in the plan in force.
    assert day.in_force()["plan"]["id"] == published["plan"]["id"]
    assert day.slots()[truck["load_id"]]["dock_id"] == truck["dock_id"]


def test_every_load_that_loses_its_slot_is_listed_in_dropped_with_its_reason_code(
    day,  # noqa: F811
    published,  # noqa: F811
):
    schedule = _schedule_in_force(day, published["plan"]["id"])
    gone = schedule.assignments[-1]
    left_out = Unscheduled(load_id=gone.load_id, reason_code=ReasonCode.CAPACITY, reason="x")
    stored = _store(
        day,
        schedule.model_copy(
            update={
                "assignments": schedule.assignments[:-1],
                "unscheduled": [*schedule.unscheduled, left_out],
                "objective": None,
            }
        ),
    )
    response = day.publish(stored)
    assert response.status_code == 200, response.json
    owner, shown_id = load_keys.split(gone.load_id)
    assert response.json["progress"]["publish"]["dropped"] == [
        {"load_id": shown_id, "enterprise_id": owner, "reason_code": "CAPACITY"}
    ]
    assert shown_id not in day.slots()
    verify_in_force(day)


def test_the_replan_after_a_suspension_is_published_while_trucks_are_at_the_closed_hub(
    day,  # noqa: F811
    published,  # noqa: F811
):
    truck = next(a for a in _by_start(published) if a["start"][11:16] >= "10:00")
    at = T(truck["start"]) - timedelta(minutes=5)
    _checked_in(day, truck, at)
    switched = day.client.post(
        f"/api/v1/hubs/{truck['hub_id']}/status",
        json={"status": "suspended", "reason": "positive case nearby"},
        headers=day.admin,
    )
    assert switched.status_code in (200, 202), switched.json

    job, response = _replan_and_publish(day, at + timedelta(minutes=2))

    # The command centre's switch took the closed hub's docks, not the plan: the county's
    # re-plan goes in force at once, and says who is no longer held there.
    assert response.status_code == 200, response.json
    assert day.in_force()["plan"]["id"] == job["id"]
    assert all(a["hub_id"] != truck["hub_id"] for a in day.in_force()["assignments"])
    verify_in_force(day)
