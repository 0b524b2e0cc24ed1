"""A repair with no slot left keeps the load in the plan's view: its row goes and the plan lists it
among its unscheduled loads with the code (`NO_SLOT_LEFT`, `DEADLINE_PASSED`) and the repair's
params, and the plan's stored figures follow; a later re-placement (a walk-in given a gap) takes it
off that list. The gate's figures of the plan view are counted when it is read. (Before: the
load's row was dropped and the load was listed nowhere, the counts and gate figures stale.)"""

from __future__ import annotations

from datetime import datetime

import pytest

from hub_scheduler.domain import BlockedWindow, LoadStatus, ReasonCode, Schedule, Unscheduled
from hub_scheduler.facts import assignment, disinfection_minutes
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import in_force, stored_plan
from tests.api.live_day import assert_true_to_the_database

T = datetime.fromisoformat
DAY_START = T("2026-11-28T00:00:00+08:00")
ZH = {"Accept-Language": "zh-CN"}
# What the solver stored with the plan: B1 placed, X1 left out, no truck at the gate yet.
STORED_KPIS = {"placed": 1, "unscheduled": 1, "gate_arrivals": 0, "late_count": 0}


def _cold(xunwu, load_id: str, **changes):
    """A scheduled cold load for the toll station's one cold dock (TS-COLD1), released 07:30,
    due 12:00, with a pass."""
    template = next(ld for ld in xunwu.loads if ld.temperature.value == "cold")
    return template.model_copy(
        update={
            "id": f"{template.enterprise_id}/{load_id}",
            "release": T("2026-11-28T07:30:00+08:00"),
            "due": T("2026-11-28T12:00:00+08:00"),
            "deadline": None,
            "allowed_hubs": ["XW-TS"],
            "has_pass": True,
            "status": LoadStatus.SCHEDULED,
            **changes,
        }
    )


def _published(uow, xunwu, **b1) -> int:
    """A published plan placing B1 on TS-COLD1 at 07:30 and leaving X1 out; its id."""
    hub = next(h for h in xunwu.hubs if h.id == "XW-TS")
    zone = next(z for z in hub.zones if z.id == "TS-COLD")
    booked = _cold(xunwu, "B1", **b1)
    other = _cold(xunwu, "X1", status=LoadStatus.SUBMITTED)  # left out: no slot
    with uow:
        uow.loads.add(booked)
        uow.loads.add(other)
        uow.commit()
    row = assignment(
        booked.id,
        (hub.id, zone.id, "TS-COLD1"),
        T("2026-11-28T07:30:00+08:00"),
        booked.handling_minutes,
        disinfection_minutes(booked, zone, hub),
    )
    left_out = Unscheduled(load_id=other.id, reason_code=ReasonCode.CAPACITY, reason="no dock")
    schedule = Schedule(
        scenario="xunwu",
        status="feasible",
        assignments=[row],
        unscheduled=[left_out],
        kpis=STORED_KPIS,
    )
    return stored_plan(uow, schedule, DAY_START, publish=True).id


def _block_cold_dock(uow, start: str) -> str:
    """TS-COLD1 blocked from `start` to the end of the day; the window's id."""
    window = BlockedWindow(
        start=T(start), end=T("2026-11-29T00:00:00+08:00"), dock_id="TS-COLD1", reason="test"
    )
    with uow:
        window = uow.hubs.add_blocked("XW-TS", window)
        uow.commit()
    return str(window.id)


def _check_in(client, tokens, load_id: str, at: str):
    response = client.post(
        f"/api/v1/loads/{load_id}/check-in",
        headers=tokens["operator"],
        json={"at": at, "has_pass": True},
    )
    assert response.status_code == 200, response.json
    return response.json


def _left_out(plan: dict) -> dict[str, dict]:
    return {u["load_id"]: u for u in plan["unscheduled"]}


def _counts(job: dict) -> tuple:
    return job["kpis"]["placed"], job["kpis"]["unscheduled"], job["placed"], job["unscheduled"]


