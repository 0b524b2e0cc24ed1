"""A plan's figures stay true on the live day (SQLite and PostgreSQL, through the API):

- a repair that makes a truck late shows on `GET /plans/{id}`, `/plans/published` and the plan
  list: `late_count`, `late_loads`, `on_time_rate` and the objective (the verifier's S1-S5) are
  counted again from the plan's rows before the repair commits (before: only `placed` and
  `unscheduled` followed, the rest stayed as the solver stored them);
- a truck that arrived after its slot still counts as late at the gate after a later publish
  gives it another slot (before: "on time" read the check-in repair's `slot_changed`, which the
  publish clears, so the late truck counted as on time against its new slot).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hub_scheduler.domain import LoadStatus, ReasonCode, Schedule, Unscheduled
from hub_scheduler.facts import assignment, disinfection_minutes
from hub_scheduler.weights import load_weight
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import stored_plan

T = datetime.fromisoformat
DAY_START = T("2026-11-28T00:00:00+08:00")
SLOT = T("2026-11-28T07:30:00+08:00")


def _cold(xunwu, load_id: str, **changes):
    """A cold load for the toll station's one cold dock (TS-COLD1), released 07:30, due 10
    minutes after it would end from then (done by 10:00 at the latest), with a pass."""
    template = next(ld for ld in xunwu.loads if ld.temperature.value == "cold")
    due = SLOT + timedelta(minutes=template.handling_minutes + 10)
    return template.model_copy(
        update={
            "id": f"{template.enterprise_id}/{load_id}",
            "release": SLOT,
            "due": due,
            "deadline": T("2026-11-28T10:00:00+08:00"),
            "allowed_hubs": ["XW-TS"],
            "has_pass": True,
            "status": LoadStatus.SUBMITTED,
            **changes,
        }
    )


def _plan(uow, xunwu, start: datetime, *, add_loads: bool) -> tuple[int, object]:
    """A succeeded plan (not published) placing B1 on TS-COLD1 at `start` and leaving X1 out;
    its id and B1 as stored."""
    hub = next(h for h in xunwu.hubs if h.id == "XW-TS")
    zone = next(z for z in hub.zones if z.id == "TS-COLD")
    booked, other = _cold(xunwu, "B1"), _cold(xunwu, "X1")
    if add_loads:
        with uow:
            uow.loads.add(booked)
            uow.loads.add(other)
            uow.commit()
    row = assignment(
        booked.id,
        (hub.id, zone.id, "TS-COLD1"),
        start,
        booked.handling_minutes,
        disinfection_minutes(booked, zone, hub),
    )
    schedule = Schedule(
        scenario="xunwu",
        status="feasible",
        objective=0.0,  # what the solver claimed; the publish counts it again
        bound=0.0,
        assignments=[row],
        unscheduled=[Unscheduled(load_id=other.id, reason_code=ReasonCode.CAPACITY, reason="x")],
        kpis={"placed": 1, "unscheduled": 1, "late_count": 0, "late_loads": []},
    )
    return stored_plan(uow, schedule, DAY_START).id, booked


def _publish(client, tokens, plan_id: int) -> dict:
    response = client.post(f"/api/v1/plans/{plan_id}/publish", headers=tokens["admin"])
    assert response.status_code == 200, response.json
    return response.json


def _check_in(client, tokens, load_id: str, at: str) -> dict:
    response = client.post(
        f"/api/v1/loads/{load_id}/check-in",
        headers=tokens["operator"],
        json={"at": at, "has_pass": True},
    )
    assert response.status_code == 200, response.json
    return response.json


def _views(client, tokens, plan_id: int) -> list[dict]:
    """The plan as `GET /plans/{id}`, `/plans/published` and the plan list show it."""
    headers = tokens["admin"]
    job = client.get(f"/api/v1/plans/{plan_id}", headers=headers).json
    shown = client.get("/api/v1/plans/published?date=2026-11-28", headers=headers).json["plan"]
    listed = client.get("/api/v1/plans", headers=headers).json["items"]
    return [job, shown, next(p for p in listed if p["id"] == plan_id)]


def test_a_repair_that_makes_a_truck_late_shows_in_the_plans_late_count_and_objective(
    client, tokens, uow, seeded, xunwu
):
    plan_id, booked = _plan(uow, xunwu, SLOT, add_loads=True)
    published = _publish(client, tokens, plan_id)
    # B1 on time; X1 left out: S1 = U * w(X1), nothing late.
    assert published["kpis"]["late_count"] == 0 and published["kpis"]["on_time_rate"] == 1.0
    before = published["objective"]
    assert before > 0

    body = _check_in(client, tokens, "B1", "2026-11-28T07:50:00+08:00")

    assert body["reason"]["code"] == "LATE_ARRIVAL"
    new_start = T(body["slot"]["start"])
    end = new_start.timestamp() / 60 + booked.handling_minutes
    minutes_late = end - booked.due.timestamp() / 60
    assert minutes_late > 0
    enterprise = next(e for e in xunwu.enterprises if e.id == booked.enterprise_id)
    weight = load_weight(booked, enterprise)
    for view in _views(client, tokens, plan_id):
        kpis = view["kpis"]
        assert kpis["late_count"] == 1
        assert kpis["on_time_rate"] == 0.0
        assert [(x["load_id"], x["minutes_late"]) for x in kpis["late_loads"]] == [
            ("B1", minutes_late)
        ]
        assert kpis["max_wait_minutes"] == (new_start - SLOT).total_seconds() / 60
        assert (kpis["placed"], kpis["unscheduled"]) == (1, 1)
        # S2 grows by B1's weighted lateness; the solver's bound no longer belongs to it.
        assert view["objective"] == pytest.approx(before + weight * minutes_late)
        assert view["bound"] is None and view["gap"] is None


def test_a_truck_that_came_late_still_counts_late_after_a_publish_moves_its_slot(
    client, tokens, uow, seeded, xunwu
):
    first, _ = _plan(uow, xunwu, SLOT, add_loads=True)
    _publish(client, tokens, first)
    body = _check_in(client, tokens, "B1", "2026-11-28T07:50:00+08:00")
    repaired = T(body["slot"]["start"])
    assert repaired > SLOT

    # A re-plan holding B1 at its repaired slot is published: its slot_changed is cleared.
    second, _ = _plan(uow, xunwu, repaired, add_loads=False)
    _publish(client, tokens, second)
    load = client.get("/api/v1/loads/B1", headers=tokens["admin"]).json
    assert load.get("slot_changed") is None  # what "on time" used to read is gone
    assert load["arrival_slot_start"] == "2026-11-28T07:30:00+08:00"

    for view in _views(client, tokens, second)[:2]:
        assert view["kpis"]["gate_arrivals"] == 1
        assert view["kpis"]["gate_on_time_rate"] == 0.0  # it came 20 minutes after its slot