@pytest.mark.parametrize(
    ("code", "b1", "blocked_from"),
    [
        ("NO_SLOT_LEFT", {}, "2026-11-28T08:00:00+08:00"),
        # done by 08:10 at the latest: from 07:50 it cannot be (35 min of handling)
        ("DEADLINE_PASSED", {"deadline": T("2026-11-28T08:10:00+08:00")}, None),
    ],
)
def test_a_late_truck_with_no_slot_left_is_listed_unscheduled_and_counted(
    client, tokens, uow, seeded, xunwu, code, b1, blocked_from
):
    plan_id = _published(uow, xunwu, **b1)
    if blocked_from:
        _block_cold_dock(uow, blocked_from)

    body = _check_in(client, tokens, "B1", "2026-11-28T07:50:00+08:00")

    assert body["slot"] is None and body["reason"]["code"] == code
    shown = client.get(
        "/api/v1/plans/published?date=2026-11-28", headers={**tokens["admin"], **ZH}
    ).json
    assert [a["load_id"] for a in shown["assignments"]] == []
    assert sorted(_left_out(shown)) == ["B1", "X1"]
    late = _left_out(shown)["B1"]
    assert late["reason_code"] == code
    assert late["reason_detail"] == code.lower()
    assert late["reason_params"] == body["reason"]["params"]
    assert late["reason_params"]["cause"] == "LATE_ARRIVAL"
    assert late["reason_params"]["planned_start"] == "2026-11-28T07:30:00+08:00"
    assert "时段" in late["message"]
    if code == "DEADLINE_PASSED":
        assert "11-28 08:10" in late["message"]
    assert_true_to_the_database(shown, uow, DAY_START)  # each load once, placed or left out
    job = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json
    assert _counts(job) == (0, 2, 0, 2)
    assert _counts(shown["plan"]) == (0, 2, 0, 2)
    assert job["kpis"]["late_count"] == 0  # counted from the rows: no placed load is late
    # The gate's figures counted now: B1 came, after the start of the slot it had.
    for view in (job, shown["plan"]):
        assert view["kpis"]["gate_arrivals"] == 1
        assert view["kpis"]["gate_on_time_rate"] == 0.0


def test_a_load_left_out_by_a_later_eta_and_given_a_gap_at_the_gate_leaves_the_unscheduled(
    client, tokens, uow, seeded, xunwu
):
    plan_id = _published(uow, xunwu)
    window = _block_cold_dock(uow, "2026-11-28T09:00:00+08:00")

    moved = client.patch(
        "/api/v1/loads/B1", json={"release": "2026-11-28T09:30:00+08:00"}, headers=tokens["admin"]
    )

    assert moved.status_code == 200, moved.json
    left = _left_out(in_force(client, tokens))["B1"]
    assert left["reason_code"] == "NO_SLOT_LEFT"
    assert left["reason_params"]["cause"] == "ETA_CHANGED"
    job = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json
    assert _counts(job) == (0, 2, 0, 2)

    with uow:  # the dock is open again
        assert uow.hubs.remove_blocked("XW-TS", window)
        uow.commit()
    body = _check_in(client, tokens, "B1", "2026-11-28T09:40:00+08:00")

    assert body["reason"]["code"] == "WALK_IN"
    assert body["slot"]["dock_id"] == "TS-COLD1" and body["slot"]["start"] >= "2026-11-28T09:40"
    after = in_force(client, tokens)
    assert [a["load_id"] for a in after["assignments"]] == ["B1"]
    assert sorted(_left_out(after)) == ["X1"]
    job = client.get(f"/api/v1/plans/{plan_id}", headers=tokens["admin"]).json
    assert _counts(job) == (1, 1, 1, 1)
    # It came with no slot in force (a walk-in): no arrival on time or late to count.
    assert job["kpis"]["gate_arrivals"] == 1
    assert job["kpis"]["gate_on_time_rate"] is None
